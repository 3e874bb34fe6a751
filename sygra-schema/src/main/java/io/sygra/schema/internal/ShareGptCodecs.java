package io.sygra.schema.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sygra.schema.Conversation;
import io.sygra.schema.Example;
import io.sygra.schema.Format;
import io.sygra.schema.Message;
import io.sygra.schema.Preference;
import io.sygra.schema.SchemaException;
import io.sygra.schema.ToolCall;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;

/**
 * ShareGPT ({@code conversations} of {@code {from, value}}) as LLaMA-Factory and axolotl use it,
 * including Glaive-style tools: {@code function_call} turns become assistant tool calls with
 * generated ids ({@code call_0}, {@code call_1}, ...), {@code observation} turns become tool
 * messages answering the earliest open call.
 */
final class ShareGptCodecs {
  private ShareGptCodecs() {}

  /** Turn-by-turn mapping of ShareGPT {@code from} values, with tool-call bookkeeping. */
  static final class TurnReader {
    private final Deque<ToolCall> open = new ArrayDeque<>();
    private int callCount;

    Message turn(JsonNode t, String path) {
      Fields.object(t, path);
      String from = Fields.string(t, "from", path);
      JsonNode v = t.get("value");
      if (v != null && !v.isNull() && !v.isTextual()) {
        throw new SchemaException(path + ".value", "expected a string, found " + Fields.type(v));
      }
      String value = v == null || v.isNull() ? null : v.textValue();
      switch (from) {
        case "human", "user":
          return Message.user(value);
        case "gpt", "assistant":
          return Message.assistant(value);
        case "system":
          return Message.system(value);
        case "function_call":
          return Message.assistant(null, calls(value, path + ".value"));
        case "observation", "tool":
          ToolCall answered = open.poll();
          return Message.tool(
              answered == null ? null : answered.id(),
              answered == null ? null : answered.name(),
              value);
        default:
          throw new SchemaException(
              path + ".from",
              "unknown role '"
                  + from
                  + "' (expected human, gpt, system, function_call, observation or tool)");
      }
    }

    private List<ToolCall> calls(String value, String path) {
      if (value == null) {
        throw new SchemaException(path, "missing function call");
      }
      JsonNode n = Json.tryParse(value);
      if (n == null) {
        throw new SchemaException(path, "function_call is not valid JSON");
      }
      List<JsonNode> items = new ArrayList<>();
      if (n.isArray()) {
        n.forEach(items::add);
      } else {
        items.add(n);
      }
      if (items.isEmpty()) {
        throw new SchemaException(path, "function_call holds no call");
      }
      List<ToolCall> out = new ArrayList<>(items.size());
      for (int i = 0; i < items.size(); i++) {
        JsonNode c = items.get(i);
        String cp = n.isArray() ? path + "[" + i + "]" : path;
        Fields.object(c, cp);
        String name = Fields.string(c, "name", cp);
        ToolCall call = new ToolCall("call_" + callCount++, name, Messages.arguments(c, cp));
        open.add(call);
        out.add(call);
      }
      return out;
    }
  }

  static List<Message> readConversations(JsonNode r, TurnReader turns) {
    JsonNode conv = Fields.array(r, "conversations", "$");
    List<Message> out = new ArrayList<>(conv.size() + 1);
    String system = Fields.optString(r, "system", "$");
    if (system != null) {
      out.add(Message.system(system));
    }
    for (int i = 0; i < conv.size(); i++) {
      out.add(turns.turn(conv.get(i), "$.conversations[" + i + "]"));
    }
    return out;
  }

  /** Writes messages as ShareGPT turns; returns nothing, fails on unrepresentable messages. */
  static void writeTurns(JsonGenerator g, List<Message> messages, String path) throws IOException {
    for (int i = 0; i < messages.size(); i++) {
      Message m = messages.get(i);
      String mp = path + "[" + i + "]";
      switch (m.role()) {
        case SYSTEM -> turn(g, "system", m.content());
        case USER -> turn(g, "human", m.content());
        case TOOL -> turn(g, "observation", m.content());
        case ASSISTANT -> {
          if (m.toolCalls().isEmpty() || (m.content() != null && !m.content().isEmpty())) {
            turn(g, "gpt", m.content());
          }
          if (!m.toolCalls().isEmpty()) {
            turn(g, "function_call", callValue(m.toolCalls(), mp));
          }
        }
        default -> throw new IllegalStateException();
      }
    }
  }

