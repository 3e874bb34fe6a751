package io.sygra.llm.internal.client;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingRegistry;
import com.knuddels.jtokkit.api.EncodingType;
import io.sygra.llm.ChatMessage;
import io.sygra.llm.ChatRequest;
import io.sygra.llm.ContentPart;
import io.sygra.llm.ResponseFormat;
import io.sygra.llm.ToolCall;
import io.sygra.llm.ToolDefinition;
import java.util.Locale;

/**
 * Estimates prompt tokens with a real BPE tokenizer (jtokkit): {@code o200k_base} for the GPT-4o,
 * GPT-4.1, GPT-5 and o-series families, {@code cl100k_base} otherwise (a fair approximation for
 * other vendors' tokenizers). Adds the chat-format overhead of OpenAI's counting recipe (4 tokens
 * per message, 3 to prime the reply) and a flat 765 tokens per image. Used to reserve
 * tokens-per-minute budget before sending; the reservation is settled with the real usage.
 */
public final class TokenEstimator {
  private TokenEstimator() {}

  private static final EncodingRegistry REGISTRY = Encodings.newLazyEncodingRegistry();
  private static final int PER_MESSAGE = 4;
  private static final int REPLY_PRIMING = 3;
  private static final int PER_IMAGE = 765;

  /** Estimated prompt tokens of {@code request} for {@code model} (may be null). */
  public static long prompt(ChatRequest request, String model) {
    Encoding enc = encodingFor(model);
    long n = REPLY_PRIMING;
    for (ChatMessage m : request.messages()) {
      n += PER_MESSAGE;
      for (ContentPart p : m.content()) {
        if (p instanceof ContentPart.Text t) {
          n += count(enc, t.text());
        } else {
          n += PER_IMAGE;
        }
      }
      if (m.name() != null) {
        n += count(enc, m.name());
      }
      for (ToolCall c : m.toolCalls()) {
        n += count(enc, c.name()) + count(enc, c.arguments()) + 3;
      }
    }
    for (ToolDefinition t : request.tools()) {
      n += count(enc, t.name()) + count(enc, t.description());
      n += count(enc, WireJson.write(WireJson.tree(t.parameters())));
    }
    if (request.responseFormat() instanceof ResponseFormat.JsonSchema js) {
      n += count(enc, WireJson.write(WireJson.tree(js.schema())));
    }
    return n;
  }

  /** Tokens of one text with the tokenizer chosen for {@code model}. */
  public static int count(String text, String model) {
    return count(encodingFor(model), text);
  }

  private static int count(Encoding enc, String text) {
    return text == null || text.isEmpty() ? 0 : enc.countTokensOrdinary(text);
  }

  static Encoding encodingFor(String model) {
    String m = model == null ? "" : model.toLowerCase(Locale.ROOT);
    int slash = m.lastIndexOf('/');
    if (slash >= 0) {
      m = m.substring(slash + 1);
    }
    boolean o200k =
        m.startsWith("gpt-4o")
            || m.startsWith("gpt-4.1")
            || m.startsWith("gpt-4.5")
            || m.startsWith("gpt-5")
            || m.startsWith("chatgpt-4o")
            || m.matches("o\\d.*");
    return REGISTRY.getEncoding(o200k ? EncodingType.O200K_BASE : EncodingType.CL100K_BASE);
  }
}
