package io.sygra.llm;

/**
 * Token usage of one call. Counts the server did not report are 0 for the three main counts and
 * {@code null} for the optional breakdowns.
 *
 * @param promptTokens input tokens
 * @param completionTokens output tokens (reasoning included, as servers count them)
 * @param totalTokens as reported; may exceed prompt + completion on servers with hidden tokens
 * @param cachedTokens prompt tokens served from the server's prompt cache, when reported
 * @param reasoningTokens completion tokens spent on reasoning, when reported
 */
public record Usage(
    long promptTokens,
    long completionTokens,
    long totalTokens,
    Long cachedTokens,
    Long reasoningTokens) {

  /** No usage reported. */
  public static final Usage NONE = new Usage(0, 0, 0, null, null);

  /** Sum of two usages (null breakdowns stay null only when both are null). */
  public Usage plus(Usage o) {
    return new Usage(
        promptTokens + o.promptTokens,
        completionTokens + o.completionTokens,
        totalTokens + o.totalTokens,
        add(cachedTokens, o.cachedTokens),
        add(reasoningTokens, o.reasoningTokens));
  }

  private static Long add(Long a, Long b) {
    if (a == null) {
      return b;
    }
    return b == null ? a : a + b;
  }
}
