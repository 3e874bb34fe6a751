package io.sygra.llm.internal;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;

/**
 * Token counts with the cl100k_base encoding (GPT-4 and GPT-3.5 family; quicker to load than
 * o200k), loaded on first use.
 */
public final class TokenCounter {
  private TokenCounter() {}

  private static final class Holder {
    static final Encoding ENCODING =
        Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.CL100K_BASE);
  }

  /** Tokens in {@code text}; special-token markers count as ordinary text. 0 for null. */
  public static int count(String text) {
    return text == null || text.isEmpty() ? 0 : Holder.ENCODING.countTokensOrdinary(text);
  }
}
