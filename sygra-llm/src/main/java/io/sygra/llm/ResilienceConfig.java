package io.sygra.llm;

import io.sygra.core.ConfigurationException;
import java.time.Clock;
import java.time.Duration;

/**
 * How {@link ResilientModelClient} (and {@link ResilientEmbedder}) absorb faults and pace calls.
 * Immutable; build with {@link #builder()}, start from {@link #defaults()}, derive with {@link
 * #newBuilder()}. Every setter validates at once and names the field and value on error.
 *
 * <p><b>Retry</b> (Resilience4j {@code Retry}): up to {@link #maxAttempts()} attempts (default 6)
 * for retryable {@link ModelException}s (429, 408, 5xx, timeouts, resets, malformed bodies), with
 * exponential backoff from {@link #initialBackoff()} (1 s) by {@link #backoffMultiplier()} (2) up
 * to {@link #maxBackoff()} (60 s), each delay shortened by a random fraction up to {@link
 * #jitter()} (0.5). When the server says how long to wait ({@code Retry-After}, {@code
 * retry-after-ms}, {@code x-ratelimit-reset-*}) that wait is used instead, plus up to 10% jitter; a
 * wait longer than {@link #maxRetryAfter()} (2 min) is not worth holding the call for, and the
 * error is returned at once.
 *
 * <p><b>Budgets</b>: at most {@link #requestsPerWindow()} requests and {@link #tokensPerWindow()}
 * tokens in any rolling {@link #budgetWindow()} (default one minute; 0 = unlimited, the default),
 * per model and rate-limit account (API key), enforced before sending. Tokens are reserved as the
 * estimated prompt (counted with a real tokenizer) plus the request's {@code maxTokens} (or {@link
 * #completionTokensEstimate()}, 512), and settled with the actual usage when the reply arrives.
 *
 * <p><b>Concurrency</b>: per endpoint, an AIMD limit between {@link #minConcurrency()} (1) and
 * {@link #maxConcurrency()} (64), starting at {@link #initialConcurrency()} (the maximum): a 429
 * multiplies it by {@link #concurrencyDecrease()} (0.5) once per wave of requests, and each success
 * adds {@code 1/limit}. A 429 with a wait also pauses new sends to that endpoint for the wait.
 *
 * <p><b>Circuit breaker</b> (Resilience4j {@code CircuitBreaker}), per endpoint: opens when at
 * least {@link #failureRateThreshold()} percent (50) of the last {@link #slidingWindowSize()} (20)
 * calls failed with a server-side fault (5xx, timeout, connection, malformed body; not 4xx or 429),
 * once {@link #minimumNumberOfCalls()} (10) were seen; stays open {@link #openStateWait()} (30 s),
 * then lets {@link #halfOpenCalls()} (2) trial calls through. Open endpoints are skipped by the
 * least-in-flight balancer.
 */
public final class ResilienceConfig {
  private static final ResilienceConfig DEFAULTS = new Builder().build();

  private final int maxAttempts;
  private final Duration initialBackoff;
  private final double backoffMultiplier;
  private final Duration maxBackoff;
  private final double jitter;
  private final Duration maxRetryAfter;
  private final int requestsPerWindow;
  private final long tokensPerWindow;
  private final Duration budgetWindow;
  private final int completionTokensEstimate;
  private final int minConcurrency;
  private final int maxConcurrency;
  private final int initialConcurrency;
  private final double concurrencyDecrease;
  private final float failureRateThreshold;
  private final int slidingWindowSize;
  private final int minimumNumberOfCalls;
  private final Duration openStateWait;
  private final int halfOpenCalls;
  private final Clock clock;

  private ResilienceConfig(Builder b) {
    maxAttempts = b.maxAttempts;
    initialBackoff = b.initialBackoff;
    backoffMultiplier = b.backoffMultiplier;
    maxBackoff = b.maxBackoff;
    jitter = b.jitter;
    maxRetryAfter = b.maxRetryAfter;
    requestsPerWindow = b.requestsPerWindow;
    tokensPerWindow = b.tokensPerWindow;
    budgetWindow = b.budgetWindow;
    completionTokensEstimate = b.completionTokensEstimate;
    minConcurrency = b.minConcurrency;
    maxConcurrency = b.maxConcurrency;
    initialConcurrency = b.initialConcurrency == 0 ? b.maxConcurrency : b.initialConcurrency;
    concurrencyDecrease = b.concurrencyDecrease;
    failureRateThreshold = b.failureRateThreshold;
    slidingWindowSize = b.slidingWindowSize;
    minimumNumberOfCalls = b.minimumNumberOfCalls;
    openStateWait = b.openStateWait;
    halfOpenCalls = b.halfOpenCalls;
    clock = b.clock;
  }

