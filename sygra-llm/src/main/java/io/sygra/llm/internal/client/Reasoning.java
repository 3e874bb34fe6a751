package io.sygra.llm.internal.client;

/**
 * Splits inline reasoning from reply text. Reasoning models served without a reasoning parser put
 * their thoughts at the start of {@code content} as {@code <think>...</think>}; when the token
 * limit cuts them off the tag is never closed, and some chat templates emit only the closing tag.
 */
public final class Reasoning {
  private Reasoning() {}

  private static final String OPEN = "<think>";
  private static final String CLOSE = "</think>";

  /** Reasoning and text parts of {@code content}; both null when content is null. */
  public record Split(String reasoning, String text) {}

  public static Split split(String content) {
    if (content == null) {
      return new Split(null, null);
    }
    int i = 0;
    while (i < content.length() && Character.isWhitespace(content.charAt(i))) {
      i++;
    }
    if (content.startsWith(OPEN, i)) {
      int start = i + OPEN.length();
      int end = content.indexOf(CLOSE, start);
      if (end < 0) {
        return new Split(content.substring(start).strip(), ""); // cut off while thinking
      }
      return new Split(
          content.substring(start, end).strip(), content.substring(end + CLOSE.length()).strip());
    }
    int close = content.indexOf(CLOSE);
    if (close >= 0 && content.indexOf(OPEN) < 0) {
      return new Split(
          content.substring(0, close).strip(), content.substring(close + CLOSE.length()).strip());
    }
    return new Split(null, content);
  }

  /** The first non-empty of the given reasoning texts, or null. */
  public static String firstNonEmpty(String... candidates) {
    for (String c : candidates) {
      if (c != null && !c.isEmpty()) {
        return c;
      }
    }
    return null;
  }
}
