package io.sygra.benchmarks.harness;

import io.sygra.core.run.RunListener;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * End-to-end record latency for pipelines whose record ids are {@code 0..n-1} (generated sources):
 * the time from the runner starting a record to the record's outcome. Array-indexed, so the cost
 * per record is two array stores and no allocation.
 */
final class LatencyRecorder implements RunListener {
  private final long[] started;
  private final long[] latencies;
  private final AtomicInteger errors = new AtomicInteger();

  LatencyRecorder(int records) {
    this.started = new long[records];
    this.latencies = new long[records];
    Arrays.fill(latencies, -1);
  }

  @Override
  public void onRecordStart(String recordId) {
    started[Integer.parseInt(recordId)] = System.nanoTime();
  }

  @Override
  public void onRecordComplete(String recordId, Outcome outcome, String detail) {
    int i = Integer.parseInt(recordId);
    latencies[i] = System.nanoTime() - started[i];
  }

  @Override
  public void onRecordError(String recordId, String node, Throwable error) {
    errors.incrementAndGet();
  }

  int errors() {
    return errors.get();
  }

  /** Latencies of the records that completed. */
  long[] latencies() {
    return Arrays.stream(latencies).filter(l -> l >= 0).toArray();
  }
}
