package io.sygra.benchmarks.fake;

import java.time.Duration;
import java.util.Objects;

/**
 * A fault injected into a fraction of the API requests ({@code /v1/chat/completions} and {@code
 * /v1/embeddings}).
 *
 * <p>The configured faults are mutually exclusive per request and each hits its own {@code rate} of
 * requests: one seeded uniform draw per request (a pure function of the server seed and the
 * request's arrival number) is mapped onto consecutive intervals of width {@code rate}, so the sum
 * of all rates must not exceed 1. With a fixed seed, the number of requests hit by each fault over
 * the first N requests is exactly reproducible, whatever the client concurrency.
 *
 * @param fault what happens to a hit request
 * @param rate the fraction of requests hit, in [0, 1]
 */
public record FaultConfig(Fault fault, double rate) {

  /** Validates the fault and rate. */
  public FaultConfig {
    Objects.requireNonNull(fault, "fault");
    Validation.rate("rate", rate);
  }

  /** {@code rate} of requests get a fault of the given kind. */
  public static FaultConfig of(Fault fault, double rate) {
    return new FaultConfig(fault, rate);
  }

  /** {@code rate} of requests get a 429 advertising {@code retryAfter}. */
  public static FaultConfig rateLimited(double rate, Duration retryAfter) {
    return new FaultConfig(Fault.rateLimited(retryAfter), rate);
  }

  /** {@code rate} of requests get the 5xx {@code status} (e.g. 500 or 503). */
  public static FaultConfig serverError(double rate, int status) {
    return new FaultConfig(Fault.serverError(status), rate);
  }

  /** {@code rate} of requests are never answered. */
  public static FaultConfig hang(double rate) {
    return new FaultConfig(Fault.hang(), rate);
  }

  /** {@code rate} of requests are answered {@code delay} later than normal. */
  public static FaultConfig lateAnswer(double rate, Duration delay) {
    return new FaultConfig(Fault.lateAnswer(delay), rate);
  }

  /** {@code rate} of requests see their connection reset after the request is read. */
  public static FaultConfig connectionReset(double rate) {
    return new FaultConfig(Fault.connectionReset(), rate);
  }

  /** {@code rate} of requests get a 200 with a truncated JSON body. */
  public static FaultConfig malformedJson(double rate) {
    return new FaultConfig(Fault.malformedJson(), rate);
  }

  /** {@code rate} of requests get their body in {@code pieces} parts, {@code interval} apart. */
  public static FaultConfig slowBody(double rate, Duration interval, int pieces) {
    return new FaultConfig(Fault.slowBody(interval, pieces), rate);
  }
}
