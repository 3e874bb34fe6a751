package io.sygra.llm.internal;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.victools.jsonschema.generator.FieldScope;
import com.github.victools.jsonschema.generator.MemberScope;
import com.github.victools.jsonschema.generator.Option;
import com.github.victools.jsonschema.generator.OptionPreset;
import com.github.victools.jsonschema.generator.SchemaGenerator;
import com.github.victools.jsonschema.generator.SchemaGeneratorConfigBuilder;
import com.github.victools.jsonschema.generator.SchemaVersion;
import com.github.victools.jsonschema.module.jackson.JacksonModule;
import com.github.victools.jsonschema.module.jackson.JacksonOption;
import com.github.victools.jsonschema.module.jakarta.validation.JakartaValidationModule;
import com.github.victools.jsonschema.module.jakarta.validation.JakartaValidationOption;
import java.lang.annotation.Annotation;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Generates JSON schemas from Java types with victools jsonschema-generator (draft 2020-12), tuned
 * for LLM structured output: every property is required (OpenAI's strict mode needs that), a
 * property annotated with any {@code @Nullable} also accepts {@code null}, objects forbid
 * additional properties, record properties keep their declaration order, Jackson annotations
 * ({@code JsonProperty}, {@code JsonPropertyDescription}, {@code JsonClassDescription}, {@code
 * JsonValue} on enums) and Jakarta validation constraints ({@code Min}, {@code Max}, {@code
 * DecimalMin}, {@code Size}, {@code Pattern}, {@code NotBlank}, ...) are honoured; maps become
 * objects whose additional properties follow the value type. {@code Optional} properties come out
 * optional and nullable, but values cannot be converted back to {@code Optional} (state holds plain
 * JSON): use {@code @Nullable} instead.
 */
public final class SchemaGeneration {
  private SchemaGeneration() {}

  private static final SchemaGenerator GENERATOR = new SchemaGenerator(config());
  private static final Map<Type, Map<String, Object>> CACHE = new ConcurrentHashMap<>();

  /** The schema of {@code type} as an unmodifiable JSON tree (cached per type). */
  public static Map<String, Object> schemaOf(Type type) {
    Objects.requireNonNull(type, "type");
    return CACHE.computeIfAbsent(type, SchemaGeneration::generate);
  }

  /** The schema of a Jackson type (generic arguments included). */
  public static Map<String, Object> schemaOf(JavaType type) {
    return schemaOf(toReflectType(type));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> generate(Type type) {
    ObjectNode node = GENERATOR.generateSchema(type);
    Map<String, Object> raw = NodeJson.MAPPER.convertValue(node, Map.class);
    return NodeJson.freeze((Map<String, Object>) plainNumbers(raw));
  }

  /** Bounds come out as BigDecimal; whole ones read better (and compare simpler) as integers. */
  private static Object plainNumbers(Object v) {
    if (v instanceof java.math.BigDecimal d) {
      java.math.BigDecimal s = d.stripTrailingZeros();
      if (s.scale() <= 0) {
        try {
          long l = s.longValueExact();
          return l >= Integer.MIN_VALUE && l <= Integer.MAX_VALUE ? (Object) (int) l : (Object) l;
        } catch (ArithmeticException e) {
          return d;
        }
      }
      return d.doubleValue();
    }
    if (v instanceof Map<?, ?> m) {
      Map<String, Object> out = new java.util.LinkedHashMap<>();
      m.forEach((k, x) -> out.put(String.valueOf(k), plainNumbers(x)));
      return out;
    }
    if (v instanceof List<?> l) {
      return l.stream().map(SchemaGeneration::plainNumbers).toList();
    }
    return v;
  }

  private static com.github.victools.jsonschema.generator.SchemaGeneratorConfig config() {
    SchemaGeneratorConfigBuilder b =
        new SchemaGeneratorConfigBuilder(SchemaVersion.DRAFT_2020_12, OptionPreset.PLAIN_JSON)
            .with(
                new JacksonModule(
                    JacksonOption.RESPECT_JSONPROPERTY_REQUIRED,
                    JacksonOption.RESPECT_JSONPROPERTY_ORDER,
                    JacksonOption.FLATTENED_ENUMS_FROM_JSONVALUE))
            .with(
                new JakartaValidationModule(
                    JakartaValidationOption.INCLUDE_PATTERN_EXPRESSIONS,
                    JakartaValidationOption.PREFER_IDN_EMAIL_FORMAT))
            .with(Option.FORBIDDEN_ADDITIONAL_PROPERTIES_BY_DEFAULT)
            .with(Option.MAP_VALUES_AS_ADDITIONAL_PROPERTIES)
            .without(Option.SCHEMA_VERSION_INDICATOR);
    b.forFields().withRequiredCheck(f -> !isOptional(f));
    b.forFields().withNullableCheck(f -> isOptional(f) || hasNullable(f) ? Boolean.TRUE : null);
    b.forTypesInGeneral().withPropertySorter(SchemaGeneration::compareMembers);
    return b.build();
  }

  private static boolean isOptional(FieldScope f) {
    return f.getType() != null && f.getType().getErasedType() == Optional.class;
  }

  private static boolean hasNullable(FieldScope f) {
    for (Annotation a : f.getRawMember().getAnnotations()) {
      if (a.annotationType().getSimpleName().equals("Nullable")) {
        return true;
      }
    }
    for (Annotation a : f.getRawMember().getAnnotatedType().getAnnotations()) {
      if (a.annotationType().getSimpleName().equals("Nullable")) {
        return true;
      }
    }
    return false;
  }

  /** Record components in declaration order; other members keep discovery order (stable sort). */
  private static int compareMembers(MemberScope<?, ?> a, MemberScope<?, ?> b) {
    Class<?> owner = a.getDeclaringType().getErasedType();
    if (owner.isRecord() && owner == b.getDeclaringType().getErasedType()) {
      return Integer.compare(componentIndex(owner, a), componentIndex(owner, b));
    }
    return 0;
  }

  private static int componentIndex(Class<?> record, MemberScope<?, ?> m) {
    RecordComponent[] cs = record.getRecordComponents();
    String name = m.getDeclaredName();
    for (int i = 0; i < cs.length; i++) {
      if (cs[i].getName().equals(name)) {
        return i;
      }
    }
    return cs.length;
  }

  /** Converts a Jackson type to a reflection type victools accepts. */
  public static Type toReflectType(JavaType t) {
    Class<?> raw = t.getRawClass();
    if (t.isArrayType()) {
      return raw;
    }
    int n = t.containedTypeCount();
    if (n == 0) {
      return raw;
    }
    Type[] args = new Type[n];
    for (int i = 0; i < n; i++) {
      args[i] = toReflectType(t.containedType(i));
    }
    return new Parameterized(raw, args);
  }

  private record Parameterized(Class<?> raw, Type[] args) implements ParameterizedType {
    @Override
    public Type[] getActualTypeArguments() {
      return args.clone();
    }

    @Override
    public Type getRawType() {
      return raw;
    }

    @Override
    public Type getOwnerType() {
      return raw.getDeclaringClass();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof ParameterizedType p
          && p.getRawType().equals(raw)
          && Objects.equals(p.getOwnerType(), getOwnerType())
          && Arrays.equals(p.getActualTypeArguments(), args);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(args) ^ raw.hashCode() ^ Objects.hashCode(getOwnerType());
    }

    @Override
    public String toString() {
      return raw.getTypeName()
          + Arrays.stream(args)
              .map(Type::getTypeName)
              .reduce((x, y) -> x + ", " + y)
              .map(s -> "<" + s + ">")
              .orElse("");
    }
  }

  /** A short schema name from a type: {@code Verdict}, {@code List_String}. */
  public static String nameOf(JavaType t) {
    StringBuilder sb = new StringBuilder(t.getRawClass().getSimpleName().replace("[]", "Array"));
    for (int i = 0; i < t.containedTypeCount(); i++) {
      sb.append('_').append(nameOf(t.containedType(i)));
    }
    return sanitizeName(sb.toString());
  }

  /** Restricts a schema name to {@code [A-Za-z0-9_-]{1,64}}, as OpenAI requires. */
  public static String sanitizeName(String name) {
    String s = name.replaceAll("[^A-Za-z0-9_-]", "_");
    if (s.isEmpty()) {
      s = "reply";
    }
    return s.length() > 64 ? s.substring(0, 64) : s;
  }

  /**
   * True when every object in the schema lists all its properties as required and forbids others,
   * the shape OpenAI's {@code strict: true} accepts.
   */
  @SuppressWarnings("unchecked")
  public static boolean strictCompatible(Object schema) {
    if (schema instanceof List<?> l) {
      return l.stream().allMatch(SchemaGeneration::strictCompatible);
    }
    if (!(schema instanceof Map<?, ?> raw)) {
      return true;
    }
    Map<String, Object> m = (Map<String, Object>) raw;
    Object props = m.get("properties");
    if (props instanceof Map<?, ?> p) {
      Object req = m.get("required");
      List<?> required = req instanceof List<?> r ? r : List.of();
      if (!Boolean.FALSE.equals(m.get("additionalProperties"))
          || !required.containsAll(p.keySet())) {
        return false;
      }
    } else if ("object".equals(m.get("type"))
        && !Boolean.FALSE.equals(m.get("additionalProperties"))) {
      return false;
    }
    for (Object v : m.values()) {
      if ((v instanceof Map<?, ?> || v instanceof List<?>) && !strictCompatible(v)) {
        return false;
      }
    }
    return true;
  }
}
