package io.sygra.samples;

import io.sygra.core.NodeResult;
import io.sygra.core.State;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The samples' graph-level parse retry: an LLM node whose prompt ends with {@code
 * history(feedbackKey)} is followed by a parse step; when the reply cannot be parsed, the step
 * appends the reply and a correction ("your reply could not be used because …; reply again in this
 * form …") to the feedback history and routes back to the LLM node, up to a number of attempts,
 * after which the record (or tree node) gives up. The model sees its own mistake, as a person
 * would, so a retry is a new request rather than the same one repeated.
 *
 * @param feedbackKey state key of the correction history (a list of chat messages)
 * @param attemptKey state key of the 1-based attempt number
 * @param retryKey state key of the routing flag (true: ask again)
 * @param maxAttempts replies tried in all
 */
record ParseRetry(String feedbackKey, String attemptKey, String retryKey, int maxAttempts) {

  ParseRetry {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be >= 1, was " + maxAttempts);
    }
  }

  /** A retry whose keys start with {@code prefix}. */
  static ParseRetry named(String prefix, int maxAttempts) {
    return new ParseRetry(
        prefix + "_feedback", prefix + "_attempt", prefix + "_retry", maxAttempts);
  }

  /** State before the first attempt: no feedback, attempt 1, no retry pending. */
  State reset(State s) {
    return s.with(feedbackKey, List.of()).with(attemptKey, 1).with(retryKey, false);
  }

  /** True when the parse step asked for another reply. */
  boolean retrying(State s) {
    return Boolean.TRUE.equals(s.get(retryKey));
  }

  /** The state after a successful parse (clears the retry flag). */
  State succeeded(State s) {
    return s.with(retryKey, false);
  }

  /** True when another attempt is allowed. */
  boolean canRetry(State s) {
    return ((Number) s.get(attemptKey)).intValue() < maxAttempts;
  }

  /** The state that asks again, showing {@code reply} and what was wrong with it. */
  State retry(State s, String reply, String problem, String format) {
    List<Object> feedback = new ArrayList<>();
    Object prior = s.get(feedbackKey);
    if (prior instanceof List<?> l) {
      feedback.addAll(l);
    }
    feedback.add(SampleRecords.message("assistant", reply == null ? "" : reply));
    feedback.add(
        Map.of(
            "role",
            "user",
            "content",
            "Your reply could not be used: "
                + problem
                + ". Reply again, strictly in this form:\n\n"
                + format));
    return s.with(feedbackKey, feedback)
        .with(attemptKey, ((Number) s.get(attemptKey)).intValue() + 1)
        .with(retryKey, true);
  }

  /** Retries when allowed, else drops the record with {@code dropReason}. */
  NodeResult retryOrDrop(State s, String reply, String problem, String format, String dropReason) {
    if (canRetry(s)) {
      return NodeResult.of(retry(s, reply, problem, format));
    }
    return NodeResult.drop(dropReason);
  }
}
