package io.sygra.spark.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.sygra.core.internal.Json;
import io.sygra.core.internal.JsonValues;
import java.io.UncheckedIOException;
import java.util.Map;

/** Reads the JSON objects a partition exchanges with the runner, with core's mapper. */
public final class SparkJson {
  private SparkJson() {}

  /**
   * Parses one JSON object.
   *
   * @throws IllegalArgumentException when the text is valid JSON but not an object
   */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> readMap(String json) {
    try {
      Object v = Json.MAPPER.readValue(json, Object.class);
      if (!(v instanceof Map<?, ?>)) {
        throw new IllegalArgumentException(
            "expected a JSON object, found " + JsonValues.typeName(v));
      }
      return (Map<String, Object>) v;
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
