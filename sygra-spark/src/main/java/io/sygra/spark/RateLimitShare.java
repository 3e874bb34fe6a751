package io.sygra.spark;

import io.sygra.core.ConfigurationException;
import java.io.Serializable;

/**
 * One executor's share of a global rate limit: the global requests and tokens per minute divided by
 * the number of executors, rounded down so the executors together never exceed the global budget.
 *
 * <p>The share is per executor (JVM), not per task, because clients built with the default budget
 * registry share one budget per model and API key across the whole JVM: every task running on an
 * executor at the same time draws on that executor's share.
 *
 * @param globalRequestsPerMinute the cluster-wide requests per minute; 0 = unlimited
 * @param globalTokensPerMinute the cluster-wide tokens per minute; 0 = unlimited
 * @param executors the number of executors the budget is split across, at least 1
 */
public record RateLimitShare(int globalRequestsPerMinute, long globalTokensPerMinute, int executors)
    implements Serializable {

  /**
   * Validates the fields.
   *
   * @throws ConfigurationException when a budget is negative, there is no executor, or a budget is
   *     too small to give every executor at least one unit
   */
  public RateLimitShare {
    ConfigurationException.check(
        globalRequestsPerMinute >= 0,
        "requestsPerMinute",
        "must be >= 0, was " + globalRequestsPerMinute);
    ConfigurationException.check(
        globalTokensPerMinute >= 0,
        "tokensPerMinute",
        "must be >= 0, was " + globalTokensPerMinute);
    ConfigurationException.check(executors >= 1, "executors", "must be >= 1, was " + executors);
    ConfigurationException.check(
        globalRequestsPerMinute == 0 || globalRequestsPerMinute >= executors,
        "requestsPerMinute",
        "a global budget of "
            + globalRequestsPerMinute
            + " requests/minute cannot be split across "
            + executors
            + " executors (each needs at least 1)");
    ConfigurationException.check(
        globalTokensPerMinute == 0 || globalTokensPerMinute >= executors,
        "tokensPerMinute",
        "a global budget of "
            + globalTokensPerMinute
            + " tokens/minute cannot be split across "
            + executors
            + " executors (each needs at least 1)");
  }

  /** No global budget. */
  public static RateLimitShare unlimited(int executors) {
    return new RateLimitShare(0, 0, executors);
  }

  /** True when a global requests or tokens budget is set. */
  public boolean limited() {
    return globalRequestsPerMinute > 0 || globalTokensPerMinute > 0;
  }

  /** Requests per minute for one executor; 0 = unlimited. */
  public int requestsPerMinute() {
    return globalRequestsPerMinute / executors;
  }

  /** Tokens per minute for one executor; 0 = unlimited. */
  public long tokensPerMinute() {
    return globalTokensPerMinute / executors;
  }

  @Override
  public String toString() {
    return limited()
        ? requestsPerMinute()
            + " requests/min and "
            + tokensPerMinute()
            + " tokens/min per executor ("
            + globalRequestsPerMinute
            + " and "
            + globalTokensPerMinute
            + " across "
            + executors
            + " executors; 0 = unlimited)"
        : "unlimited (" + executors + " executors)";
  }
}
