package io.sygra.schema.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import io.sygra.schema.Message;
import io.sygra.schema.Role;
import io.sygra.schema.SchemaException;
import io.sygra.schema.ToolCall;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;

/** Reading and writing OpenAI/TRL-style message objects. */
public final class Messages {
  private Messages() {}

  /** How tool-call arguments are written. */
  public enum Args {
    /** A JSON object (TRL). */
    OBJECT,
    /** JSON text in a string (OpenAI). */
    STRING
  }

  /** A {@code {role, content, ...}} list at {@code obj.field}. */
  public static List<Message> readList(JsonNode obj, String field, String path) {
    JsonNode arr = Fields.array(obj, field, path);
    return readArray(arr, path + "." + field);
  }

  /** Reads an array of message objects. */
  public static List<Message> readArray(JsonNode arr, String path) {
    List<Message> out = new ArrayList<>(arr.size());
    for (int i = 0; i < arr.size(); i++) {
      out.add(read(arr.get(i), path + "[" + i + "]"));
    }
    return out;
  }

  /** Reads one {@code {role, content, name?, tool_calls?, tool_call_id?}} object. */
  public static Message read(JsonNode n, String path) {
    Fields.object(n, path);
    String r = Fields.string(n, "role", path);
    Role role = Role.fromWireName(r);
    if (role == null) {
      throw new SchemaException(
          path + ".role", "unknown role '" + r + "' (expected system, user, assistant or tool)");
    }
    String content = content(n, path);
    String name = Fields.optString(n, "name", path);
    String toolCallId = Fields.optString(n, "tool_call_id", path);
    List<ToolCall> calls = List.of();
    JsonNode tc = n.get("tool_calls");
    if (tc != null && !tc.isNull()) {
      if (!tc.isArray()) {
        throw new SchemaException(
            path + ".tool_calls", "expected an array, found " + Fields.type(tc));
      }
      calls = new ArrayList<>(tc.size());
      for (int j = 0; j < tc.size(); j++) {
        calls.add(toolCall(tc.get(j), path + ".tool_calls[" + j + "]"));
      }
    }
    return new Message(role, content, name, calls, toolCallId);
  }

  private static String content(JsonNode n, String path) {
    JsonNode c = n.get("content");
    if (c == null || c.isNull()) {
      return null;
    }
    if (c.isTextual()) {
      return c.textValue();
    }
    if (c.isArray()) {
      throw new SchemaException(
          path + ".content", "content parts (an array) are not supported; expected a string");
    }
    throw new SchemaException(path + ".content", "expected a string, found " + Fields.type(c));
  }

  /** Reads {@code {id?, type?: "function", function: {name, arguments}}}. */
  public static ToolCall toolCall(JsonNode c, String path) {
    Fields.object(c, path);
    String id = Fields.optString(c, "id", path);
    String type = Fields.optString(c, "type", path);
    if (type != null && !type.equals("function")) {
      throw new SchemaException(path + ".type", "unsupported tool call type '" + type + "'");
    }
    JsonNode fn = c.get("function");
    if (fn == null || fn.isNull()) {
      throw new SchemaException(path + ".function", "missing");
    }
    Fields.object(fn, path + ".function");
    String name = Fields.string(fn, "name", path + ".function");
    return new ToolCall(id, name, arguments(fn, path + ".function"));
  }

  /** {@code arguments} as JSON text: a string as it is, an object serialized compactly. */
  public static String arguments(JsonNode fn, String path) {
    JsonNode a = fn.get("arguments");
    if (a == null || a.isNull()) {
      throw new SchemaException(path + ".arguments", "missing");
    }
    if (a.isTextual()) {
      return a.textValue();
    }
    if (a.isObject()) {
      return Json.write(a);
    }
    throw new SchemaException(
        path + ".arguments", "expected an object or JSON text, found " + Fields.type(a));
  }

  /** Writes a message list as an array field. */
  public static void writeList(
      JsonGenerator g, String field, List<Message> messages, Args args, String path)
      throws IOException {
    g.writeArrayFieldStart(field);
    for (int i = 0; i < messages.size(); i++) {
      write(g, messages.get(i), args, path + "[" + i + "]");
    }
    g.writeEndArray();
  }

