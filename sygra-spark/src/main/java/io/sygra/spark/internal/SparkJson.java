package io.sygra.spark.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/** The module's Jackson mapper (records as LinkedHashMaps, big strings allowed). */
public final class SparkJson {
  private SparkJson() {}

  /** Long texts (documents, transcripts) must not hit Jackson's default 20M-char string limit. */
  private static final int MAX_STRING = 256 << 20;

  /** Lenient on unknown properties; maps keep field order. */
  public static final ObjectMapper MAPPER =
      JsonMapper.builder(
              JsonFactory.builder()
                  .streamReadConstraints(
                      StreamReadConstraints.builder().maxStringLength(MAX_STRING).build())
                  .build())
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
          .build();

  /** Parses one JSON object. */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> readMap(String json) {
    try {
      Object v = MAPPER.readValue(json, Object.class);
      if (!(v instanceof Map<?, ?>)) {
        throw new IllegalArgumentException("expected a JSON object, found " + typeName(v));
      }
      return (Map<String, Object>) v;
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Compact JSON text. */
  public static String write(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Pretty JSON text. */
  public static String writePretty(Object value) {
    try {
      return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A JSON type name for error messages. */
  public static String typeName(Object v) {
    if (v == null) {
      return "null";
    }
    if (v instanceof Map<?, ?>) {
      return "object";
    }
    if (v instanceof java.util.List<?>) {
      return "array";
    }
    if (v instanceof String) {
      return "string";
    }
    if (v instanceof Boolean) {
      return "boolean";
    }
    if (v instanceof Number) {
      return "number";
    }
    return v.getClass().getSimpleName();
  }

  /** A mutable copy of {@code m}. */
  public static Map<String, Object> copy(Map<String, ?> m) {
    return new LinkedHashMap<>(m);
  }
}
