package io.sygra.llm.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Jackson plumbing for the LLM nodes. The mapper is configured like the one {@code Key} reads state
 * values with, so a value converted here reads back the same way through a {@code Key}.
 */
public final class NodeJson {
  private NodeJson() {}

  /** Lenient on unknown properties (models add fields), ISO dates. */
  public static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .addModule(new JavaTimeModule())
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
          .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET)
          .build();

  /** Sorted map keys, so equal values print to equal text (fingerprints, hashes). */
  private static final ObjectMapper CANONICAL =
      JsonMapper.builder().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS).build();

  /** Compact JSON text of a JSON-compatible value. */
  public static String write(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** JSON text with map keys sorted. */
  public static String canonical(Object value) {
    try {
      return CANONICAL.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Converts a JSON-compatible value to {@code type}; throws IllegalArgumentException on failure.
   */
  public static <T> T convert(Object value, JavaType type) {
    return MAPPER.convertValue(value, type);
  }

  /** Converts any Java value (record, bean, map...) to plain maps, lists and scalars. */
  public static Object toPlain(Object value) {
    return MAPPER.convertValue(value, Object.class);
  }

  /** A deep unmodifiable copy of a JSON tree of maps and lists. */
  @SuppressWarnings("unchecked")
  public static <T> T freeze(T value) {
    if (value instanceof Map<?, ?> m) {
      Map<String, Object> copy = new LinkedHashMap<>();
      m.forEach((k, v) -> copy.put(String.valueOf(k), freeze(v)));
      return (T) Collections.unmodifiableMap(copy);
    }
    if (value instanceof List<?> l) {
      List<Object> copy = new ArrayList<>(l.size());
      for (Object o : l) {
        copy.add(freeze(o));
      }
      return (T) Collections.unmodifiableList(copy);
    }
    return value;
  }
}
