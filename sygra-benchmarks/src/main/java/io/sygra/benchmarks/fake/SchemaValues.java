package io.sygra.benchmarks.fake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Generates a deterministic JSON value that satisfies the common subset of a JSON schema used for
 * structured LLM output: {@code type} (or a list of types), {@code properties} (every declared
 * property is filled, so {@code required} holds), {@code enum} and {@code const} (the first value),
 * {@code minimum}/{@code maximum} and their exclusive forms, {@code minLength}/{@code maxLength},
 * {@code minItems}/{@code maxItems}, {@code items}/{@code prefixItems}, {@code anyOf}/{@code oneOf}
 * (the first non-null branch), {@code allOf} (properties merged), well-known string {@code
 * format}s, and local {@code $ref}s into {@code $defs}/{@code definitions}. {@code pattern} is not
 * honoured.
 */
final class SchemaValues {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final int MAX_DEPTH = 12;

  private final JsonNode root;
  private final String text;

  private SchemaValues(JsonNode root, String text) {
    this.root = root;
    this.text = text;
  }

  /**
   * A value for {@code schema}.
   *
   * @param hash seeds the choice of numbers
   * @param text the basis of generated strings (e.g. an echo of the user message)
   */
  static JsonNode generate(JsonNode schema, long hash, String text) {
    return new SchemaValues(schema, text.isBlank() ? "value" : text).value(schema, hash, "", 0);
  }

  private JsonNode value(JsonNode schema, long hash, String name, int depth) {
    schema = resolve(schema, depth);
    if (schema == null || !schema.isObject()) {
      return NODES.textNode(stringFor(name, null));
    }
    if (schema.has("const")) {
      return schema.get("const");
    }
    JsonNode enumValues = schema.get("enum");
    if (enumValues != null && enumValues.isArray() && !enumValues.isEmpty()) {
      return enumValues.get(0);
    }
    for (String keyword : new String[] {"anyOf", "oneOf"}) {
      JsonNode options = schema.get(keyword);
      if (options != null && options.isArray() && !options.isEmpty()) {
        for (JsonNode option : options) {
          JsonNode resolved = resolve(option, depth);
          if (resolved != null && !"null".equals(resolved.path("type").asText())) {
            return value(resolved, hash, name, depth + 1);
          }
        }
        return value(options.get(0), hash, name, depth + 1);
      }
    }
    JsonNode allOf = schema.get("allOf");
    if (allOf != null && allOf.isArray() && !allOf.isEmpty()) {
      return value(mergeAllOf(schema, allOf, depth), hash, name, depth + 1);
    }
    switch (typeOf(schema)) {
      case "object":
        return object(schema, hash, depth);
      case "array":
        return array(schema, hash, name, depth);
      case "integer":
        long integer = integer(schema, hash);
        return integer == (int) integer
            ? NODES.numberNode((int) integer)
            : NODES.numberNode(integer);
      case "number":
        return NODES.numberNode(number(schema, hash));
      case "boolean":
        return NODES.booleanNode(true);
      case "null":
        return NODES.nullNode();
      default:
        return NODES.textNode(string(schema, name));
    }
  }

  private JsonNode resolve(JsonNode schema, int depth) {
    int hops = 0;
    while (schema != null && schema.has("$ref") && hops++ < MAX_DEPTH) {
      String ref = schema.get("$ref").asText();
      if (!ref.startsWith("#")) {
        return null;
      }
      JsonNode target = ref.equals("#") ? root : root.at(ref.substring(1));
      schema = target.isMissingNode() ? null : target;
    }
    return depth > MAX_DEPTH * 2 ? null : schema;
  }

  private ObjectNode mergeAllOf(JsonNode schema, JsonNode allOf, int depth) {
    ObjectNode merged = ((ObjectNode) schema).deepCopy();
    merged.remove("allOf");
    ObjectNode properties = NODES.objectNode();
    Set<String> required = new LinkedHashSet<>();
    List<JsonNode> parts = new ArrayList<>();
    parts.add(schema);
    allOf.forEach(parts::add);
    for (JsonNode part : parts) {
      JsonNode resolved = resolve(part, depth);
      if (resolved == null) {
        continue;
      }
      if (resolved.path("properties").isObject()) {
        properties.setAll((ObjectNode) resolved.get("properties"));
      }
      resolved.path("required").forEach(r -> required.add(r.asText()));
      if (!merged.has("type") && resolved.has("type")) {
        merged.set("type", resolved.get("type"));
      }
    }
    if (!properties.isEmpty()) {
      merged.set("properties", properties);
      merged.put("type", "object");
    }
    ArrayNode requiredNode = merged.putArray("required");
    required.forEach(requiredNode::add);
    return merged;
  }

  private static String typeOf(JsonNode schema) {
    JsonNode type = schema.get("type");
    if (type != null && type.isTextual()) {
      return type.asText();
    }
    if (type != null && type.isArray()) {
      for (JsonNode t : type) {
        if (!"null".equals(t.asText())) {
          return t.asText();
        }
      }
      return "null";
    }
    if (schema.has("properties")) {
      return "object";
    }
    if (schema.has("items") || schema.has("prefixItems")) {
      return "array";
    }
    return "string";
  }

