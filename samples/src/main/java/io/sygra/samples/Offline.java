package io.sygra.samples;

import io.sygra.llm.ChatMessage;
import io.sygra.llm.ChatRequest;
import java.util.List;

/** Helpers for the samples' offline (simulated-model) responders. */
final class Offline {
  private Offline() {}

  /** The text of the last user message of {@code request}, or "". */
  static String lastUser(ChatRequest request) {
    List<ChatMessage> ms = request.messages();
    for (int i = ms.size() - 1; i >= 0; i--) {
      if (ms.get(i).role() == ChatMessage.Role.USER && ms.get(i).text() != null) {
        return ms.get(i).text();
      }
    }
    return "";
  }

  /** The text of the first user message of {@code request}, or "". */
  static String firstUser(ChatRequest request) {
    for (ChatMessage m : request.messages()) {
      if (m.role() == ChatMessage.Role.USER && m.text() != null) {
        return m.text();
      }
    }
    return "";
  }

  /** Matches requests whose first user message contains {@code marker}. */
  static java.util.function.Predicate<ChatRequest> firstUserContains(String marker) {
    return r -> firstUser(r).contains(marker);
  }

  /** Number of messages with {@code role}. */
  static long count(ChatRequest request, ChatMessage.Role role) {
    return request.messages().stream().filter(m -> m.role() == role).count();
  }

  /**
   * The text between {@code start} and {@code end} (the last occurrence of {@code start}); to the
   * end of {@code text} when {@code end} is absent; "" when {@code start} is absent.
   */
  static String between(String text, String start, String end) {
    int s = text.lastIndexOf(start);
    if (s < 0) {
      return "";
    }
    s += start.length();
    int e = end == null ? -1 : text.indexOf(end, s);
    return text.substring(s, e < 0 ? text.length() : e).strip();
  }

  /** The first sentence of {@code text} (up to and including . ! or ?), or the text. */
  static String firstSentence(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if ((c == '.' || c == '!' || c == '?')
          && (i + 1 == text.length() || text.charAt(i + 1) == ' ')) {
        return text.substring(0, i + 1).strip();
      }
    }
    return text.strip();
  }
}
