package io.sygra.schema.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import io.sygra.schema.Example;
import io.sygra.schema.Format;
import io.sygra.schema.Message;
import io.sygra.schema.Preference;
import io.sygra.schema.SchemaException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Anthropic HH-RLHF rows {@code {"chosen": str, "rejected": str}}, each a whole transcript. Read
 * only.
 *
 * <p>The prompt is everything before the last {@code "\n\nAssistant:"}; the reply is the rest
 * without its leading space. Turns are split only on {@code "\n\nHuman: "} and {@code
 * "\n\nAssistant: "}, so a {@code Human:} inside a reply stays text. A row is rejected, with the
 * reason, when a transcript does not start with a Human turn or does not end on an Assistant turn,
 * when a separator lacks its space, when the prompts of chosen and rejected differ, or when a final
 * Assistant turn is empty.
 */
final class HhRlhfCodec implements Codec {
  static final String HUMAN = "\n\nHuman: ";
  static final String ASSISTANT = "\n\nAssistant: ";
  private static final String LAST = "\n\nAssistant:";

  private record Transcript(String promptText, List<Message> prompt, String reply) {}

  @Override
  public Example read(JsonNode r) {
    Fields.object(r, "$");
    String chosen = Fields.string(r, "chosen", "$");
    String rejected = Fields.string(r, "rejected", "$");
    Transcript c = parse(chosen, "$.chosen");
    Transcript j = parse(rejected, "$.rejected");
    if (!c.promptText.equals(j.promptText)) {
      int k = 0;
      while (k < c.prompt.size()
          && k < j.prompt.size()
          && c.prompt.get(k).equals(j.prompt.get(k))) {
        k++;
      }
      throw new SchemaException(
          "$.rejected",
          "the prompt turns of chosen and rejected differ (first at turn "
              + k
              + "; chosen has "
              + c.prompt.size()
              + " prompt turns, rejected "
              + j.prompt.size()
              + ")");
    }
    if (c.reply.isBlank()) {
      throw new SchemaException("$.chosen", "the final Assistant turn is empty");
    }
    if (j.reply.isBlank()) {
      throw new SchemaException("$.rejected", "the final Assistant turn is empty");
    }
    return new Preference(
        c.prompt,
        List.of(Message.assistant(c.reply)),
        List.of(Message.assistant(j.reply)),
        List.of(),
        Map.of());
  }

  private static Transcript parse(String s, String path) {
    if (!s.startsWith(HUMAN)) {
      throw new SchemaException(path, "does not start with a \"\\n\\nHuman: \" turn");
    }
    checkSeparators(s, "\n\nHuman:", path);
    checkSeparators(s, LAST, path);
    int last = s.lastIndexOf(LAST);
    if (last < 0) {
      throw new SchemaException(path, "has no Assistant turn");
    }
    String promptText = s.substring(0, last);
    String reply = s.substring(last + LAST.length());
    if (reply.startsWith(" ")) {
      reply = reply.substring(1);
    }
    if (reply.contains(HUMAN)) {
      throw new SchemaException(path, "does not end on an Assistant turn");
    }
    return new Transcript(promptText, split(promptText), reply);
  }

  /** A separator must be followed by one space (or end the text, for an empty final turn). */
  private static void checkSeparators(String s, String tag, String path) {
    int i = s.indexOf(tag);
    while (i >= 0) {
      int after = i + tag.length();
      if (after < s.length() && s.charAt(after) != ' ') {
        throw new SchemaException(
            path,
            "malformed separator \""
                + tag.replace("\n", "\\n")
                + "\" without a following space at offset "
                + i);
      }
      i = s.indexOf(tag, after);
    }
  }

  private static List<Message> split(String text) {
    List<Message> turns = new ArrayList<>();
    int pos = 0;
    boolean human = true;
    int contentStart = HUMAN.length();
    while (true) {
      int h = text.indexOf(HUMAN, contentStart);
      int a = text.indexOf(ASSISTANT, contentStart);
      int next = h < 0 ? a : a < 0 ? h : Math.min(h, a);
      String content = text.substring(contentStart, next < 0 ? text.length() : next);
      turns.add(human ? Message.user(content) : Message.assistant(content));
      if (next < 0) {
        break;
      }
      human = next == h;
      pos = next;
      contentStart = pos + (human ? HUMAN.length() : ASSISTANT.length());
    }
    return turns;
  }

  @Override
  public void write(Example e, JsonGenerator g, boolean metadata) {
    throw new SchemaException("$", Format.HH_RLHF + " is read-only");
  }
}
