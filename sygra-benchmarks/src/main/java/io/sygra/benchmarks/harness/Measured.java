package io.sygra.benchmarks.harness;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One measured run of one workload in one cell (concurrency, latency).
 *
 * @param workload the workload's name
 * @param concurrency records (or requests) in flight
 * @param latencyMs the fake server's fixed latency
 * @param rep repetition number, from 1
 * @param records records attempted
 * @param calls LLM calls per record
 * @param errors records that failed
 * @param seconds wall time of the run
 * @param clientCpuSeconds CPU time of the process minus the in-process server loop's and the JIT
 *     compiler threads'
 * @param serverCpuSeconds CPU time of the fake server's event loop
 * @param jitCpuSeconds CPU time of the JIT compiler threads (not counted as client CPU)
 * @param peakHeapMb peak heap used during the run (sum of the heap pools' peaks)
 * @param p50Ms median end-to-end record latency
 * @param p99Ms 99th-percentile end-to-end record latency
 * @param load1 the one-minute load average when the run ended
 */
record Measured(
    String workload,
    int concurrency,
    double latencyMs,
    int rep,
    int records,
    int calls,
    int errors,
    double seconds,
    double clientCpuSeconds,
    double serverCpuSeconds,
    double jitCpuSeconds,
    double peakHeapMb,
    double p50Ms,
    double p99Ms,
    double load1) {

  /** Successful records per second. */
  double rps() {
    return (records - errors) / seconds;
  }

  /** Client CPU milliseconds per 1,000 LLM requests. */
  double cpuMsPer1k() {
    return clientCpuSeconds * 1000.0 / (records * (double) calls) * 1000.0;
  }

  /** Server-loop CPU nanoseconds per request (the fake server's own cost). */
  double serverNanosPerRequest() {
    return serverCpuSeconds * 1e9 / (records * (double) calls);
  }

  Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("workload", workload);
    m.put("c", concurrency);
    m.put("latency_ms", latencyMs);
    m.put("rep", rep);
    m.put("records", records);
    m.put("calls_per_record", calls);
    m.put("errors", errors);
    m.put("seconds", round(seconds, 3));
    m.put("rps", round(rps(), 1));
    m.put("cpu_ms_per_1k", round(cpuMsPer1k(), 1));
    m.put("server_cpu_us_per_request", round(serverNanosPerRequest() / 1000.0, 2));
    m.put("jit_cpu_s", round(jitCpuSeconds, 3));
    m.put("peak_heap_mb", round(peakHeapMb, 1));
    m.put("p50_ms", round(p50Ms, 2));
    m.put("p99_ms", round(p99Ms, 2));
    m.put("load1", load1);
    return m;
  }

  static double round(double v, int digits) {
    double f = Math.pow(10, digits);
    return Math.round(v * f) / f;
  }

  @Override
  public String toString() {
    return String.format(
        Locale.ROOT,
        "%-12s C=%-5d L=%-4.0fms rep=%d n=%-6d err=%d %.2fs rps=%.0f cpu=%.0fms/1k heap=%.0fMB"
            + " p50=%.1fms p99=%.1fms load=%.1f",
        workload,
        concurrency,
        latencyMs,
        rep,
        records,
        errors,
        seconds,
        rps(),
        cpuMsPer1k(),
        peakHeapMb,
        p50Ms,
        p99Ms,
        load1);
  }
}
