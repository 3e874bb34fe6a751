package io.sygra.schema.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import io.sygra.schema.Conversation;
import io.sygra.schema.Example;
import io.sygra.schema.Format;
import io.sygra.schema.Message;
import io.sygra.schema.Preference;
import io.sygra.schema.Role;
import io.sygra.schema.SchemaException;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/** TRL dataset formats: language modeling, prompt-completion, preference and unpaired. */
final class TrlCodecs {
  private TrlCodecs() {}

  /** Writes the optional {@code tools} and {@code metadata} fields and ends the record. */
  private static void endRecord(
      JsonGenerator g, List<Map<String, Object>> tools, Map<String, Object> meta, boolean metadata)
      throws IOException {
    if (!tools.isEmpty()) {
      Messages.writeTools(g, "tools", tools, true);
    }
    Codec.writeMetadata(g, meta, metadata);
    Codec.endRecord(g);
  }

  /** {@code {"messages": [...], "tools"?: [...], "metadata"?: {...}}}. */
  static final class Sft implements Codec {
    @Override
    public Example read(JsonNode r) {
      Fields.object(r, "$");
      return new Conversation(
          Messages.readList(r, "messages", "$"),
          Fields.tools(r, "tools", "$"),
          Fields.metadata(r, "$"));
    }

    @Override
    public void write(Example e, JsonGenerator g, boolean metadata) throws IOException {
      Conversation c = Codec.asConversation(e, Format.TRL_SFT);
      g.writeStartObject();
      Messages.writeList(g, "messages", c.messages(), Messages.Args.OBJECT, "$.messages");
      endRecord(g, c.tools(), c.metadata(), metadata);
    }
  }

  /**
   * {@code {"prompt": [...], "completion": [...]}}; reads the standard string form too. On write
   * the completion is the trailing run of assistant messages.
   */
  static final class PromptCompletion implements Codec {
    @Override
    public Example read(JsonNode r) {
      Fields.object(r, "$");
      JsonNode p = r.get("prompt");
      JsonNode c = r.get("completion");
      List<Message> prompt;
      List<Message> completion;
      if (p != null && p.isTextual() && c != null && c.isTextual()) {
        prompt = List.of(Message.user(p.textValue()));
        completion = List.of(Message.assistant(c.textValue()));
      } else if (p != null && p.isArray() && c != null && c.isArray()) {
        prompt = Messages.readArray(p, "$.prompt");
        completion = Messages.readArray(c, "$.completion");
      } else if (p == null || p.isNull() || c == null || c.isNull()) {
        throw new SchemaException(p == null || p.isNull() ? "$.prompt" : "$.completion", "missing");
      } else {
        throw new SchemaException(
            "$.completion",
            "prompt and completion must both be strings or both be message lists, found "
                + Fields.type(p)
                + " and "
                + Fields.type(c));
      }
      List<Message> all = new java.util.ArrayList<>(prompt);
      all.addAll(completion);
      return new Conversation(all, Fields.tools(r, "tools", "$"), Fields.metadata(r, "$"));
    }

    @Override
    public void write(Example e, JsonGenerator g, boolean metadata) throws IOException {
      Conversation c = Codec.asConversation(e, Format.TRL_PROMPT_COMPLETION);
      List<Message> m = c.messages();
      int split = m.size();
      while (split > 0 && m.get(split - 1).role() == Role.ASSISTANT) {
        split--;
      }
      if (split == m.size()) {
        throw new SchemaException(
            "$.messages", "no final assistant message to use as the completion");
      }
      g.writeStartObject();
      Messages.writeList(g, "prompt", m.subList(0, split), Messages.Args.OBJECT, "$.prompt");
      Messages.writeList(
          g, "completion", m.subList(split, m.size()), Messages.Args.OBJECT, "$.completion");
      endRecord(g, c.tools(), c.metadata(), metadata);
    }
  }

