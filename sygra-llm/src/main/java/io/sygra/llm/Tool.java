package io.sygra.llm;

import com.fasterxml.jackson.databind.JavaType;
import io.sygra.core.ConfigurationException;
import io.sygra.llm.internal.LenientJson;
import io.sygra.llm.internal.NodeJson;
import io.sygra.llm.internal.SchemaGeneration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * A Java function a model may call: a name, a description for the model, a JSON schema of its
 * arguments (generated from a record type, or given), and the function itself.
 *
 * <pre>{@code
 * record Lookup(@JsonPropertyDescription("city name") String city) {}
 *
 * Tool weather = Tool.of("weather", "Current weather for a city", Lookup.class,
 *     args -> forecasts.get(args.city()));
 * }</pre>
 *
 * <p>{@link #invoke(String)} parses the model's argument text leniently, checks it against the
 * schema, converts it to the parameter type and calls the function; a result that is not a string
 * is returned to the model as JSON. Functions run on the run's CPU executor (agent nodes see to
 * that); they must be thread-safe. Instances are immutable.
 */
public final class Tool {
  private final String name;
  private final String description;
  private final Map<String, Object> parameters;
  private final JavaType type; // null: plain JSON map
  private final Function<Object, ?> function;

  @SuppressWarnings("unchecked")
  private Tool(
      String name,
      String description,
      Map<String, Object> parameters,
      JavaType type,
      Function<?, ?> function) {
    ConfigurationException.check(
        name != null && name.matches("[A-Za-z0-9_-]{1,64}"),
        "tool.name",
        "must match [A-Za-z0-9_-]{1,64}, was '" + name + "'");
    ConfigurationException.check(
        description != null && !description.isBlank(),
        "tool.description",
        "tool '" + name + "' needs a description telling the model what it does");
    Objects.requireNonNull(parameters, "parameters");
    ConfigurationException.check(
        "object".equals(parameters.get("type")),
        "tool.parameters",
        "tool '" + name + "' parameters must be a JSON object schema (type: object)");
    this.name = name;
    this.description = description;
    this.parameters = NodeJson.freeze(parameters);
    this.type = type;
    this.function = (Function<Object, ?>) Objects.requireNonNull(function, "function");
  }

  /**
   * A tool whose arguments are a record or bean of {@code parameterType}; the schema is generated
   * from it (see {@link JsonSchemas}).
   *
   * @throws ConfigurationException for a bad name, a blank description, or a parameter type that is
   *     not an object type
   */
  public static <A> Tool of(
      String name, String description, Class<A> parameterType, Function<? super A, ?> function) {
    Objects.requireNonNull(parameterType, "parameterType");
    JavaType t = NodeJson.MAPPER.constructType(parameterType);
    return new Tool(name, description, SchemaGeneration.schemaOf(t), t, function);
  }

  /**
   * A tool with a hand-written parameter schema; the function receives the checked arguments as a
   * plain JSON map.
   */
  public static Tool of(
      String name,
      String description,
      Map<String, Object> parameterSchema,
      Function<Map<String, Object>, ?> function) {
    return new Tool(name, description, parameterSchema, null, function);
  }

  /** The tool's name. */
  public String name() {
    return name;
  }

  /** What the tool does, for the model. */
  public String description() {
    return description;
  }

  /** The JSON schema of the arguments object, unmodifiable. */
  public Map<String, Object> parameters() {
    return parameters;
  }

  /** The definition sent to the model. */
  public ToolDefinition definition() {
    return new ToolDefinition(
        name, description, parameters, SchemaGeneration.strictCompatible(parameters));
  }

  /**
   * Parses and checks the arguments. Blank text counts as {@code {}}.
   *
   * @return the plain JSON arguments object
   * @throws ToolException ({@link ToolException.Kind#ARGUMENTS}) when they are not a JSON object
   *     matching the schema
   */
  public Map<String, Object> parseArguments(String argumentsJson) {
    Object json;
    if (argumentsJson == null || argumentsJson.isBlank()) {
      json = Map.of();
    } else {
      try {
        json = LenientJson.read(argumentsJson, LenientJson.Root.OBJECT);
      } catch (LenientJson.Problem p) {
        throw new ToolException(
            null, name, ToolException.Kind.ARGUMENTS, "invalid arguments: " + p.getMessage(), null);
      }
    }
    List<SchemaViolation> violations = JsonSchemas.validateLenient(parameters, json);
    if (!violations.isEmpty()) {
      List<String> texts = new ArrayList<>();
      violations.forEach(v -> texts.add(v.toString()));
      throw new ToolException(
          null,
          name,
          ToolException.Kind.ARGUMENTS,
          "invalid arguments: " + String.join("; ", texts),
          null);
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> map = (Map<String, Object>) json;
    return map;
  }

  /**
   * Calls the tool with the model's argument text and returns the result as text for the model
   * (strings as they are, anything else as JSON).
   *
   * @throws ToolException for invalid arguments or when the function throws
   */
  public String invoke(String argumentsJson) {
    Map<String, Object> args = parseArguments(argumentsJson);
    Object input;
    if (type == null) {
      input = args;
    } else {
      try {
        input = NodeJson.convert(args, type);
      } catch (IllegalArgumentException e) {
        throw new ToolException(
            null,
            name,
            ToolException.Kind.ARGUMENTS,
            "arguments do not convert to "
                + type.getRawClass().getSimpleName()
                + ": "
                + firstLine(e.getMessage()),
            e);
      }
    }
    Object result;
    try {
      result = function.apply(input);
    } catch (RuntimeException e) {
      throw new ToolException(
          null,
          name,
          ToolException.Kind.EXECUTION,
          "failed: " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()),
          e);
    }
    return result instanceof String s ? s : NodeJson.write(NodeJson.toPlain(result));
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  @Override
  public String toString() {
    return "Tool[" + name + "]";
  }
}
