package io.sygra.llm.internal;

import io.sygra.core.StateException;
import io.sygra.llm.ChatMessage;
import io.sygra.llm.ContentPart;
import io.sygra.llm.ToolCall;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Converts between chat messages held in state (OpenAI chat format maps, as TRL and most datasets
 * write them) and {@link ChatMessage}s.
 *
 * <p>State form: {@code {"role": "user", "content": "..."}}; content may also be a list of parts
 * ({@code {"type": "text", "text": ...}}, {@code {"type": "image_url", "image_url": {"url":
 * ...}}}); assistant messages may carry {@code tool_calls} ({@code {"id", "type": "function",
 * "function": {"name", "arguments"}}}); tool messages carry {@code tool_call_id} and optionally
 * {@code name}.
 */
public final class StateMessages {
  private StateMessages() {}

  /**
   * Reads a list of state messages.
   *
   * @param key the state key the list came from, for errors
   * @param node the node reading it, for errors
   * @throws StateException naming the key, node and message index when a message is malformed
   */
  public static List<ChatMessage> read(Object raw, String key, String node) {
    if (raw == null) {
      return List.of();
    }
    if (!(raw instanceof List<?> list)) {
      throw new StateException(
          key, "node '" + node + "' expects a list of chat messages, found " + kind(raw));
    }
    List<ChatMessage> out = new ArrayList<>(list.size());
    for (int i = 0; i < list.size(); i++) {
      out.add(readOne(list.get(i), key, node, i));
    }
    return out;
  }

  private static ChatMessage readOne(Object o, String key, String node, int i) {
    String where = "node '" + node + "': message " + i;
    if (!(o instanceof Map<?, ?> m)) {
      throw new StateException(key, where + " is " + kind(o) + ", not an object");
    }
    if (!(m.get("role") instanceof String roleName)) {
      throw new StateException(key, where + " has no string 'role'");
    }
    ChatMessage.Role role;
    try {
      role = ChatMessage.Role.parse(roleName);
    } catch (IllegalArgumentException e) {
      throw new StateException(key, where + ": " + e.getMessage());
    }
    List<ContentPart> parts = parts(m.get("content"), key, where);
    String name = m.get("name") instanceof String s ? s : null;
    List<ToolCall> calls = new ArrayList<>();
    if (m.get("tool_calls") instanceof List<?> tcs) {
      for (Object tc : tcs) {
        calls.add(toolCall(tc, key, where));
      }
    }
    String toolCallId = m.get("tool_call_id") instanceof String s ? s : null;
    try {
      return new ChatMessage(role, parts, name, calls, toolCallId);
    } catch (IllegalArgumentException e) {
      throw new StateException(key, where + ": " + e.getMessage());
    }
  }

  private static List<ContentPart> parts(Object content, String key, String where) {
    if (content == null) {
      return List.of();
    }
    if (content instanceof String s) {
      return List.of(new ContentPart.Text(s));
    }
    if (!(content instanceof List<?> l)) {
      throw new StateException(
          key, where + " has content of type " + kind(content) + "; expected a string or a list");
    }
    List<ContentPart> out = new ArrayList<>(l.size());
    for (Object p : l) {
      if (p instanceof String s) {
        out.add(new ContentPart.Text(s));
        continue;
      }
      if (!(p instanceof Map<?, ?> pm)) {
        throw new StateException(key, where + " has a content part that is " + kind(p));
      }
      Object type = pm.get("type");
      if ("text".equals(type) && pm.get("text") instanceof String t) {
        out.add(new ContentPart.Text(t));
      } else if ("image_url".equals(type)
          && pm.get("image_url") instanceof Map<?, ?> img
          && img.get("url") instanceof String url) {
        out.add(new ContentPart.Image(url, img.get("detail") instanceof String d ? d : null));
      } else if ("image_url".equals(type) && pm.get("image_url") instanceof String url) {
        out.add(new ContentPart.Image(url, null));
      } else {
        throw new StateException(
            key,
            where
                + " has an unsupported content part of type '"
                + type
                + "' (supported: text, image_url)");
      }
    }
    return out;
  }

  private static ToolCall toolCall(Object tc, String key, String where) {
    if (tc instanceof Map<?, ?> m
        && m.get("function") instanceof Map<?, ?> f
        && f.get("name") instanceof String name) {
      Object args = f.get("arguments");
      String argText = args == null ? "" : args instanceof String s ? s : NodeJson.write(args);
      return new ToolCall(m.get("id") instanceof String id ? id : "", name, argText);
    }
    throw new StateException(
        key,
        where + " has a malformed tool call; expected {id, type, function: {name, arguments}}");
  }

  /** The state form of a message. */
  public static Map<String, Object> write(ChatMessage m) {
    Map<String, Object> out = new LinkedHashMap<>(6);
    out.put("role", m.role().wireName());
    if (m.isMultimodal()) {
      List<Object> parts = new ArrayList<>();
      for (ContentPart p : m.content()) {
        if (p instanceof ContentPart.Text t) {
          parts.add(Map.of("type", "text", "text", t.text()));
        } else if (p instanceof ContentPart.Image img) {
          Map<String, Object> image = new LinkedHashMap<>();
          image.put("url", img.url());
          if (img.detail() != null) {
            image.put("detail", img.detail());
          }
          parts.add(Map.of("type", "image_url", "image_url", image));
        }
      }
      out.put("content", parts);
    } else {
      out.put("content", m.text());
    }
    if (m.name() != null) {
      out.put("name", m.name());
    }
    if (!m.toolCalls().isEmpty()) {
      List<Object> calls = new ArrayList<>();
      for (ToolCall tc : m.toolCalls()) {
        Map<String, Object> fn = new LinkedHashMap<>();
        fn.put("name", tc.name());
        fn.put("arguments", tc.arguments());
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("id", tc.id());
        c.put("type", "function");
        c.put("function", fn);
        calls.add(c);
      }
      out.put("tool_calls", calls);
    }
    if (m.toolCallId() != null) {
      out.put("tool_call_id", m.toolCallId());
    }
    return out;
  }

  private static String kind(Object v) {
    if (v == null) {
      return "null";
    }
    if (v instanceof String) {
      return "a string";
    }
    if (v instanceof Number) {
      return "a number";
    }
    if (v instanceof Boolean) {
      return "a boolean";
    }
    if (v instanceof List<?>) {
      return "a list";
    }
    return v instanceof Map<?, ?> ? "an object" : v.getClass().getSimpleName();
  }
}