  private JsonNode object(JsonNode schema, long hash, int depth) {
    ObjectNode object = NODES.objectNode();
    JsonNode properties = schema.path("properties");
    Set<String> names = new LinkedHashSet<>();
    // Past a certain depth only required properties are filled, so recursive schemas terminate.
    if (depth < MAX_DEPTH) {
      properties.fieldNames().forEachRemaining(names::add);
    }
    schema.path("required").forEach(r -> names.add(r.asText()));
    for (String property : names) {
      long h = Hashing.mix64(hash ^ Hashing.hash(property));
      object.set(property, value(properties.get(property), h, property, depth + 1));
    }
    return object;
  }

  private JsonNode array(JsonNode schema, long hash, String name, int depth) {
    ArrayNode array = NODES.arrayNode();
    int min = schema.path("minItems").asInt(1);
    int max = schema.has("maxItems") ? schema.get("maxItems").asInt() : Integer.MAX_VALUE;
    int count = Math.min(Math.max(min, depth < MAX_DEPTH ? 1 : 0), max);
    JsonNode prefix = schema.path("prefixItems");
    Iterator<JsonNode> prefixItems =
        prefix.isArray() ? prefix.elements() : List.<JsonNode>of().iterator();
    for (int i = 0; i < count; i++) {
      JsonNode itemSchema = prefixItems.hasNext() ? prefixItems.next() : schema.get("items");
      array.add(value(itemSchema, Hashing.mix64(hash + i), name, depth + 1));
    }
    return array;
  }

  private static long integer(JsonNode schema, long hash) {
    long lo = Long.MIN_VALUE;
    long hi = Long.MAX_VALUE;
    if (schema.has("minimum")) {
      lo = (long) Math.ceil(schema.get("minimum").asDouble());
    }
    if (schema.path("exclusiveMinimum").isNumber()) {
      lo = Math.max(lo, (long) Math.floor(schema.get("exclusiveMinimum").asDouble()) + 1);
    }
    if (schema.has("maximum")) {
      hi = (long) Math.floor(schema.get("maximum").asDouble());
    }
    if (schema.path("exclusiveMaximum").isNumber()) {
      hi = Math.min(hi, (long) Math.ceil(schema.get("exclusiveMaximum").asDouble()) - 1);
    }
    long value;
    if (lo != Long.MIN_VALUE && hi != Long.MAX_VALUE && hi >= lo) {
      long span = hi - lo + 1;
      value = span > 0 ? lo + Math.floorMod(hash, span) : lo;
    } else if (lo != Long.MIN_VALUE) {
      value = lo;
    } else if (hi != Long.MAX_VALUE) {
      value = hi;
    } else {
      value = Math.floorMod(hash, 10);
    }
    long multipleOf = schema.path("multipleOf").asLong(0);
    if (multipleOf > 1 && value % multipleOf != 0) {
      long up = value + (multipleOf - Math.floorMod(value, multipleOf));
      value = up <= hi ? up : value - Math.floorMod(value, multipleOf);
    }
    return value;
  }

  private static BigDecimal number(JsonNode schema, long hash) {
    Double lo = schema.has("minimum") ? schema.get("minimum").asDouble() : null;
    Double hi = schema.has("maximum") ? schema.get("maximum").asDouble() : null;
    if (schema.path("exclusiveMinimum").isNumber()) {
      lo = schema.get("exclusiveMinimum").asDouble();
    }
    if (schema.path("exclusiveMaximum").isNumber()) {
      hi = schema.get("exclusiveMaximum").asDouble();
    }
    double fraction = 0.05 + 0.9 * ((hash >>> 11) * 0x1.0p-53);
    double value;
    if (lo != null && hi != null) {
      value = lo + (hi - lo) * fraction;
    } else if (lo != null) {
      value = lo + 1;
    } else if (hi != null) {
      value = hi - 1;
    } else {
      value = fraction;
    }
    BigDecimal rounded = BigDecimal.valueOf(value).setScale(3, RoundingMode.HALF_EVEN);
    // Rounding must not leave an open interval, e.g. (0, 0.0001).
    if ((lo != null && rounded.doubleValue() <= lo)
        || (hi != null && rounded.doubleValue() >= hi)) {
      return BigDecimal.valueOf(value);
    }
    return rounded.stripTrailingZeros();
  }

  private String string(JsonNode schema, String name) {
    String format = schema.path("format").asText("");
    String value =
        switch (format) {
          case "date-time" -> "2024-01-01T00:00:00Z";
          case "date" -> "2024-01-01";
          case "time" -> "00:00:00Z";
          case "email" -> "user@example.com";
          case "uri", "url" -> "https://example.com/";
          case "uuid" -> uuid(Hashing.hash(text + name));
          default -> stringFor(name, schema);
        };
    return value;
  }

  private String stringFor(String name, JsonNode schema) {
    String value = name.isEmpty() ? text : name + ": " + text;
    if (schema != null) {
      int minLength = schema.path("minLength").asInt(0);
      int maxLength = schema.path("maxLength").asInt(Integer.MAX_VALUE);
      if (value.length() < minLength) {
        value = value + "x".repeat(minLength - value.length());
      }
      if (value.length() > maxLength) {
        value = value.substring(0, maxLength);
      }
    }
    return value;
  }

  private static String uuid(long hash) {
    String hex = Hashing.hex(hash) + Hashing.hex(Hashing.mix64(hash));
    return hex.substring(0, 8)
        + "-"
        + hex.substring(8, 12)
        + "-4"
        + hex.substring(13, 16)
        + "-8"
        + hex.substring(17, 20)
        + "-"
        + hex.substring(20, 32);
  }
}
