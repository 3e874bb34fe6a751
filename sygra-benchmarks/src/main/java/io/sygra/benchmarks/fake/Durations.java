package io.sygra.benchmarks.fake;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Locale;

/** Parses human durations such as {@code 20ms}, {@code 1.5s}, {@code 500us}, {@code 2m}. */
public final class Durations {
  private Durations() {}

  /**
   * Parses a duration: a non-negative decimal number followed by {@code ns}, {@code us}, {@code
   * ms}, {@code s}, {@code m} or {@code h}; a bare number means milliseconds. ISO-8601 ({@code
   * PT0.02S}) is accepted too.
   *
   * @throws IllegalArgumentException naming the text when it cannot be parsed
   */
  public static Duration parse(String text) {
    String s = text.trim().toLowerCase(Locale.ROOT);
    try {
      if (s.startsWith("pt")) {
        return Validation.nonNegative("duration", Duration.parse(s.toUpperCase(Locale.ROOT)));
      }
      int unitStart = s.length();
      while (unitStart > 0 && Character.isLetter(s.charAt(unitStart - 1))) {
        unitStart--;
      }
      BigDecimal number = new BigDecimal(s.substring(0, unitStart).trim());
      if (number.signum() < 0) {
        throw new IllegalArgumentException("negative");
      }
      long nanosPerUnit =
          switch (s.substring(unitStart)) {
            case "ns" -> 1L;
            case "us", "µs" -> 1_000L;
            case "", "ms" -> 1_000_000L;
            case "s" -> 1_000_000_000L;
            case "m", "min" -> 60_000_000_000L;
            case "h" -> 3_600_000_000_000L;
            default -> throw new IllegalArgumentException("unknown unit");
          };
      return Duration.ofNanos(number.multiply(BigDecimal.valueOf(nanosPerUnit)).longValueExact());
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          "duration must look like 20ms, 1.5s, 500us or 2m but was '" + text + "'", e);
    }
  }

  /** Formats a duration compactly in the largest exact unit among ms, s, us and ns. */
  static String format(Duration d) {
    long nanos = d.toNanos();
    if (nanos % 1_000_000_000L == 0) {
      return nanos / 1_000_000_000L + "s";
    }
    if (nanos % 1_000_000L == 0) {
      return nanos / 1_000_000L + "ms";
    }
    if (nanos % 1_000L == 0) {
      return nanos / 1_000L + "us";
    }
    return nanos + "ns";
  }
}
