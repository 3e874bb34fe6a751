package io.sygra.quality.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A fixed-bucket histogram with count, sum, min and max. Bucket {@code i} counts values {@code <=
 * edges[i]} (and above the previous edge); a last bucket counts values above every edge.
 * Thread-safe (synchronized; observations are cheap).
 */
public final class Histogram {
  private final double[] edges;
  private final long[] counts;
  private long count;
  private double sum;
  private double min = Double.POSITIVE_INFINITY;
  private double max = Double.NEGATIVE_INFINITY;

  public Histogram(double... edges) {
    this.edges = edges.clone();
    this.counts = new long[edges.length + 1];
  }

  /** Powers of two from 1 to {@code 2^maxExp}: for lengths and token counts. */
  public static Histogram powersOfTwo(int maxExp) {
    double[] e = new double[maxExp + 1];
    for (int i = 0; i <= maxExp; i++) {
      e[i] = Math.pow(2, i);
    }
    return new Histogram(e);
  }

  public synchronized void add(double v) {
    int i = 0;
    while (i < edges.length && v > edges[i]) {
      i++;
    }
    counts[i]++;
    count++;
    sum += v;
    min = Math.min(min, v);
    max = Math.max(max, v);
  }

  public synchronized long count() {
    return count;
  }

  /** {@code {count, min, max, mean, buckets: [{le, count}...]}}; empty buckets are kept. */
  public synchronized Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("count", count);
    if (count > 0) {
      m.put("min", round(min));
      m.put("max", round(max));
      m.put("mean", round(sum / count));
    }
    List<Object> buckets = new ArrayList<>(counts.length);
    for (int i = 0; i < counts.length; i++) {
      Map<String, Object> b = new LinkedHashMap<>(2);
      b.put("le", i < edges.length ? (Object) round(edges[i]) : "+Inf");
      b.put("count", counts[i]);
      buckets.add(b);
    }
    m.put("buckets", buckets);
    return m;
  }

  private static double round(double v) {
    return Math.round(v * 1000) / 1000.0;
  }
}
