package io.sygra.llm;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JavaType;
import io.sygra.llm.internal.NodeJson;
import io.sygra.llm.internal.SchemaGeneration;
import io.sygra.llm.internal.SchemaValidator;
import java.lang.reflect.Type;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * JSON schemas for structured output and tool parameters: generated from Java types, and checked
 * against values.
 *
 * <p><b>Generation</b> uses victools jsonschema-generator (draft 2020-12) with these rules, chosen
 * so the schema is accepted by OpenAI's strict structured outputs:
 *
 * <ul>
 *   <li>every property of a record or bean is required; annotate it with any {@code @Nullable} to
 *       also accept {@code null} (prefer this to {@code Optional}, which state values cannot hold);
 *   <li>a {@code Map<String, V>} becomes an object whose additional properties follow {@code V};
 *       {@code LocalDate}, {@code Instant}, {@code UUID}... become strings with a {@code format};
 *   <li>objects forbid additional properties; record properties keep declaration order;
 *   <li>Jackson annotations are honoured ({@code @JsonProperty} names,
 *       {@code @JsonPropertyDescription}, {@code @JsonClassDescription}, {@code @JsonValue} on
 *       enums);
 *   <li>Jakarta validation constraints become keywords:
 *       {@code @Min}/{@code @Max}/{@code @DecimalMin}/{@code @DecimalMax} to {@code minimum}/{@code
 *       maximum}, {@code @Size} to {@code minLength}/{@code maxLength}/{@code minItems}/{@code
 *       maxItems}, {@code @Pattern} to {@code pattern}, {@code @NotBlank}/{@code @NotEmpty} to
 *       minimum lengths.
 * </ul>
 *
 * <p><b>Validation</b> covers the keywords generators and providers use: {@code type}, {@code
 * enum}, {@code const}, {@code properties}, {@code required}, {@code additionalProperties}, {@code
 * items}, {@code prefixItems}, {@code minItems}/{@code maxItems}, {@code uniqueItems}, {@code
 * minLength}/{@code maxLength}, {@code pattern}, {@code minimum}/{@code maximum} and their
 * exclusive forms, {@code multipleOf}, {@code anyOf}/{@code oneOf}/{@code allOf}/{@code not}, and
 * local {@code $ref}s. {@code format} and other annotations are not checked.
 *
 * <p>All methods are thread-safe; generated schemas are cached per type and unmodifiable.
 */
public final class JsonSchemas {
  private JsonSchemas() {}

  /** The JSON schema of a record, bean, enum, collection or scalar type. */
  public static Map<String, Object> of(Class<?> type) {
    return SchemaGeneration.schemaOf((Type) type);
  }

  /** The JSON schema of a generic type, e.g. {@code new TypeReference<List<Verdict>>() {}}. */
  public static Map<String, Object> of(TypeReference<?> type) {
    return SchemaGeneration.schemaOf(NodeJson.MAPPER.constructType(type));
  }

  /** The JSON schema of a Jackson type (as held by a {@code Key}). */
  public static Map<String, Object> of(JavaType type) {
    return SchemaGeneration.schemaOf(type);
  }

  /**
   * Checks a JSON value (maps, lists, strings, numbers, booleans, null) against a schema.
   *
   * @return the violations (at most 20), empty when the value conforms
   */
  public static List<SchemaViolation> validate(Map<String, Object> schema, Object value) {
    Objects.requireNonNull(schema, "schema");
    return SchemaValidator.validate(schema, value, false);
  }

  /**
   * Like {@link #validate(Map, Object)}, but properties that {@code additionalProperties: false}
   * forbids are tolerated. Structured output uses this: a model that adds an extra field has still
   * answered the question, and typed conversion ignores the field.
   */
  public static List<SchemaViolation> validateLenient(Map<String, Object> schema, Object value) {
    Objects.requireNonNull(schema, "schema");
    return SchemaValidator.validate(schema, value, true);
  }
}
