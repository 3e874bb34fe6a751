package io.sygra.benchmarks.fake;

import java.time.Duration;
import java.util.Objects;

/**
 * How long the fake server waits before answering a request (time to first byte). The wait is a
 * timer on the event loop, never a sleeping thread. Samples are drawn from seeded uniforms, so a
 * given server seed and request arrival number always get the same latency.
 */
public sealed interface LatencyModel {

  /**
   * Maps two independent uniforms in [0, 1) to a latency in nanoseconds.
   *
   * @param u1 first uniform
   * @param u2 second uniform (used by distributions that need two draws)
   */
  long sampleNanos(double u1, double u2);

  /**
   * Always the same latency.
   *
   * @param latency zero or positive
   */
  record Fixed(Duration latency) implements LatencyModel {
    /** Validates the latency. */
    public Fixed {
      Validation.nonNegative("latency", latency);
    }

    @Override
    public long sampleNanos(double u1, double u2) {
      return latency.toNanos();
    }

    @Override
    public String toString() {
      return Durations.format(latency);
    }
  }

  /**
   * Uniformly distributed between {@code min} and {@code max}.
   *
   * @param min lower bound, zero or positive
   * @param max upper bound, at least {@code min}
   */
  record Uniform(Duration min, Duration max) implements LatencyModel {
    /** Validates the bounds. */
    public Uniform {
      Validation.nonNegative("min", min);
      Validation.nonNegative("max", max);
      if (max.compareTo(min) < 0) {
        throw new IllegalArgumentException("max must be >= min (" + min + ") but was " + max);
      }
    }

    @Override
    public long sampleNanos(double u1, double u2) {
      long lo = min.toNanos();
      return lo + (long) (u1 * (max.toNanos() - lo));
    }

    @Override
    public String toString() {
      return Durations.format(min) + ".." + Durations.format(max);
    }
  }

  /**
   * Log-normal with the given median and 99th percentile, the usual shape of LLM latencies.
   *
   * @param median the 50th percentile; positive
   * @param p99 the 99th percentile; at least {@code median}
   */
  record LogNormal(Duration median, Duration p99) implements LatencyModel {
    /** z-score of the 99th percentile of the standard normal distribution. */
    private static final double Z_99 = 2.3263478740408408;

    /** Validates the percentiles. */
    public LogNormal {
      Validation.positive("median", median);
      Validation.positive("p99", p99);
      if (p99.compareTo(median) < 0) {
        throw new IllegalArgumentException("p99 must be >= median (" + median + ") but was " + p99);
      }
    }

    @Override
    public long sampleNanos(double u1, double u2) {
      double mu = Math.log(median.toNanos());
      double sigma = Math.log((double) p99.toNanos() / median.toNanos()) / Z_99;
      // Box-Muller; 1 - u1 lies in (0, 1], so the logarithm is finite.
      double z = Math.sqrt(-2.0 * Math.log(1.0 - u1)) * Math.cos(2.0 * Math.PI * u2);
      return (long) Math.exp(mu + sigma * z);
    }

    @Override
    public String toString() {
      return "lognormal:" + Durations.format(median) + ":" + Durations.format(p99);
    }
  }

  /** No latency at all. */
  static LatencyModel none() {
    return new Fixed(Duration.ZERO);
  }

  /** Always {@code latency}. */
  static LatencyModel fixed(Duration latency) {
    return new Fixed(latency);
  }

  /** Uniform between {@code min} and {@code max}. */
  static LatencyModel uniform(Duration min, Duration max) {
    return new Uniform(min, max);
  }

  /** Log-normal with the given median and 99th percentile. */
  static LatencyModel logNormal(Duration median, Duration p99) {
    return new LogNormal(median, p99);
  }

  /**
   * Parses {@code 20ms} (fixed), {@code 10ms..50ms} (uniform) or {@code lognormal:20ms:200ms}
   * (median and p99).
   *
   * @throws IllegalArgumentException naming the text when it does not match any form
   */
  static LatencyModel parse(String text) {
    Objects.requireNonNull(text, "text");
    String s = text.trim();
    try {
      if (s.startsWith("lognormal:")) {
        String[] parts = s.substring("lognormal:".length()).split(":");
        if (parts.length != 2) {
          throw new IllegalArgumentException("expected lognormal:<median>:<p99>");
        }
        return logNormal(Durations.parse(parts[0]), Durations.parse(parts[1]));
      }
      int range = s.indexOf("..");
      if (range >= 0) {
        return uniform(
            Durations.parse(s.substring(0, range)), Durations.parse(s.substring(range + 2)));
      }
      return fixed(Durations.parse(s));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "latency must look like 20ms, 10ms..50ms or lognormal:20ms:200ms but was '" + text + "'",
          e);
    }
  }
}