  /**
   * Preference: writes the conversational explicit-prompt form; reads it, the implicit form (prompt
   * extracted as the common prefix of chosen and rejected) and the standard string form.
   */
  static final class Dpo implements Codec {
    @Override
    public Example read(JsonNode r) {
      Fields.object(r, "$");
      JsonNode p = r.get("prompt");
      JsonNode c = r.get("chosen");
      JsonNode j = r.get("rejected");
      if (c == null || c.isNull()) {
        throw new SchemaException("$.chosen", "missing");
      }
      if (j == null || j.isNull()) {
        throw new SchemaException("$.rejected", "missing");
      }
      List<Map<String, Object>> tools = Fields.tools(r, "tools", "$");
      Map<String, Object> meta = Fields.metadata(r, "$");
      boolean hasPrompt = p != null && !p.isNull();
      if (c.isTextual() && j.isTextual()) {
        if (!hasPrompt) {
          throw new SchemaException(
              "$.prompt",
              "missing: the implicit-prompt string form is ambiguous; give a prompt, or read"
                  + " HH-RLHF transcripts with --from hh-rlhf");
        }
        if (!p.isTextual()) {
          throw new SchemaException(
              "$.prompt", "expected a string like chosen and rejected, found " + Fields.type(p));
        }
        return new Preference(
            List.of(Message.user(p.textValue())),
            List.of(Message.assistant(c.textValue())),
            List.of(Message.assistant(j.textValue())),
            tools,
            meta);
      }
      if (!c.isArray() || !j.isArray()) {
        throw new SchemaException(
            "$.rejected",
            "chosen and rejected must both be strings or both be message lists, found "
                + Fields.type(c)
                + " and "
                + Fields.type(j));
      }
      List<Message> chosen = Messages.readArray(c, "$.chosen");
      List<Message> rejected = Messages.readArray(j, "$.rejected");
      if (hasPrompt && p.isArray()) {
        return new Preference(Messages.readArray(p, "$.prompt"), chosen, rejected, tools, meta);
      }
      if (hasPrompt && !p.isTextual()) {
        throw new SchemaException(
            "$.prompt", "expected a message list or a string, found " + Fields.type(p));
      }
      // Implicit prompt: the longest common prefix that ends before the first differing turn.
      int k = 0;
      while (k < chosen.size() && k < rejected.size() && chosen.get(k).equals(rejected.get(k))) {
        k++;
      }
      while (k > 0 && chosen.get(k - 1).role() == Role.ASSISTANT) {
        k--; // a shared opening of the reply belongs to the reply, not the prompt
      }
      if (k == chosen.size() && k == rejected.size()) {
        throw new SchemaException("$.rejected", "identical to chosen");
      }
      if (k == 0) {
        throw new SchemaException(
            "$.chosen", "no prompt: chosen and rejected share no leading user turn");
      }
      List<Message> prompt = chosen.subList(0, k);
      if (hasPrompt) {
        // A string prompt beside full conversations (UltraFeedback style) must match them.
        Message last = prompt.get(prompt.size() - 1);
        if (!p.textValue().equals(last.content())) {
          throw new SchemaException(
              "$.prompt",
              "the string prompt differs from the last prompt turn of chosen and rejected");
        }
      }
      return new Preference(
          prompt,
          chosen.subList(k, chosen.size()),
          rejected.subList(k, rejected.size()),
          tools,
          meta);
    }

    @Override
    public void write(Example e, JsonGenerator g, boolean metadata) throws IOException {
      Preference p = Codec.asPair(e, Format.TRL_DPO);
      g.writeStartObject();
      Messages.writeList(g, "prompt", p.prompt(), Messages.Args.OBJECT, "$.prompt");
      Messages.writeList(g, "chosen", p.chosen(), Messages.Args.OBJECT, "$.chosen");
      Messages.writeList(g, "rejected", p.rejected(), Messages.Args.OBJECT, "$.rejected");
      endRecord(g, p.tools(), p.metadata(), metadata);
    }
  }

  /**
   * Unpaired preference: writes {@code {prompt, completion, label}}; reads that (conversational or
   * strings) and LLaMA-Factory's {@code {messages, label}}. A DPO pair is written as two lines.
   */
  static final class Kto implements Codec {
    @Override
    public Example read(JsonNode r) {
      Fields.object(r, "$");
      boolean label = Fields.bool(r, "label", "$");
      List<Map<String, Object>> tools = Fields.tools(r, "tools", "$");
      Map<String, Object> meta = Fields.metadata(r, "$");
      List<Message> prompt;
      List<Message> completion;
      if (Fields.has(r, "messages")) {
        List<Message> all = Messages.readList(r, "messages", "$");
        if (all.isEmpty()) {
          throw new SchemaException("$.messages", "empty");
        }
        prompt = all.subList(0, all.size() - 1);
        completion = all.subList(all.size() - 1, all.size());
      } else {
        JsonNode p = r.get("prompt");
        JsonNode c = r.get("completion");
        if (p == null || p.isNull() || c == null || c.isNull()) {
          throw new SchemaException(
              p == null || p.isNull() ? "$.prompt" : "$.completion", "missing (or give messages)");
        }
        if (p.isTextual() && c.isTextual()) {
          prompt = List.of(Message.user(p.textValue()));
          completion = List.of(Message.assistant(c.textValue()));
        } else if (p.isArray() && c.isArray()) {
          prompt = Messages.readArray(p, "$.prompt");
          completion = Messages.readArray(c, "$.completion");
        } else {
          throw new SchemaException(
              "$.completion",
              "prompt and completion must both be strings or both be message lists");
        }
      }
      if (completion.isEmpty()) {
        throw new SchemaException("$.completion", "empty");
      }
      return new Preference(
          prompt, label ? completion : List.of(), label ? List.of() : completion, tools, meta);
    }

    @Override
    public void write(Example e, JsonGenerator g, boolean metadata) throws IOException {
      if (!(e instanceof Preference pref)) {
        throw new SchemaException(
            "$", "an SFT conversation cannot be written as kto, which needs a label");
      }
      for (Preference p : pref.unpair()) {
        g.writeStartObject();
        Messages.writeList(g, "prompt", p.prompt(), Messages.Args.OBJECT, "$.prompt");
        Messages.writeList(g, "completion", p.completion(), Messages.Args.OBJECT, "$.completion");
        g.writeBooleanField("label", p.label());
        endRecord(g, p.tools(), p.metadata(), metadata);
      }
    }
  }
}
