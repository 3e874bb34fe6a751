package io.sygra.core.run;

import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * A lock-free latency histogram with log-linear buckets (about 3% relative error) from 1 µs to
 * beyond an hour. Recording is a couple of atomic increments, cheap enough for every node step and
 * every model call. Thread-safe.
 */
public final class LatencyHistogram {
  private static final int SUB = 32; // sub-buckets per power of two
  private static final int SHIFT = 5; // log2(SUB)
  private static final int BUCKETS = 64 * SUB;

  private final AtomicLongArray counts = new AtomicLongArray(BUCKETS);
  private final LongAdder total = new LongAdder();
  private final LongAdder sumMicros = new LongAdder();

  /** Records one duration in nanoseconds (negative values count as 0). */
  public void recordNanos(long nanos) {
    long micros = Math.max(0, nanos / 1000);
    counts.incrementAndGet(index(micros));
    total.increment();
    sumMicros.add(micros);
  }

  /** Number of recorded values. */
  public long count() {
    return total.sum();
  }

  /** Mean in milliseconds, 0 when empty. */
  public double meanMillis() {
    long n = total.sum();
    return n == 0 ? 0 : sumMicros.sum() / 1000.0 / n;
  }

  /**
   * The {@code q}-quantile in milliseconds (q in [0, 1]), 0 when empty; the upper edge of the
   * bucket holding it.
   */
  public double percentileMillis(double q) {
    long n = 0;
    long[] snap = new long[BUCKETS];
    for (int i = 0; i < BUCKETS; i++) {
      snap[i] = counts.get(i);
      n += snap[i];
    }
    if (n == 0) {
      return 0;
    }
    long rank = (long) Math.ceil(Math.max(0, Math.min(1, q)) * n);
    rank = Math.max(1, rank);
    long seen = 0;
    for (int i = 0; i < BUCKETS; i++) {
      seen += snap[i];
      if (seen >= rank) {
        return upperMicros(i) / 1000.0;
      }
    }
    return upperMicros(BUCKETS - 1) / 1000.0;
  }

  static int index(long micros) {
    if (micros < SUB) {
      return (int) micros;
    }
    int exp = 63 - Long.numberOfLeadingZeros(micros); // >= SHIFT
    int sub = (int) ((micros >>> (exp - SHIFT)) & (SUB - 1));
    int idx = (exp - SHIFT + 1) * SUB + sub;
    return Math.min(idx, BUCKETS - 1);
  }

  static long upperMicros(int index) {
    if (index < SUB) {
      return index;
    }
    int exp = index / SUB + SHIFT - 1;
    long sub = index % SUB;
    long base = 1L << exp;
    long width = 1L << (exp - SHIFT);
    return base + (sub + 1) * width - 1;
  }
}
