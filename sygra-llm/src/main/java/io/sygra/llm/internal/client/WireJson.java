package io.sygra.llm.internal.client;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/** Jackson plumbing for the wire formats of the model clients. */
public final class WireJson {
  private WireJson() {}

  /** Lenient reader/writer: unknown fields ignored, big strings allowed (long completions). */
  public static final ObjectMapper MAPPER =
      JsonMapper.builder(
              JsonFactory.builder()
                  .streamReadConstraints(
                      StreamReadConstraints.builder().maxStringLength(256 << 20).build())
                  .build())
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .build();

  public static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  public static ObjectNode object() {
    return NODES.objectNode();
  }

  public static String write(JsonNode node) {
    try {
      return MAPPER.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static byte[] writeBytes(JsonNode node) {
    try {
      return MAPPER.writeValueAsBytes(node);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Converts a map, list or scalar into a tree (values of tool schemas, extra body fields). */
  public static JsonNode tree(Object value) {
    return MAPPER.valueToTree(value);
  }

  /** Text of a field that is a string; null when missing, null or not textual. */
  public static String text(JsonNode node, String field) {
    if (node == null) {
      return null;
    }
    JsonNode v = node.get(field);
    return v != null && v.isTextual() ? v.asText() : null;
  }

  /** A non-negative count; 0 when missing or not a number. */
  public static long count(JsonNode node, String field) {
    if (node == null) {
      return 0;
    }
    JsonNode v = node.get(field);
    return v != null && v.isNumber() ? Math.max(0, v.asLong()) : 0;
  }

  /** A count that may be absent: null when missing or not a number. */
  public static Long optCount(JsonNode node, String field) {
    if (node == null) {
      return null;
    }
    JsonNode v = node.get(field);
    return v != null && v.isNumber() ? Math.max(0, v.asLong()) : null;
  }

  /** A JSON value as text for a code or id field: strings as is, numbers in decimal, else null. */
  public static String scalar(JsonNode v) {
    if (v == null || v.isNull() || v.isMissingNode()) {
      return null;
    }
    if (v.isTextual() || v.isNumber() || v.isBoolean()) {
      return v.asText();
    }
    return null;
  }

  /**
   * The tree with every object's keys sorted, recursively, so equal values give equal bytes (the
   * basis of response-cache keys).
   */
  public static JsonNode canonical(JsonNode node) {
    if (node.isObject()) {
      TreeMap<String, JsonNode> sorted = new TreeMap<>();
      Iterator<Map.Entry<String, JsonNode>> it = node.fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        sorted.put(e.getKey(), canonical(e.getValue()));
      }
      ObjectNode out = object();
      sorted.forEach(out::set);
      return out;
    }
    if (node.isArray()) {
      var out = NODES.arrayNode();
      node.forEach(n -> out.add(canonical(n)));
      return out;
    }
    return node;
  }
}
