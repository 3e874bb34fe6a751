package io.sygra.llm;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JavaType;
import io.sygra.core.ConfigurationException;
import io.sygra.core.Key;
import io.sygra.llm.internal.LenientJson;
import io.sygra.llm.internal.NodeJson;
import io.sygra.llm.internal.ReplyPrompts;
import io.sygra.llm.internal.SchemaGeneration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * How to get a typed value out of a model: the JSON schema to ask for and the parser that reads and
 * checks the reply.
 *
 * <p>The schema is generated from the Java type (see {@link JsonSchemas} for the rules) or given as
 * a map. Providers' native structured output ({@code response_format: json_schema}) needs an object
 * at the root, so a list or scalar type is wrapped as {@code {"value": ...}} on the wire and
 * unwrapped when parsing (a bare value in the reply is accepted too).
 *
 * <p>Parsing is lenient about form and strict about content: a leading {@code <think>} block,
 * Markdown code fences, prose around the JSON, trailing commas and extra properties are tolerated;
 * missing required properties, wrong types, values outside enums or bounds are not.
 *
 * <p>Instances are immutable and thread-safe.
 *
 * @param <T> the Java type produced
 */
public final class StructuredOutput<T> {
  private static final String WRAP = "value";

  private final JavaType type; // null: raw JSON value
  private final String name;
  private final Map<String, Object> schema;
  private final boolean wrapped;
  private final boolean strict;

  private StructuredOutput(JavaType type, String name, Map<String, Object> given) {
    this.type = type;
    this.name = SchemaGeneration.sanitizeName(name);
    boolean objectRoot = isObjectSchema(given);
    this.wrapped = !objectRoot;
    this.schema = NodeJson.freeze(objectRoot ? given : wrap(given));
    this.strict = SchemaGeneration.strictCompatible(this.schema);
  }

  /** Structured output of a record, bean, enum, list or scalar type. */
  public static <T> StructuredOutput<T> of(Class<T> type) {
    Objects.requireNonNull(type, "type");
    return of(NodeJson.MAPPER.constructType(type));
  }

  /** Structured output of a generic type, e.g. {@code new TypeReference<List<Question>>() {}}. */
  public static <T> StructuredOutput<T> of(TypeReference<T> type) {
    Objects.requireNonNull(type, "type");
    return of(NodeJson.MAPPER.constructType(type));
  }

  /** Structured output of a state key's type. */
  public static <T> StructuredOutput<T> of(Key<T> key) {
    Objects.requireNonNull(key, "key");
    return of(key.javaType());
  }

  private static <T> StructuredOutput<T> of(JavaType type) {
    if (type.getRawClass() == Object.class) {
      throw new ConfigurationException(
          "structuredOutput", "type Object has no schema; give a record or bean type");
    }
    return new StructuredOutput<>(
        type, SchemaGeneration.nameOf(type), SchemaGeneration.schemaOf(type));
  }

  /**
   * Structured output checked against a hand-written JSON schema; the parsed value is plain JSON
   * (maps, lists, strings, numbers, booleans).
   *
   * @param name schema name sent to the provider ({@code [A-Za-z0-9_-]}, other characters become
   *     {@code _})
   */
  public static StructuredOutput<Object> of(String name, Map<String, Object> schema) {
    ConfigurationException.check(
        name != null && !name.isBlank(), "name", "must be non-blank, was '" + name + "'");
    Objects.requireNonNull(schema, "schema");
    ConfigurationException.check(!schema.isEmpty(), "schema", "must not be empty");
    return new StructuredOutput<>(null, name, schema);
  }

  /** The schema's name. */
  public String name() {
    return name;
  }

  /** The schema sent to the model (object at the root), unmodifiable. */
  public Map<String, Object> schema() {
    return schema;
  }

  /**
   * True when the schema meets OpenAI's strict mode (every property required, no additional
   * properties), so {@link #responseFormat()} asks for strict adherence.
   */
  public boolean strict() {
    return strict;
  }

  /** True when a non-object type is wrapped as {@code {"value": ...}} on the wire. */
  public boolean wrapped() {
    return wrapped;
  }

