package io.sygra.core.run;

import io.sygra.core.internal.Json;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a run did. Counts cover the whole run directory (all resumed runs together); {@code
 * thisRun*} counts cover this invocation only.
 *
 * <p>Accounting: a fan-out replaces one record with N, so {@code input = sourceRecords +
 * fanOutAdded} records needed an outcome, and every one of them ended in exactly one of written,
 * dropped or failed: {@code input == written + dropped + failed} ({@link #reconciles()}).
 *
 * @param status {@code completed}, or {@code aborted} when the run stopped early (see {@code
 *     error})
 * @param input records that needed an outcome: source records plus records added by fan-out
 * @param written records in {@code output.jsonl}
 * @param dropped records in {@code dropped.jsonl} (by a node, a filter, or as duplicate ids)
 * @param failed records in {@code failed.jsonl}
 * @param sourceRecords records read from the source, bad ones included
 * @param fanOutAdded records added by fan-out (N - 1 per fan-out of N)
 * @param skippedDone source records skipped because an earlier run finished them
 * @param thisRunWritten records written by this invocation
 * @param thisRunDropped records dropped by this invocation
 * @param thisRunFailed records failed in this invocation
 * @param elapsedMs wall time of this invocation
 * @param recordsPerSecond outcomes per second in this invocation
 * @param nodes per-node executions, failures, drops and latency percentiles
 * @param dropReasons dropped records per reason
 * @param failures failed records per error class
 * @param extensions sections added by {@link ReportContributor}s (e.g. {@code models})
 * @param notices notices printed at the start of the run
 * @param error why the run was aborted; null when completed
 */
public record RunReport(
    String status,
    long input,
    long written,
    long dropped,
    long failed,
    long sourceRecords,
    long fanOutAdded,
    long skippedDone,
    long thisRunWritten,
    long thisRunDropped,
    long thisRunFailed,
    long elapsedMs,
    double recordsPerSecond,
    Map<String, NodeStats> nodes,
    Map<String, Long> dropReasons,
    Map<String, Long> failures,
    Map<String, Object> extensions,
    List<String> notices,
    String error) {

  public RunReport {
    nodes = Map.copyOf(nodes);
    dropReasons = Map.copyOf(dropReasons);
    failures = Map.copyOf(failures);
    extensions = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(extensions));
    notices = List.copyOf(notices);
  }

  /** Per-node figures. Latencies in milliseconds. */
  public record NodeStats(
      long executions,
      long failures,
      long drops,
      long fanOuts,
      double meanMs,
      double p50Ms,
      double p95Ms,
      double p99Ms) {}

  /** True when {@code input == written + dropped + failed}. */
  public boolean reconciles() {
    return input == written + dropped + failed;
  }

  /** True when this invocation wrote, dropped and failed nothing (all work was already done). */
  public boolean nothingNew() {
    return thisRunWritten == 0 && thisRunDropped == 0 && thisRunFailed == 0;
  }

  /** The report as written to {@code report.json}. */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("status", status);
    m.put("input", input);
    m.put("written", written);
    m.put("dropped", dropped);
    m.put("failed", failed);
    m.put("reconciles", reconciles());
    m.put("sourceRecords", sourceRecords);
    m.put("fanOutAdded", fanOutAdded);
    m.put("skippedDone", skippedDone);
    Map<String, Object> run = new LinkedHashMap<>();
    run.put("written", thisRunWritten);
    run.put("dropped", thisRunDropped);
    run.put("failed", thisRunFailed);
    m.put("thisRun", run);
    m.put("elapsedMs", elapsedMs);
    m.put("recordsPerSecond", Math.round(recordsPerSecond * 10) / 10.0);
    Map<String, Object> ns = new LinkedHashMap<>();
    new java.util.TreeMap<>(nodes)
        .forEach(
            (k, v) -> {
              Map<String, Object> n = new LinkedHashMap<>();
              n.put("executions", v.executions());
              n.put("failures", v.failures());
              n.put("drops", v.drops());
              n.put("fanOuts", v.fanOuts());
              n.put("meanMs", round(v.meanMs()));
              n.put("p50Ms", round(v.p50Ms()));
              n.put("p95Ms", round(v.p95Ms()));
              n.put("p99Ms", round(v.p99Ms()));
              ns.put(k, n);
            });
    // A contributor's "nodes" section (e.g. LLM token counts per node) joins each node's entry
    // under "details" instead of replacing the runner's own per-node figures.
    Map<String, Object> ext = new LinkedHashMap<>(extensions);
    if (ext.remove("nodes") instanceof Map<?, ?> details) {
      details.forEach(
          (k, v) -> {
            @SuppressWarnings("unchecked")
            Map<String, Object> node =
                (Map<String, Object>)
                    ns.computeIfAbsent(String.valueOf(k), x -> new LinkedHashMap<>());
            node.put("details", v);
          });
    }
    m.put("nodes", ns);
    m.put("dropReasons", new java.util.TreeMap<>(dropReasons));
    m.put("failures", new java.util.TreeMap<>(failures));
    m.putAll(ext);
    if (!notices.isEmpty()) {
      m.put("notices", notices);
    }
    if (error != null) {
      m.put("error", error);
    }
    return m;
  }

  /** Pretty JSON of {@link #toMap()}. */
  public String toJson() {
    return Json.writePretty(toMap());
  }

  /** A few human-readable lines for terminals and logs. */
  public String summary() {
    StringBuilder sb = new StringBuilder();
    sb.append(
        String.format(
            java.util.Locale.ROOT,
            "%s: input=%d written=%d dropped=%d failed=%d (%s) in %.1fs, %.1f records/s%n",
            status,
            input,
            written,
            dropped,
            failed,
            reconciles() ? "reconciles" : "DOES NOT RECONCILE",
            elapsedMs / 1000.0,
            recordsPerSecond));
    if (skippedDone > 0) {
      sb.append(
          String.format(
              java.util.Locale.ROOT,
              "resumed: %d source records already done; this run wrote %d, dropped %d, failed"
                  + " %d%n",
              skippedDone,
              thisRunWritten,
              thisRunDropped,
              thisRunFailed));
    }
    if (!dropReasons.isEmpty()) {
      sb.append("drops: ").append(new java.util.TreeMap<>(dropReasons)).append('\n');
    }
    if (!failures.isEmpty()) {
      sb.append("failures: ").append(new java.util.TreeMap<>(failures)).append('\n');
    }
    if (error != null) {
      sb.append("error: ").append(error).append('\n');
    }
    return sb.toString();
  }

  private static double round(double v) {
    return Math.round(v * 1000) / 1000.0;
  }
}