  private static String callValue(List<ToolCall> calls, String path) {
    List<ObjectNode> nodes = new ArrayList<>(calls.size());
    for (int j = 0; j < calls.size(); j++) {
      ToolCall c = calls.get(j);
      ObjectNode o = Json.MAPPER.createObjectNode();
      o.put("name", c.name());
      o.set(
          "arguments",
          Messages.argumentsObject(c, path + ".tool_calls[" + j + "].function.arguments"));
      nodes.add(o);
    }
    return nodes.size() == 1 ? Json.write(nodes.get(0)) : Json.write(nodes);
  }

  private static void turn(JsonGenerator g, String from, String value) throws IOException {
    g.writeStartObject();
    g.writeStringField("from", from);
    if (value == null) {
      g.writeNullField("value");
    } else {
      g.writeFieldName("value");
      Messages.writeText(g, value);
    }
    g.writeEndObject();
  }

  static void writeTools(JsonGenerator g, List<Map<String, Object>> tools) throws IOException {
    if (!tools.isEmpty()) {
      // LLaMA-Factory stores the function list as a JSON-encoded string.
      g.writeStringField("tools", Json.write(tools));
    }
  }

  /** {@code {"conversations": [...], "system"?: str, "tools"?: str|array}}. */
  static final class Sft implements Codec {
    @Override
    public Example read(JsonNode r) {
      Fields.object(r, "$");
      List<Map<String, Object>> tools = Fields.tools(r, "tools", "$");
      return new Conversation(
          readConversations(r, new TurnReader()), tools, Fields.metadata(r, "$"));
    }

    @Override
    public void write(Example e, JsonGenerator g, boolean metadata) throws IOException {
      Conversation c = Codec.asConversation(e, Format.SHAREGPT);
      g.writeStartObject();
      g.writeArrayFieldStart("conversations");
      writeTurns(g, c.messages(), "$.messages");
      g.writeEndArray();
      writeTools(g, c.tools());
      Codec.writeMetadata(g, c.metadata(), metadata);
      Codec.endRecord(g);
    }
  }

  /**
   * LLaMA-Factory preference rows: {@code conversations} (the prompt) plus {@code chosen} and
   * {@code rejected}, each a single {@code {from, value}} object (a list of turns is accepted too).
   * Read only.
   */
  static final class LlamaFactoryDpo implements Codec {
    @Override
    public Example read(JsonNode r) {
      Fields.object(r, "$");
      List<Map<String, Object>> tools = Fields.tools(r, "tools", "$");
      TurnReader turns = new TurnReader();
      List<Message> prompt = readConversations(r, turns);
      // Both replies answer the same prompt, so each gets its own copy of the open tool calls.
      List<Message> chosen = reply(r, "chosen", copy(turns));
      List<Message> rejected = reply(r, "rejected", copy(turns));
      return new Preference(prompt, chosen, rejected, tools, Fields.metadata(r, "$"));
    }

    private static TurnReader copy(TurnReader t) {
      TurnReader c = new TurnReader();
      c.open.addAll(t.open);
      c.callCount = t.callCount;
      return c;
    }

    private static List<Message> reply(JsonNode r, String field, TurnReader turns) {
      JsonNode n = r.get(field);
      String p = "$." + field;
      if (n == null || n.isNull()) {
        throw new SchemaException(p, "missing");
      }
      if (n.isObject()) {
        return List.of(turns.turn(n, p));
      }
      if (n.isArray()) {
        List<Message> out = new ArrayList<>(n.size());
        for (int i = 0; i < n.size(); i++) {
          out.add(turns.turn(n.get(i), p + "[" + i + "]"));
        }
        if (out.isEmpty()) {
          throw new SchemaException(p, "empty");
        }
        return out;
      }
      throw new SchemaException(p, "expected a {from, value} object, found " + Fields.type(n));
    }

    @Override
    public void write(Example e, JsonGenerator g, boolean metadata) {
      throw new SchemaException("$", Format.LLAMAFACTORY_DPO + " is read-only");
    }
  }
}
