package io.sygra.llm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.core.type.TypeReference;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonSchemasTest {

  enum Label {
    GOOD,
    BAD
  }

  @Retention(RetentionPolicy.RUNTIME)
  @Target({
    ElementType.FIELD,
    ElementType.PARAMETER,
    ElementType.METHOD,
    ElementType.RECORD_COMPONENT
  })
  @interface Nullable {}

  record Citation(String source, int page) {}

  record Verdict(
      @JsonPropertyDescription("1 = useless, 10 = perfect") @Min(1) @Max(10) int score,
      String reason,
      Label label,
      @Size(min = 1, max = 3) List<String> tags,
      @Nullable String note,
      Citation primary,
      List<Citation> others,
      @JsonProperty("is_safe") boolean safe,
      @Pattern(regexp = "^[a-z]+$") String code) {}

  @Test
  @SuppressWarnings("unchecked")
  void recordSchemaIsStrictAndKeepsDeclarationOrder() {
    Map<String, Object> s = JsonSchemas.of(Verdict.class);

    assertThat(s.get("type")).isEqualTo("object");
    assertThat(s.get("additionalProperties")).isEqualTo(false);
    Map<String, Object> props = (Map<String, Object>) s.get("properties");
    assertThat(props.keySet())
        .containsExactly(
            "score", "reason", "label", "tags", "note", "primary", "others", "is_safe", "code");
    assertThat((List<String>) s.get("required"))
        .containsExactlyInAnyOrderElementsOf(props.keySet());
    Map<String, Object> score = (Map<String, Object>) props.get("score");
    assertThat(score)
        .containsEntry("type", "integer")
        .containsEntry("minimum", 1)
        .containsEntry("maximum", 10)
        .containsEntry("description", "1 = useless, 10 = perfect");
    assertThat((Map<String, Object>) props.get("label"))
        .containsEntry("enum", List.of("GOOD", "BAD"));
    assertThat((Map<String, Object>) props.get("tags"))
        .containsEntry("minItems", 1)
        .containsEntry("maxItems", 3);
    assertThat(((Map<String, Object>) props.get("note")).get("type"))
        .isEqualTo(List.of("string", "null"));
    assertThat((Map<String, Object>) props.get("code")).containsEntry("pattern", "^[a-z]+$");
    assertThat(StructuredOutput.of(Verdict.class).strict()).isTrue();
  }

  record TypeUseNullable(@org.jspecify.annotations.Nullable String note, String text) {}

  @Test
  @SuppressWarnings("unchecked")
  void typeUseNullableAnnotationsAllowNull() {
    Map<String, Object> props =
        (Map<String, Object>) JsonSchemas.of(TypeUseNullable.class).get("properties");
    assertThat(((Map<String, Object>) props.get("note")).get("type"))
        .isEqualTo(List.of("string", "null"));
    assertThat(((Map<String, Object>) props.get("text")).get("type")).isEqualTo("string");
  }

  @Test
  void schemasAreCachedAndUnmodifiable() {
    Map<String, Object> a = JsonSchemas.of(Verdict.class);
    assertThat(JsonSchemas.of(Verdict.class)).isSameAs(a);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> a.put("x", 1))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  @SuppressWarnings("unchecked")
  void genericTypes() {
    Map<String, Object> s = JsonSchemas.of(new TypeReference<List<Citation>>() {});
    assertThat(s.get("type")).isEqualTo("array");
    assertThat(((Map<String, Object>) s.get("items")).get("type")).isEqualTo("object");
  }

  private static Map<String, Object> validVerdict() {
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("score", 7);
    v.put("reason", "clear");
    v.put("label", "GOOD");
    v.put("tags", List.of("x"));
    v.put("note", null);
    v.put("primary", Map.of("source", "book", "page", 3));
    v.put("others", List.of());
    v.put("is_safe", true);
    v.put("code", "abc");
    return v;
  }

  @Test
  void validValueHasNoViolations() {
    assertThat(JsonSchemas.validate(JsonSchemas.of(Verdict.class), validVerdict())).isEmpty();
  }

  @Test
  void integralDoublesCountAsIntegers() {
    Map<String, Object> v = validVerdict();
    v.put("score", 7.0);
    assertThat(JsonSchemas.validate(JsonSchemas.of(Verdict.class), v)).isEmpty();
  }

  @Test
  void eachViolationNamesItsPath() {
    Map<String, Object> v = validVerdict();
    v.put("score", 11);
    v.remove("reason");
    v.put("label", "MEH");
    v.put("tags", List.of());
    v.put("primary", Map.of("source", "book", "page", "three"));
    v.put("is_safe", "yes");
    v.put("code", "ABC");
    v.put("extra", 1);

    List<String> problems =
        JsonSchemas.validate(JsonSchemas.of(Verdict.class), v).stream()
            .map(SchemaViolation::toString)
            .toList();

    assertThat(problems)
        .containsExactlyInAnyOrder(
            "$: missing required property 'reason'",
            "$.score: 11 is greater than the maximum 10",
            "$.label: \"MEH\" is not one of [\"GOOD\",\"BAD\"]",
            "$.tags: has 0 items, fewer than the minimum 1",
            "$.primary.page: expected integer, found \"three\"",
            "$.is_safe: expected boolean, found \"yes\"",
            "$.code: \"ABC\" does not match the pattern ^[a-z]+$",
            "$.extra: property is not allowed (allowed: [score, reason, label, tags, note,"
                + " primary, others, is_safe, code])");
  }

  @Test
  void lenientValidationToleratesExtraProperties() {
    Map<String, Object> v = validVerdict();
    v.put("extra", 1);
    assertThat(JsonSchemas.validateLenient(JsonSchemas.of(Verdict.class), v)).isEmpty();
    assertThat(JsonSchemas.validate(JsonSchemas.of(Verdict.class), v)).hasSize(1);
  }

  @Test
  void nestedDefinitionsAreFollowed() {
    Map<String, Object> v = validVerdict();
    v.put("others", List.of(Map.of("source", "a", "page", 1), Map.of("source", 5, "page", 2)));
    assertThat(JsonSchemas.validate(JsonSchemas.of(Verdict.class), v))
        .extracting(SchemaViolation::toString)
        .containsExactly("$.others[1].source: expected string, found 5");
  }

  @Test
  void handWrittenKeywords() {
    Map<String, Object> schema =
        Map.of(
            "type",
            "object",
            "properties",
            Map.of(
                "ratio", Map.of("type", "number", "exclusiveMinimum", 0, "exclusiveMaximum", 1),
                "step", Map.of("type", "integer", "multipleOf", 5),
                "name", Map.of("type", "string", "minLength", 2, "maxLength", 4),
                "ids", Map.of("type", "array", "uniqueItems", true),
                "kind", Map.of("const", "fixed"),
                "either",
                    Map.of(
                        "anyOf", List.of(Map.of("type", "integer"), Map.of("type", "boolean")))));
    Map<String, Object> bad = new LinkedHashMap<>();
    bad.put("ratio", 1);
    bad.put("step", 12);
    bad.put("name", "abcdef");
    bad.put("ids", List.of(1, 2, 1.0));
    bad.put("kind", "other");
    bad.put("either", "text");

    assertThat(JsonSchemas.validate(schema, bad))
        .extracting(SchemaViolation::path)
        .containsExactlyInAnyOrder("$.ratio", "$.step", "$.name", "$.ids[2]", "$.kind", "$.either");
    Map<String, Object> good =
        Map.of(
            "ratio",
            0.5,
            "step",
            15,
            "name",
            "abc",
            "ids",
            List.of(1, 2),
            "kind",
            "fixed",
            "either",
            true);
    assertThat(JsonSchemas.validate(schema, good)).isEmpty();
  }

  @Test
  void unresolvableRefIsReported() {
    Map<String, Object> schema = Map.of("$ref", "#/$defs/Missing");
    assertThat(JsonSchemas.validate(schema, 1))
        .extracting(SchemaViolation::message)
        .containsExactly("the schema refers to '#/$defs/Missing', which it does not define");
  }
}
