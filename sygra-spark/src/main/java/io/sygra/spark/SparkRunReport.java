package io.sygra.spark;

import io.sygra.core.internal.Json;
import io.sygra.core.run.RunReport;
import io.sygra.spark.internal.PartitionSummary;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a Spark run did, summed over the partitions computed so far. Each partition's counts come
 * from its run directory and cover every attempt that worked on it, so a retried partition is
 * counted once; {@code thisRun*} counts are what the attempts that completed the partitions did
 * themselves (the rest had been finished by earlier, failed attempts, or by an earlier run of the
 * same run id: {@code resumed}).
 *
 * <p>Accounting, as on one machine: {@code input = sourceRecords + fanOutAdded} records needed an
 * outcome, and each ended in exactly one of written, dropped or failed ({@link #reconciles()}).
 *
 * @param runId the run id
 * @param checkpointDirectory the root of the partition directories as the executors see it
 * @param partitions partitions of the run
 * @param partitionsCompleted partitions whose outcomes were fully read by an action so far
 * @param retriedPartitions completed partitions that needed more than one attempt
 * @param sourceRecords input records of the completed partitions
 * @param input records that needed an outcome
 * @param written records written
 * @param dropped records dropped (by a node, a filter, or as a duplicate id)
 * @param failed records failed
 * @param fanOutAdded records added by fan-out
 * @param resumed source records finished before the completing attempts started
 * @param thisRunWritten written by the completing attempts
 * @param thisRunDropped dropped by the completing attempts
 * @param thisRunFailed failed in the completing attempts
 * @param dropReasons dropped records per reason
 * @param failures failed records per error class
 * @param rateLimits the executors' share of the global rate limits
 */
public record SparkRunReport(
    String runId,
    String checkpointDirectory,
    int partitions,
    int partitionsCompleted,
    int retriedPartitions,
    long sourceRecords,
    long input,
    long written,
    long dropped,
    long failed,
    long fanOutAdded,
    long resumed,
    long thisRunWritten,
    long thisRunDropped,
    long thisRunFailed,
    Map<String, Long> dropReasons,
    Map<String, Long> failures,
    RateLimitShare rateLimits) {

  /** Copies the maps. */
  public SparkRunReport {
    dropReasons = Map.copyOf(dropReasons);
    failures = Map.copyOf(failures);
  }

  static SparkRunReport of(
      String runId,
      String checkpointDirectory,
      int partitions,
      RateLimitShare rateLimits,
      Collection<PartitionSummary> summaries) {
    long source = 0;
    long input = 0;
    long written = 0;
    long dropped = 0;
    long failed = 0;
    long fan = 0;
    long resumed = 0;
    long tw = 0;
    long td = 0;
    long tf = 0;
    int retried = 0;
    Map<String, Long> reasons = new TreeMap<>();
    Map<String, Long> failures = new TreeMap<>();
    for (PartitionSummary s : summaries) {
      source += s.sourceRecords();
      input += s.input();
      written += s.written();
      dropped += s.dropped();
      failed += s.failed();
      fan += s.fanOutAdded();
      resumed += s.resumed();
      tw += s.thisAttemptWritten();
      td += s.thisAttemptDropped();
      tf += s.thisAttemptFailed();
      if (s.attempt() > 0) {
        retried++;
      }
      s.dropReasons().forEach((k, v) -> reasons.merge(k, v, Long::sum));
      s.failures().forEach((k, v) -> failures.merge(k, v, Long::sum));
    }
    return new SparkRunReport(
        runId,
        checkpointDirectory,
        partitions,
        summaries.size(),
        retried,
        source,
        input,
        written,
        dropped,
        failed,
        fan,
        resumed,
        tw,
        td,
        tf,
        reasons,
        failures,
        rateLimits);
  }

  /** True when {@code input == written + dropped + failed}. */
  public boolean reconciles() {
    return input == written + dropped + failed;
  }

  /** True when every partition has been computed. */
  public boolean complete() {
    return partitionsCompleted == partitions;
  }

  /** The report as written to {@code report.json}. */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("status", complete() ? "completed" : "incomplete");
    m.put("input", input);
    m.put("written", written);
    m.put("dropped", dropped);
    m.put("failed", failed);
    m.put("reconciles", reconciles());
    m.put("sourceRecords", sourceRecords);
    m.put("fanOutAdded", fanOutAdded);
    m.put("skippedDone", resumed);
    Map<String, Object> run = new LinkedHashMap<>();
    run.put("written", thisRunWritten);
    run.put("dropped", thisRunDropped);
    run.put("failed", thisRunFailed);
    m.put("thisRun", run);
    m.put("dropReasons", new TreeMap<>(dropReasons));
    m.put("failures", new TreeMap<>(failures));
    Map<String, Object> spark = new LinkedHashMap<>();
    spark.put("runId", runId);
    spark.put("checkpointDirectory", checkpointDirectory);
    spark.put("partitions", partitions);
    spark.put("partitionsCompleted", partitionsCompleted);
    spark.put("retriedPartitions", retriedPartitions);
    Map<String, Object> limits = new LinkedHashMap<>();
    limits.put("executors", rateLimits.executors());
    limits.put("globalRequestsPerMinute", rateLimits.globalRequestsPerMinute());
    limits.put("globalTokensPerMinute", rateLimits.globalTokensPerMinute());
    limits.put("requestsPerMinutePerExecutor", rateLimits.requestsPerMinute());
    limits.put("tokensPerMinutePerExecutor", rateLimits.tokensPerMinute());
    spark.put("rateLimits", limits);
    m.put("spark", spark);
    return m;
  }

  /** Pretty JSON of {@link #toMap()}. */
  public String toJson() {
    return Json.writePretty(toMap());
  }

  /**
   * This report as the core's {@link RunReport} (for tools that print or store those), with a
   * {@code spark} extension section.
   *
   * @param elapsedMs the wall time the caller measured
   * @param notices the notices printed before the run
   */
  public RunReport toRunReport(long elapsedMs, List<String> notices) {
    double secs = Math.max(1e-9, elapsedMs / 1000.0);
    Map<String, Object> ext = new LinkedHashMap<>();
    ext.put("spark", toMap().get("spark"));
    return new RunReport(
        complete() ? "completed" : "aborted",
        input,
        written,
        dropped,
        failed,
        sourceRecords,
        fanOutAdded,
        resumed,
        thisRunWritten,
        thisRunDropped,
        thisRunFailed,
        elapsedMs,
        (thisRunWritten + thisRunDropped + thisRunFailed) / secs,
        Map.of(),
        dropReasons,
        failures,
        ext,
        notices,
        complete()
            ? null
            : "only " + partitionsCompleted + " of " + partitions + " partitions were computed");
  }

  /** One line for logs. */
  public String summary() {
    return String.format(
        java.util.Locale.ROOT,
        "%s: input=%d written=%d dropped=%d failed=%d (%s) over %d/%d partitions (%d retried),"
            + " %d records resumed",
        complete() ? "completed" : "incomplete",
        input,
        written,
        dropped,
        failed,
        reconciles() ? "reconciles" : "DOES NOT RECONCILE",
        partitionsCompleted,
        partitions,
        retriedPartitions,
        resumed);
  }
}