  /** The defaults described above. */
  public static ResilienceConfig defaults() {
    return DEFAULTS;
  }

  /** A builder with the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder initialised with these values. */
  public Builder newBuilder() {
    return new Builder(this);
  }

  /** Attempts per call including the first. */
  public int maxAttempts() {
    return maxAttempts;
  }

  /** Wait before the first retry. */
  public Duration initialBackoff() {
    return initialBackoff;
  }

  /** Growth of the wait per retry. */
  public double backoffMultiplier() {
    return backoffMultiplier;
  }

  /** Cap on the computed backoff. */
  public Duration maxBackoff() {
    return maxBackoff;
  }

  /** Fraction of each backoff removed at random. */
  public double jitter() {
    return jitter;
  }

  /** Longest server-requested wait still honoured. */
  public Duration maxRetryAfter() {
    return maxRetryAfter;
  }

  /** Requests allowed in any rolling {@link #budgetWindow()}; 0 = unlimited. */
  public int requestsPerWindow() {
    return requestsPerWindow;
  }

  /** Tokens allowed in any rolling {@link #budgetWindow()}; 0 = unlimited. */
  public long tokensPerWindow() {
    return tokensPerWindow;
  }

  /** Length of the rolling budget window. */
  public Duration budgetWindow() {
    return budgetWindow;
  }

  /** Completion tokens reserved for a request without maxTokens. */
  public int completionTokensEstimate() {
    return completionTokensEstimate;
  }

  /** Lower bound of the per-endpoint concurrency limit. */
  public int minConcurrency() {
    return minConcurrency;
  }

  /** Upper bound of the per-endpoint concurrency limit. */
  public int maxConcurrency() {
    return maxConcurrency;
  }

  /** The per-endpoint concurrency limit at start. */
  public int initialConcurrency() {
    return initialConcurrency;
  }

  /** Factor applied to the limit on a 429. */
  public double concurrencyDecrease() {
    return concurrencyDecrease;
  }

  /** Failure percentage that opens a circuit. */
  public float failureRateThreshold() {
    return failureRateThreshold;
  }

  /** Calls the failure rate is computed over. */
  public int slidingWindowSize() {
    return slidingWindowSize;
  }

  /** Calls needed before the failure rate counts. */
  public int minimumNumberOfCalls() {
    return minimumNumberOfCalls;
  }

  /** How long an open circuit rejects calls. */
  public Duration openStateWait() {
    return openStateWait;
  }

  /** Trial calls let through when a circuit half-opens. */
  public int halfOpenCalls() {
    return halfOpenCalls;
  }

  /** The clock circuit breakers measure their open-state wait with. */
  public Clock clock() {
    return clock;
  }

  @Override
  public String toString() {
    return "ResilienceConfig[maxAttempts="
        + maxAttempts
        + ", backoff="
        + initialBackoff
        + "x"
        + backoffMultiplier
        + "..."
        + maxBackoff
        + ", jitter="
        + jitter
        + ", maxRetryAfter="
        + maxRetryAfter
        + ", budget="
        + requestsPerWindow
        + " requests/"
        + tokensPerWindow
        + " tokens per "
        + budgetWindow
        + ", concurrency="
        + minConcurrency
        + ".."
        + maxConcurrency
        + ", circuit="
        + failureRateThreshold
        + "% of "
        + slidingWindowSize
        + ", open "
        + openStateWait
        + "]";
  }

  /** Builds a {@link ResilienceConfig}; every setter validates at once. Not thread-safe. */
  public static final class Builder {
    private int maxAttempts = 6;
    private Duration initialBackoff = Duration.ofSeconds(1);
    private double backoffMultiplier = 2.0;
    private Duration maxBackoff = Duration.ofSeconds(60);
    private double jitter = 0.5;
    private Duration maxRetryAfter = Duration.ofMinutes(2);
    private int requestsPerWindow;
    private long tokensPerWindow;
    private Duration budgetWindow = Duration.ofMinutes(1);
    private int completionTokensEstimate = 512;
    private int minConcurrency = 1;
    private int maxConcurrency = 64;
    private int initialConcurrency;
    private double concurrencyDecrease = 0.5;
    private float failureRateThreshold = 50;
    private int slidingWindowSize = 20;
    private int minimumNumberOfCalls = 10;
    private Duration openStateWait = Duration.ofSeconds(30);
    private int halfOpenCalls = 2;
    private Clock clock = Clock.systemUTC();

