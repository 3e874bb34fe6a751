package io.sygra.llm.internal.client;

import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;

/**
 * A lock-free latency histogram: log-linear buckets (32 per power of two, so percentiles are within
 * about 3%) over microseconds, from 1 µs to days. Recording is two atomic adds.
 */
public final class Histogram {
  private static final int SUB = 32;
  private static final int SHIFT = 5;
  private static final int BUCKETS = 64 * SUB;

  private final AtomicLongArray counts = new AtomicLongArray(BUCKETS);
  private final LongAdder n = new LongAdder();
  private final LongAdder sumMicros = new LongAdder();
  private final LongAccumulator maxMicros = new LongAccumulator(Math::max, 0);

  public void recordNanos(long nanos) {
    long micros = Math.max(0, nanos / 1000);
    counts.incrementAndGet(index(micros));
    n.increment();
    sumMicros.add(micros);
    maxMicros.accumulate(micros);
  }

  public long count() {
    return n.sum();
  }

  public double meanMillis() {
    long c = n.sum();
    return c == 0 ? 0 : sumMicros.sum() / 1000.0 / c;
  }

  public double maxMillis() {
    return maxMicros.get() / 1000.0;
  }

  /** The q-quantile in milliseconds (midpoint of its bucket); 0 when empty. */
  public double percentileMillis(double q) {
    long[] snap = new long[BUCKETS];
    long total = 0;
    for (int i = 0; i < BUCKETS; i++) {
      snap[i] = counts.get(i);
      total += snap[i];
    }
    if (total == 0) {
      return 0;
    }
    long rank = Math.max(1, (long) Math.ceil(Math.min(1, Math.max(0, q)) * total));
    long seen = 0;
    for (int i = 0; i < BUCKETS; i++) {
      seen += snap[i];
      if (seen >= rank) {
        double mid = (lower(i) + upper(i)) / 2.0;
        return Math.min(mid, maxMicros.get()) / 1000.0;
      }
    }
    return maxMillis();
  }

  static int index(long micros) {
    if (micros < SUB) {
      return (int) micros;
    }
    int exp = 63 - Long.numberOfLeadingZeros(micros);
    int sub = (int) ((micros >>> (exp - SHIFT)) & (SUB - 1));
    return Math.min((exp - SHIFT + 1) * SUB + sub, BUCKETS - 1);
  }

  static long lower(int index) {
    if (index < SUB) {
      return index;
    }
    int exp = index / SUB + SHIFT - 1;
    long sub = index % SUB;
    return (1L << exp) + (sub << (exp - SHIFT));
  }

  static long upper(int index) {
    if (index < SUB) {
      return index;
    }
    int exp = index / SUB + SHIFT - 1;
    return lower(index) + (1L << (exp - SHIFT)) - 1;
  }
}