  /**
   * Writes one message object. {@link Args#STRING} (OpenAI) omits null content and the name of tool
   * messages, as OpenAI does.
   */
  public static void write(JsonGenerator g, Message m, Args args, String path) throws IOException {
    g.writeStartObject();
    g.writeStringField("role", m.role().wireName());
    if (m.content() != null) {
      g.writeFieldName("content");
      writeText(g, m.content());
    } else if (args == Args.OBJECT) {
      g.writeNullField("content");
    }
    // OpenAI tool messages have no name field (TRL's do: the function name).
    if (m.name() != null && !(args == Args.STRING && m.role() == Role.TOOL)) {
      g.writeStringField("name", m.name());
    }
    if (!m.toolCalls().isEmpty()) {
      g.writeArrayFieldStart("tool_calls");
      for (int j = 0; j < m.toolCalls().size(); j++) {
        ToolCall c = m.toolCalls().get(j);
        g.writeStartObject();
        if (c.id() != null) {
          g.writeStringField("id", c.id());
        }
        g.writeStringField("type", "function");
        g.writeObjectFieldStart("function");
        g.writeStringField("name", c.name());
        if (args == Args.OBJECT) {
          g.writeFieldName("arguments");
          g.writeTree(argumentsObject(c, path + ".tool_calls[" + j + "].function.arguments"));
        } else {
          g.writeStringField("arguments", c.arguments());
        }
        g.writeEndObject();
        g.writeEndObject();
      }
      g.writeEndArray();
    }
    if (m.toolCallId() != null) {
      g.writeStringField("tool_call_id", m.toolCallId());
    }
    g.writeEndObject();
  }

  private static final ThreadLocal<char[]> CHARS = ThreadLocal.withInitial(() -> new char[4096]);

  /** Raw encodings of texts, by identity, for the example being written (see JsonlWriter). */
  static final ThreadLocal<Map<String, byte[]>> RAW_TEXTS = ThreadLocal.withInitial(Map::of);

  /**
   * Writes a string value. Long strings go through a reused {@code char[]}: Jackson's {@code
   * String} path reads long values one {@code charAt} at a time, which dominates output cost.
   */
  public static void writeText(JsonGenerator g, String s) throws IOException {
    byte[] raw = RAW_TEXTS.get().get(s);
    if (raw != null) {
      g.writeRawUTF8String(raw, 0, raw.length);
      return;
    }
    int n = s.length();
    if (n < 256) {
      g.writeString(s);
      return;
    }
    char[] buf = CHARS.get();
    if (buf.length < n) {
      buf = new char[Math.max(n, buf.length * 2)];
      if (buf.length <= (1 << 20)) {
        CHARS.set(buf);
      }
    }
    s.getChars(0, n, buf, 0);
    g.writeString(buf, 0, n);
  }

  /** The arguments parsed as a JSON object, for formats that store an object. */
  public static JsonNode argumentsObject(ToolCall c, String path) {
    JsonNode n = Json.tryParse(c.arguments());
    if (n == null || !n.isObject()) {
      throw new SchemaException(
          path, "tool call arguments are not a JSON object, which this format requires");
    }
    return n;
  }

  /** Writes the {@code tools} field: wrapped {@code {type: function, function}} or bare objects. */
  public static void writeTools(
      JsonGenerator g, String field, List<Map<String, Object>> tools, boolean wrapped)
      throws IOException {
    g.writeArrayFieldStart(field);
    for (Map<String, Object> t : tools) {
      if (wrapped) {
        g.writeStartObject();
        g.writeStringField("type", "function");
        g.writeFieldName("function");
        Json.writeValue(g, t);
        g.writeEndObject();
      } else {
        Json.writeValue(g, t);
      }
    }
    g.writeEndArray();
  }

  /**
   * Gives every tool call an id (keeping existing ones; new ones are {@code call_<n>}) and every
   * tool message the id of the earliest unanswered call. OpenAI records need both.
   *
   * @throws SchemaException when a tool message answers no call
   */
  public static List<Message> withCallIds(List<Message> messages, String path) {
    boolean complete = true;
    for (Message m : messages) {
      for (ToolCall c : m.toolCalls()) {
        complete &= c.id() != null;
      }
      complete &= m.role() != Role.TOOL || m.toolCallId() != null;
    }
    if (complete) {
      return messages;
    }
    List<Message> out = new ArrayList<>(messages.size());
    Deque<ToolCall> open = new ArrayDeque<>();
    int n = 0;
    for (int i = 0; i < messages.size(); i++) {
      Message m = messages.get(i);
      if (!m.toolCalls().isEmpty()) {
        List<ToolCall> calls = new ArrayList<>(m.toolCalls().size());
        for (ToolCall c : m.toolCalls()) {
          ToolCall withId = c.id() != null ? c : c.withId("call_" + n);
          n++;
          calls.add(withId);
          open.add(withId);
        }
        m = new Message(m.role(), m.content(), m.name(), calls, m.toolCallId());
      } else if (m.role() == Role.TOOL) {
        if (m.toolCallId() != null) {
          String id = m.toolCallId();
          open.removeIf(c -> c.id().equals(id));
        } else {
          ToolCall c = open.poll();
          if (c == null) {
            throw new SchemaException(
                path + "[" + i + "].tool_call_id", "a tool message that answers no tool call");
          }
          m =
              new Message(
                  m.role(), m.content(), m.name() != null ? m.name() : c.name(), List.of(), c.id());
        }
      }
      out.add(m);
    }
    return out;
  }
}