    private Builder() {}

    private Builder(ResilienceConfig c) {
      maxAttempts = c.maxAttempts;
      initialBackoff = c.initialBackoff;
      backoffMultiplier = c.backoffMultiplier;
      maxBackoff = c.maxBackoff;
      jitter = c.jitter;
      maxRetryAfter = c.maxRetryAfter;
      requestsPerWindow = c.requestsPerWindow;
      tokensPerWindow = c.tokensPerWindow;
      budgetWindow = c.budgetWindow;
      completionTokensEstimate = c.completionTokensEstimate;
      minConcurrency = c.minConcurrency;
      maxConcurrency = c.maxConcurrency;
      initialConcurrency = c.initialConcurrency;
      concurrencyDecrease = c.concurrencyDecrease;
      failureRateThreshold = c.failureRateThreshold;
      slidingWindowSize = c.slidingWindowSize;
      minimumNumberOfCalls = c.minimumNumberOfCalls;
      openStateWait = c.openStateWait;
      halfOpenCalls = c.halfOpenCalls;
      clock = c.clock;
    }

    /** Attempts per call including the first; 1 (no retry) to 100. */
    public Builder maxAttempts(int n) {
      check(n >= 1 && n <= 100, "maxAttempts", "must be in [1, 100], was " + n);
      maxAttempts = n;
      return this;
    }

    /** Wait before the first retry; zero or positive. */
    public Builder initialBackoff(Duration d) {
      initialBackoff = nonNegative("initialBackoff", d);
      return this;
    }

    /** Growth of the wait per retry; 1 to 10. */
    public Builder backoffMultiplier(double m) {
      check(m >= 1 && m <= 10, "backoffMultiplier", "must be in [1, 10], was " + m);
      backoffMultiplier = m;
      return this;
    }

    /** Cap on the computed backoff; zero or positive. */
    public Builder maxBackoff(Duration d) {
      maxBackoff = nonNegative("maxBackoff", d);
      return this;
    }

    /** Fraction of each backoff removed at random, spreading retries; 0 to 1. */
    public Builder jitter(double j) {
      check(j >= 0 && j <= 1, "jitter", "must be in [0, 1], was " + j);
      jitter = j;
      return this;
    }

    /** Longest server-requested wait still honoured by retrying; positive. */
    public Builder maxRetryAfter(Duration d) {
      maxRetryAfter = nonNegative("maxRetryAfter", d);
      return this;
    }

    /** Requests per minute per model and API key; 0 = unlimited. Sets a one-minute window. */
    public Builder requestsPerMinute(int n) {
      check(n >= 0, "requestsPerMinute", "must be >= 0, was " + n);
      requestsPerWindow = n;
      budgetWindow = Duration.ofMinutes(1);
      return this;
    }

    /** Tokens per minute per model and API key; 0 = unlimited. Sets a one-minute window. */
    public Builder tokensPerMinute(long n) {
      check(n >= 0, "tokensPerMinute", "must be >= 0, was " + n);
      tokensPerWindow = n;
      budgetWindow = Duration.ofMinutes(1);
      return this;
    }

    /**
     * Requests and tokens allowed in any rolling window of the given length (0 = unlimited), for
     * windows other than a minute (e.g. a daily cap, or a short window in tests).
     */
    public Builder budget(int requests, long tokens, Duration window) {
      check(requests >= 0, "budget.requests", "must be >= 0, was " + requests);
      check(tokens >= 0, "budget.tokens", "must be >= 0, was " + tokens);
      check(
          window != null && !window.isNegative() && !window.isZero(),
          "budget.window",
          "must be positive, was " + window);
      requestsPerWindow = requests;
      tokensPerWindow = tokens;
      budgetWindow = window;
      return this;
    }

