package io.sygra.schema.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import io.sygra.schema.Conversation;
import io.sygra.schema.Example;
import io.sygra.schema.Format;
import io.sygra.schema.Message;
import io.sygra.schema.Role;
import io.sygra.schema.SchemaException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Alpaca {@code {instruction, input, output, system?, history?}} as LLaMA-Factory reads it: the
 * user turn is {@code instruction}, followed by {@code "\n" + input} when input is non-empty;
 * {@code history} is a list of earlier {@code [instruction, response]} pairs.
 *
 * <p>Writing needs a conversation of an optional system message and then user/assistant pairs; the
 * last pair becomes {@code instruction}/{@code output} (with {@code input: ""}).
 */
final class AlpacaCodec implements Codec {
  @Override
  public Example read(JsonNode r) {
    Fields.object(r, "$");
    String instruction = Fields.string(r, "instruction", "$");
    String input = Fields.optString(r, "input", "$");
    String output = Fields.string(r, "output", "$");
    String system = Fields.optString(r, "system", "$");
    List<Message> messages = new ArrayList<>();
    if (system != null && !system.isEmpty()) {
      messages.add(Message.system(system));
    }
    JsonNode history = r.get("history");
    if (history != null && !history.isNull()) {
      if (!history.isArray()) {
        throw new SchemaException("$.history", "expected an array, found " + Fields.type(history));
      }
      for (int i = 0; i < history.size(); i++) {
        JsonNode pair = history.get(i);
        String hp = "$.history[" + i + "]";
        if (!pair.isArray()
            || pair.size() != 2
            || !pair.get(0).isTextual()
            || !pair.get(1).isTextual()) {
          throw new SchemaException(hp, "expected an [instruction, response] pair of strings");
        }
        messages.add(Message.user(pair.get(0).textValue()));
        messages.add(Message.assistant(pair.get(1).textValue()));
      }
    }
    String user =
        input == null || input.isEmpty()
            ? instruction
            : instruction.isEmpty() ? input : instruction + "\n" + input;
    messages.add(Message.user(user));
    messages.add(Message.assistant(output));
    return new Conversation(messages, List.of(), Fields.metadata(r, "$"));
  }

  @Override
  public void write(Example e, JsonGenerator g, boolean metadata) throws IOException {
    Conversation c = Codec.asConversation(e, Format.ALPACA);
    List<Message> m = c.messages();
    if (!c.tools().isEmpty()) {
      throw new SchemaException("$.tools", "alpaca cannot represent tools");
    }
    int start = 0;
    String system = null;
    if (!m.isEmpty() && m.get(0).role() == Role.SYSTEM) {
      system = m.get(0).content();
      start = 1;
    }
    int n = m.size() - start;
    if (n < 2 || n % 2 != 0) {
      throw new SchemaException(
          "$.messages",
          "alpaca needs user/assistant pairs after an optional system message, found "
              + n
              + " messages");
    }
    for (int i = start; i < m.size(); i++) {
      Message msg = m.get(i);
      Role expected = (i - start) % 2 == 0 ? Role.USER : Role.ASSISTANT;
      if (msg.role() != expected || !msg.toolCalls().isEmpty() || msg.content() == null) {
        throw new SchemaException(
            "$.messages[" + i + "]",
            msg.toolCalls().isEmpty()
                ? "alpaca needs alternating user/assistant turns with content; expected "
                    + expected
                    + ", found "
                    + msg.role()
                : "alpaca cannot represent tool calls");
      }
    }
    g.writeStartObject();
    g.writeStringField("instruction", m.get(m.size() - 2).content());
    g.writeStringField("input", "");
    g.writeStringField("output", m.get(m.size() - 1).content());
    if (system != null) {
      g.writeStringField("system", system);
    }
    if (n > 2) {
      g.writeArrayFieldStart("history");
      for (int i = start; i < m.size() - 2; i += 2) {
        g.writeStartArray();
        g.writeString(m.get(i).content());
        g.writeString(m.get(i + 1).content());
        g.writeEndArray();
      }
      g.writeEndArray();
    }
    Codec.writeMetadata(g, c.metadata(), metadata);
    Codec.endRecord(g);
  }
}
