package io.sygra.schema.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import io.sygra.schema.Conversation;
import io.sygra.schema.Example;
import io.sygra.schema.Format;
import io.sygra.schema.Message;
import io.sygra.schema.SchemaException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * OpenAI fine-tuning JSONL. Never writes {@code metadata}: OpenAI validates the keys of each line.
 * {@code parallel_tool_calls} travels in the example's metadata under that name.
 */
final class OpenAiCodecs {
  private OpenAiCodecs() {}

  static final String PARALLEL = "parallel_tool_calls";

  /** {@code {"messages": [...], "tools"?: [...], "parallel_tool_calls"?: bool}}. */
  static final class Chat implements Codec {
    @Override
    public Example read(JsonNode r) {
      Fields.object(r, "$");
      return new Conversation(
          Messages.readList(r, "messages", "$"), Fields.tools(r, "tools", "$"), extras(r, "$"));
    }

    @Override
    public void write(Example e, JsonGenerator g, boolean metadata) throws IOException {
      Conversation c = Codec.asConversation(e, Format.OPENAI_CHAT);
      g.writeStartObject();
      Messages.writeList(
          g,
          "messages",
          Messages.withCallIds(c.messages(), "$.messages"),
          Messages.Args.STRING,
          "$.messages");
      writeExtras(g, c.tools(), c.metadata());
      Codec.endRecord(g);
    }
  }

  /**
   * {@code {"input": {"messages", "tools"?, "parallel_tool_calls"?}, "preferred_output": [...],
   * "non_preferred_output": [...]}}.
   */
  static final class Preference implements Codec {
    @Override
    public Example read(JsonNode r) {
      Fields.object(r, "$");
      JsonNode input = r.get("input");
      if (input == null || input.isNull()) {
        throw new SchemaException("$.input", "missing");
      }
      Fields.object(input, "$.input");
      List<Message> prompt = Messages.readList(input, "messages", "$.input");
      List<Message> chosen = Messages.readList(r, "preferred_output", "$");
      List<Message> rejected = Messages.readList(r, "non_preferred_output", "$");
      if (chosen.isEmpty()) {
        throw new SchemaException("$.preferred_output", "empty");
      }
      if (rejected.isEmpty()) {
        throw new SchemaException("$.non_preferred_output", "empty");
      }
      return new io.sygra.schema.Preference(
          prompt,
          chosen,
          rejected,
          Fields.tools(input, "tools", "$.input"),
          extras(input, "$.input"));
    }

    @Override
    public void write(Example e, JsonGenerator g, boolean metadata) throws IOException {
      io.sygra.schema.Preference p = Codec.asPair(e, Format.OPENAI_PREFERENCE);
      g.writeStartObject();
      g.writeObjectFieldStart("input");
      Messages.writeList(
          g,
          "messages",
          Messages.withCallIds(p.prompt(), "$.input.messages"),
          Messages.Args.STRING,
          "$.input.messages");
      writeExtras(g, p.tools(), p.metadata());
      g.writeEndObject();
      Messages.writeList(
          g, "preferred_output", p.chosen(), Messages.Args.STRING, "$.preferred_output");
      Messages.writeList(
          g, "non_preferred_output", p.rejected(), Messages.Args.STRING, "$.non_preferred_output");
      Codec.endRecord(g);
    }
  }

  private static Map<String, Object> extras(JsonNode obj, String path) {
    JsonNode ptc = obj.get(PARALLEL);
    if (ptc == null || ptc.isNull()) {
      return Map.of();
    }
    if (!ptc.isBoolean()) {
      throw new SchemaException(
          path + "." + PARALLEL, "expected a boolean, found " + Fields.type(ptc));
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put(PARALLEL, ptc.booleanValue());
    return m;
  }

  private static void writeExtras(
      JsonGenerator g, List<Map<String, Object>> tools, Map<String, Object> metadata)
      throws IOException {
    if (!tools.isEmpty()) {
      Messages.writeTools(g, "tools", new ArrayList<>(tools), true);
    }
    if (metadata.get(PARALLEL) instanceof Boolean b) {
      g.writeBooleanField(PARALLEL, b);
    }
  }
}