    /** Completion tokens reserved for a request that sets no maxTokens; 1 to 10000000. */
    public Builder completionTokensEstimate(int n) {
      check(
          n >= 1 && n <= 10_000_000,
          "completionTokensEstimate",
          "must be in [1, 10000000], was " + n);
      completionTokensEstimate = n;
      return this;
    }

    /** Upper bound of the per-endpoint concurrency limit; 1 to 100000. */
    public Builder maxConcurrency(int n) {
      check(n >= 1 && n <= 100_000, "maxConcurrency", "must be in [1, 100000], was " + n);
      maxConcurrency = n;
      return this;
    }

    /** Lower bound the limit never shrinks below; 1 to 100000. */
    public Builder minConcurrency(int n) {
      check(n >= 1 && n <= 100_000, "minConcurrency", "must be in [1, 100000], was " + n);
      minConcurrency = n;
      return this;
    }

    /** The limit at start; 1 to 100000 (default: maxConcurrency). */
    public Builder initialConcurrency(int n) {
      check(n >= 1 && n <= 100_000, "initialConcurrency", "must be in [1, 100000], was " + n);
      initialConcurrency = n;
      return this;
    }

    /** Factor applied to the limit on a 429; in (0, 1). */
    public Builder concurrencyDecrease(double f) {
      check(f > 0 && f < 1, "concurrencyDecrease", "must be in (0, 1), was " + f);
      concurrencyDecrease = f;
      return this;
    }

    /** Failure percentage that opens a circuit; (0, 100]. */
    public Builder failureRateThreshold(float percent) {
      check(
          percent > 0 && percent <= 100,
          "failureRateThreshold",
          "must be in (0, 100], was " + percent);
      failureRateThreshold = percent;
      return this;
    }

    /** Calls the failure rate is computed over; 1 to 10000. */
    public Builder slidingWindowSize(int n) {
      check(n >= 1 && n <= 10_000, "slidingWindowSize", "must be in [1, 10000], was " + n);
      slidingWindowSize = n;
      return this;
    }

    /** Calls needed before the rate counts; 1 to 10000. */
    public Builder minimumNumberOfCalls(int n) {
      check(n >= 1 && n <= 10_000, "minimumNumberOfCalls", "must be in [1, 10000], was " + n);
      minimumNumberOfCalls = n;
      return this;
    }

    /** How long an open circuit rejects calls before trial calls; positive. */
    public Builder openStateWait(Duration d) {
      check(
          d != null && !d.isNegative() && !d.isZero(),
          "openStateWait",
          "must be positive, was " + d);
      openStateWait = d;
      return this;
    }

    /** Trial calls let through when a circuit half-opens; 1 to 1000. */
    public Builder halfOpenCalls(int n) {
      check(n >= 1 && n <= 1000, "halfOpenCalls", "must be in [1, 1000], was " + n);
      halfOpenCalls = n;
      return this;
    }

    /** Clock for the circuit breakers' open-state wait; for tests. */
    public Builder clock(Clock clock) {
      check(clock != null, "clock", "must not be null");
      this.clock = clock;
      return this;
    }

    /**
     * Builds the configuration.
     *
     * @throws ConfigurationException when minConcurrency exceeds maxConcurrency, or
     *     initialConcurrency lies outside them, or minimumNumberOfCalls exceeds slidingWindowSize
     */
    public ResilienceConfig build() {
      check(
          minConcurrency <= maxConcurrency,
          "minConcurrency",
          "must be <= maxConcurrency (" + maxConcurrency + "), was " + minConcurrency);
      check(
          initialConcurrency == 0
              || (initialConcurrency >= minConcurrency && initialConcurrency <= maxConcurrency),
          "initialConcurrency",
          "must be in [minConcurrency, maxConcurrency] = ["
              + minConcurrency
              + ", "
              + maxConcurrency
              + "], was "
              + initialConcurrency);
      check(
          minimumNumberOfCalls <= slidingWindowSize,
          "minimumNumberOfCalls",
          "must be <= slidingWindowSize (" + slidingWindowSize + "), was " + minimumNumberOfCalls);
      return new ResilienceConfig(this);
    }

    private static Duration nonNegative(String field, Duration d) {
      check(d != null && !d.isNegative(), field, "must be zero or positive, was " + d);
      return d;
    }

    private static void check(boolean ok, String field, String message) {
      ConfigurationException.check(ok, field, message);
    }
  }
}
