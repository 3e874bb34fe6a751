package io.sygra.schema.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.sygra.schema.SchemaException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Typed access to fields of a JSON tree, failing with the JSON path of the field. */
public final class Fields {
  private Fields() {}

  /** The JSON type name of a node, for error messages. */
  public static String type(JsonNode n) {
    if (n == null || n.isMissingNode()) {
      return "nothing";
    }
    return switch (n.getNodeType()) {
      case STRING -> "a string";
      case NUMBER -> "a number";
      case BOOLEAN -> "a boolean";
      case ARRAY -> "an array";
      case OBJECT, POJO -> "an object";
      case NULL -> "null";
      default -> n.getNodeType().toString().toLowerCase(java.util.Locale.ROOT);
    };
  }

  /** Requires {@code node} to be an object. */
  public static JsonNode object(JsonNode node, String path) {
    if (node == null || !node.isObject()) {
      throw new SchemaException(path, "expected an object, found " + type(node));
    }
    return node;
  }

  /** A required string field. */
  public static String string(JsonNode obj, String field, String path) {
    JsonNode n = obj.get(field);
    if (n == null || n.isNull()) {
      throw new SchemaException(path + "." + field, "missing");
    }
    if (!n.isTextual()) {
      throw new SchemaException(path + "." + field, "expected a string, found " + type(n));
    }
    return n.textValue();
  }

  /** An optional string field: {@code null} when absent or null. */
  public static String optString(JsonNode obj, String field, String path) {
    JsonNode n = obj.get(field);
    if (n == null || n.isNull()) {
      return null;
    }
    if (!n.isTextual()) {
      throw new SchemaException(path + "." + field, "expected a string, found " + type(n));
    }
    return n.textValue();
  }

  /** A required array field. */
  public static JsonNode array(JsonNode obj, String field, String path) {
    JsonNode n = obj.get(field);
    if (n == null || n.isNull()) {
      throw new SchemaException(path + "." + field, "missing");
    }
    if (!n.isArray()) {
      throw new SchemaException(path + "." + field, "expected an array, found " + type(n));
    }
    return n;
  }

  /** A required boolean field. */
  public static boolean bool(JsonNode obj, String field, String path) {
    JsonNode n = obj.get(field);
    if (n == null || n.isNull()) {
      throw new SchemaException(path + "." + field, "missing");
    }
    if (!n.isBoolean()) {
      throw new SchemaException(path + "." + field, "expected a boolean, found " + type(n));
    }
    return n.booleanValue();
  }

  /** True when the field is present and not null. */
  public static boolean has(JsonNode obj, String field) {
    JsonNode n = obj.get(field);
    return n != null && !n.isNull();
  }

  /** The {@code metadata} object of a record as a map, or an empty map. */
  public static Map<String, Object> metadata(JsonNode obj, String path) {
    JsonNode n = obj.get("metadata");
    if (n == null || n.isNull()) {
      return Map.of();
    }
    if (!n.isObject()) {
      throw new SchemaException(path + ".metadata", "expected an object, found " + type(n));
    }
    return Json.toMap(n);
  }

  /**
   * Tool definitions: an array, or a JSON-encoded array in a string ({@code ""} meaning none);
   * elements either {@code {type: "function", function: {...}}} or the bare function object.
   * Returns the bare function objects.
   */
  public static List<Map<String, Object>> tools(JsonNode obj, String field, String path) {
    JsonNode n = obj.get(field);
    String p = path + "." + field;
    if (n == null || n.isNull()) {
      return List.of();
    }
    if (n.isTextual()) {
      String text = n.textValue();
      if (text.isBlank()) {
        return List.of();
      }
      JsonNode parsed = Json.tryParse(text);
      if (parsed == null) {
        throw new SchemaException(p, "a string that is not valid JSON");
      }
      n = parsed;
    }
    if (!n.isArray()) {
      throw new SchemaException(p, "expected an array of tools, found " + type(n));
    }
    List<Map<String, Object>> out = new ArrayList<>(n.size());
    for (int i = 0; i < n.size(); i++) {
      JsonNode t = n.get(i);
      String tp = p + "[" + i + "]";
      if (!t.isObject()) {
        throw new SchemaException(tp, "expected a tool object, found " + type(t));
      }
      JsonNode fn = t.has("function") && t.get("function").isObject() ? t.get("function") : t;
      JsonNode name = fn.get("name");
      if (name == null || !name.isTextual()) {
        throw new SchemaException(
            tp + (fn == t ? "" : ".function") + ".name",
            name == null ? "missing" : "expected a string, found " + type(name));
      }
      out.add(Json.toMap(fn));
    }
    return out;
  }
}
