package io.sygra.spark.internal;

import java.io.Serializable;
import java.util.Map;

/**
 * What one partition's completed attempt reports to the driver: its run directory's cumulative
 * counts (over every attempt that worked on it) and what this attempt added.
 *
 * @param partition the partition index
 * @param attempt the attempt that completed it
 * @param sourceRecords input records of the partition
 * @param input records that needed an outcome (source records plus fan-out children)
 * @param written records with status written
 * @param dropped records with status dropped
 * @param failed records with status failed
 * @param fanOutAdded records added by fan-out
 * @param resumed source records an earlier attempt (or run) had already finished
 * @param thisAttemptWritten written by this attempt
 * @param thisAttemptDropped dropped by this attempt
 * @param thisAttemptFailed failed in this attempt
 * @param elapsedMs wall time of this attempt's pipeline
 * @param dropReasons dropped records per reason
 * @param failures failed records per error class
 */
public record PartitionSummary(
    int partition,
    int attempt,
    long sourceRecords,
    long input,
    long written,
    long dropped,
    long failed,
    long fanOutAdded,
    long resumed,
    long thisAttemptWritten,
    long thisAttemptDropped,
    long thisAttemptFailed,
    long elapsedMs,
    Map<String, Long> dropReasons,
    Map<String, Long> failures)
    implements Serializable {

  /** Copies the maps. */
  public PartitionSummary {
    dropReasons = Map.copyOf(dropReasons);
    failures = Map.copyOf(failures);
  }
}