  /** The Java type produced, or null for a hand-written schema (plain JSON values). */
  public JavaType type() {
    return type;
  }

  /** The provider-native request for this schema. */
  public ResponseFormat.JsonSchema responseFormat() {
    return new ResponseFormat.JsonSchema(name, schema, strict);
  }

  /**
   * Instructions to append to the prompt when the provider has no native structured output: asks
   * for JSON only and shows the schema.
   */
  public String formatInstructions() {
    return ReplyPrompts.formatInstructions(pretty(schema));
  }

  /** Top-level property names of an object type, in schema order; empty for wrapped types. */
  public Set<String> properties() {
    if (wrapped || !(schema.get("properties") instanceof Map<?, ?> p)) {
      return Set.of();
    }
    Set<String> names = new LinkedHashSet<>();
    p.keySet().forEach(k -> names.add(String.valueOf(k)));
    return names;
  }

  /**
   * Reads, checks and converts a reply.
   *
   * @throws StructuredOutputException listing what is wrong, with the raw text attached
   */
  public T parse(String text) {
    return parsed(text).value();
  }

  /**
   * Reads and checks a reply, returning the plain JSON value (unwrapped) without converting it.
   *
   * @throws StructuredOutputException listing what is wrong, with the raw text attached
   */
  public Object parseJson(String text) {
    return parsed(text).json();
  }

  /** A reply read, checked and converted: the plain JSON and the typed value. */
  record Parsed<T>(Object json, T value) {}

  @SuppressWarnings("unchecked")
  Parsed<T> parsed(String text) {
    Object json;
    try {
      json = LenientJson.read(text, wrapped ? LenientJson.Root.ANY : LenientJson.Root.OBJECT);
    } catch (LenientJson.Problem p) {
      throw failure(text, List.of(p.getMessage()));
    }
    Object checked = json;
    if (wrapped && !(json instanceof Map<?, ?> m && m.containsKey(WRAP))) {
      Map<String, Object> w = new LinkedHashMap<>();
      w.put(WRAP, json);
      checked = w;
    }
    List<SchemaViolation> violations = JsonSchemas.validateLenient(schema, checked);
    if (!violations.isEmpty()) {
      List<String> problems = new ArrayList<>();
      violations.forEach(v -> problems.add(v.toString()));
      throw failure(text, problems);
    }
    Object plain = wrapped ? ((Map<String, Object>) checked).get(WRAP) : checked;
    if (type == null) {
      return new Parsed<>(plain, (T) plain);
    }
    try {
      return new Parsed<>(plain, NodeJson.convert(plain, type));
    } catch (IllegalArgumentException e) {
      String msg = e.getMessage() == null ? e.toString() : e.getMessage();
      int nl = msg.indexOf('\n');
      throw failure(
          text,
          List.of(
              "the JSON does not convert to "
                  + type.getRawClass().getSimpleName()
                  + ": "
                  + (nl > 0 ? msg.substring(0, nl) : msg)));
    }
  }

  private StructuredOutputException failure(String text, List<String> problems) {
    return new StructuredOutputException(null, null, name, text, problems, 1);
  }

  private static boolean isObjectSchema(Map<String, Object> s) {
    Object t = s.get("type");
    return "object".equals(t) || (t == null && s.get("properties") instanceof Map<?, ?>);
  }

  private static Map<String, Object> wrap(Map<String, Object> inner) {
    Map<String, Object> value = new LinkedHashMap<>(inner);
    Map<String, Object> w = new LinkedHashMap<>();
    for (String defs : List.of("$defs", "definitions")) {
      if (value.containsKey(defs)) {
        w.put(defs, value.remove(defs));
      }
    }
    w.put("type", "object");
    w.put("properties", Map.of(WRAP, value));
    w.put("required", List.of(WRAP));
    w.put("additionalProperties", false);
    return w;
  }

  private static String pretty(Object v) {
    try {
      return NodeJson.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(v);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public String toString() {
    return "StructuredOutput[" + name + "]";
  }
}
