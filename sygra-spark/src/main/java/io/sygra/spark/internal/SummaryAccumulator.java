package io.sygra.spark.internal;

import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.util.AccumulatorV2;

/**
 * Collects {@link PartitionSummary}s keyed by partition. Adding is idempotent per partition (the
 * latest summary of a partition wins), so a partition computed again by a second action, or by a
 * re-run stage, is counted once. Spark drops the updates of failed attempts.
 */
public final class SummaryAccumulator
    extends AccumulatorV2<PartitionSummary, Map<Integer, PartitionSummary>> {
  private static final long serialVersionUID = 1L;

  private final TreeMap<Integer, PartitionSummary> summaries = new TreeMap<>();

  @Override
  public synchronized boolean isZero() {
    return summaries.isEmpty();
  }

  @Override
  public synchronized SummaryAccumulator copy() {
    SummaryAccumulator c = new SummaryAccumulator();
    c.summaries.putAll(summaries);
    return c;
  }

  @Override
  public synchronized void reset() {
    summaries.clear();
  }

  @Override
  public synchronized void add(PartitionSummary s) {
    summaries.put(s.partition(), s);
  }

  @Override
  public void merge(AccumulatorV2<PartitionSummary, Map<Integer, PartitionSummary>> other) {
    Map<Integer, PartitionSummary> theirs = other.value();
    synchronized (this) {
      summaries.putAll(theirs);
    }
  }

  @Override
  public synchronized Map<Integer, PartitionSummary> value() {
    return new TreeMap<>(summaries);
  }
}
