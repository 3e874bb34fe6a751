package io.sygra.schema;

import com.fasterxml.jackson.databind.JsonNode;
import io.sygra.schema.internal.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One chat message, in the OpenAI/TRL model shared by every format.
 *
 * <p>Records are structural only: a message with empty content or a misplaced tool call can be
 * built, so that readers can hand it to {@link Validator}, which reports the problem with its JSON
 * path. Use the factories for the common shapes.
 *
 * @param role the author; never null
 * @param content the text; {@code null} only for an assistant message that only calls tools
 * @param name an optional participant or tool name ({@code null} when absent)
 * @param toolCalls the calls made by an assistant message; never null, usually empty
 * @param toolCallId for a {@link Role#TOOL} message, the id of the call it answers; else {@code
 *     null}
 */
public record Message(
    Role role, String content, String name, List<ToolCall> toolCalls, String toolCallId) {

  /** Validates and copies; see the record description. */
  public Message {
    Objects.requireNonNull(role, "role");
    toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
  }

  /** A message with the given role and content and nothing else. */
  public static Message of(Role role, String content) {
    return new Message(role, content, null, List.of(), null);
  }

  /** A system message. */
  public static Message system(String content) {
    return of(Role.SYSTEM, content);
  }

  /** A user message. */
  public static Message user(String content) {
    return of(Role.USER, content);
  }

  /** An assistant message. */
  public static Message assistant(String content) {
    return of(Role.ASSISTANT, content);
  }

  /** An assistant message that calls tools; {@code content} may be null. */
  public static Message assistant(String content, List<ToolCall> toolCalls) {
    return new Message(Role.ASSISTANT, content, null, toolCalls, null);
  }

  /** A tool result answering the call {@code toolCallId} of function {@code name}. */
  public static Message tool(String toolCallId, String name, String content) {
    return new Message(Role.TOOL, content, name, List.of(), toolCallId);
  }

  /** True when this message has non-blank content. */
  public boolean hasContent() {
    return content != null && !content.isBlank();
  }

  /** A copy with other content. */
  public Message withContent(String newContent) {
    return new Message(role, newContent, name, toolCalls, toolCallId);
  }

  /**
   * The message as the JSON-compatible map used in {@link io.sygra.core.State} and OpenAI requests:
   * {@code role}, {@code content} (always present, may be null), then {@code name}, {@code
   * tool_calls} (each {@code {id, type: "function", function: {name, arguments}}} with {@code
   * arguments} as JSON text) and {@code tool_call_id} when set.
   */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>(8);
    m.put("role", role.wireName());
    m.put("content", content);
    if (name != null) {
      m.put("name", name);
    }
    if (!toolCalls.isEmpty()) {
      List<Object> calls = new ArrayList<>(toolCalls.size());
      for (ToolCall c : toolCalls) {
        Map<String, Object> call = new LinkedHashMap<>(4);
        if (c.id() != null) {
          call.put("id", c.id());
        }
        call.put("type", "function");
        Map<String, Object> fn = new LinkedHashMap<>(4);
        fn.put("name", c.name());
        fn.put("arguments", c.arguments());
        call.put("function", fn);
        calls.add(call);
      }
      m.put("tool_calls", calls);
    }
    if (toolCallId != null) {
      m.put("tool_call_id", toolCallId);
    }
    return m;
  }

  /**
   * Reads the map form written by {@link #toMap()}. Tool-call {@code arguments} may be JSON text or
   * an object; unknown keys are ignored.
   *
   * @param path the JSON path of the map, used in errors, e.g. {@code $.messages[2]}
   * @throws SchemaException naming the path of the offending field
   */
  public static Message fromMap(Map<String, ?> map, String path) {
    if (map == null) {
      throw new SchemaException(path, "null, expected a message object");
    }
    Object r = map.get("role");
    if (!(r instanceof String rs)) {
      throw new SchemaException(path + ".role", r == null ? "missing" : "expected a string");
    }
    Role role = Role.fromWireName(rs);
    if (role == null) {
      throw new SchemaException(
          path + ".role", "unknown role '" + rs + "' (expected system, user, assistant or tool)");
    }
    String content = optString(map, "content", path);
    String name = optString(map, "name", path);
    String toolCallId = optString(map, "tool_call_id", path);
    List<ToolCall> calls = List.of();
    Object tc = map.get("tool_calls");
    if (tc != null) {
      if (!(tc instanceof List<?> list)) {
        throw new SchemaException(path + ".tool_calls", "expected an array");
      }
      calls = new ArrayList<>(list.size());
      for (int i = 0; i < list.size(); i++) {
        calls.add(toolCallFromMap(list.get(i), path + ".tool_calls[" + i + "]"));
      }
    }
    return new Message(role, content, name, calls, toolCallId);
  }

  private static ToolCall toolCallFromMap(Object o, String path) {
    if (!(o instanceof Map<?, ?> call)) {
      throw new SchemaException(path, "expected an object");
    }
    Object id = call.get("id");
    if (id != null && !(id instanceof String)) {
      throw new SchemaException(path + ".id", "expected a string");
    }
    Object fn = call.get("function");
    if (!(fn instanceof Map<?, ?> f)) {
      throw new SchemaException(path + ".function", fn == null ? "missing" : "expected an object");
    }
    Object n = f.get("name");
    if (!(n instanceof String fname)) {
      throw new SchemaException(
          path + ".function.name", n == null ? "missing" : "expected a string");
    }
    Object a = f.get("arguments");
    String args;
    if (a instanceof String s) {
      args = s;
    } else if (a instanceof Map<?, ?> || a instanceof JsonNode) {
      args = Json.write(a);
    } else {
      throw new SchemaException(
          path + ".function.arguments",
          a == null
              ? "missing"
              : "expected JSON text or an object, found "
                  + io.sygra.core.internal.JsonValues.typeName(a));
    }
    return new ToolCall((String) id, fname, args);
  }

  private static String optString(Map<String, ?> map, String key, String path) {
    Object v = map.get(key);
    if (v == null || v instanceof String) {
      return (String) v;
    }
    throw new SchemaException(
        path + "." + key,
        "expected a string, found " + io.sygra.core.internal.JsonValues.typeName(v));
  }
}
