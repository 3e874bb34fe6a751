package io.sygra.llm;

import io.sygra.llm.internal.client.RateBudget;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds the requests/tokens budgets, one per model and rate-limit account ({@link
 * RemoteEndpoint#rateLimitScope()}: provider, base URL and a fingerprint of the API key). Every
 * resilient client built with the same registry and the same key draws on the same budget, so the
 * limit holds across all nodes and threads. {@link #shared()} is the JVM-wide registry used by
 * default; {@link #create()} gives an isolated one (for tests, or deliberately separate budgets).
 *
 * <p>The first client to ask for a budget sets its limits; a later client asking with different
 * limits gets the existing budget and a warning. Thread-safe.
 */
public final class BudgetRegistry {
  private static final Logger LOG = LoggerFactory.getLogger(BudgetRegistry.class);
  private static final BudgetRegistry SHARED = new BudgetRegistry();

  private final ConcurrentHashMap<String, RateBudget> budgets = new ConcurrentHashMap<>();

  private BudgetRegistry() {}

  /** The JVM-wide registry. */
  public static BudgetRegistry shared() {
    return SHARED;
  }

  /** A new, empty registry. */
  public static BudgetRegistry create() {
    return new BudgetRegistry();
  }

  /** Number of budgets created so far. */
  public int size() {
    return budgets.size();
  }

  RateBudget budget(
      String scope,
      String model,
      int requests,
      long tokens,
      Duration window,
      ScheduledExecutorService scheduler) {
    String key = scope + "\u0000" + model;
    RateBudget b =
        budgets.computeIfAbsent(
            key, k -> new RateBudget(requests, tokens, window, scheduler, System::nanoTime));
    if (b.maxRequests() != requests || b.maxTokens() != tokens) {
      LOG.warn(
          "model '{}' already has a budget of {} requests/{} tokens for this API key; "
              + "keeping it instead of {} requests/{} tokens",
          model,
          b.maxRequests(),
          b.maxTokens(),
          requests,
          tokens);
    }
    return b;
  }
}
