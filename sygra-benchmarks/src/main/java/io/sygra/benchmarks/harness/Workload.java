package io.sygra.benchmarks.harness;

/**
 * One way of pushing records through an LLM endpoint, measured by {@link BenchmarkHarness}. A
 * workload builds everything it needs (clients, graphs, run directories) inside {@link #run}, so
 * set-up costs such as connection establishment are measured alike for every workload.
 */
interface Workload {

  /** Short name used in tables and JSON, e.g. {@code sygra-echo}. */
  String name();

  /** LLM calls each record makes (1 for echo, 3 for the question → answer → judge graph). */
  int callsPerRecord();

  /**
   * Sends {@code records} records through the endpoint with {@code concurrency} in flight and
   * returns what happened. Blocks until every record has ended.
   *
   * @param baseUrl the OpenAI-compatible base URL, e.g. {@code http://127.0.0.1:PORT/v1}
   */
  Outcome run(String baseUrl, int records, int concurrency) throws Exception;

  /**
   * What a run produced, before the harness adds wall time, CPU and heap.
   *
   * @param records records attempted
   * @param errors records that failed
   * @param p50Nanos median end-to-end latency of the successful records
   * @param p99Nanos 99th-percentile end-to-end latency of the successful records
   */
  record Outcome(int records, int errors, long p50Nanos, long p99Nanos) {

    /** An outcome whose percentiles are taken from the latencies of the successful records. */
    static Outcome of(int records, int errors, long[] latenciesNanos) {
      long[] sorted = latenciesNanos.clone();
      java.util.Arrays.sort(sorted);
      return new Outcome(records, errors, percentile(sorted, 0.50), percentile(sorted, 0.99));
    }

    private static long percentile(long[] sorted, double q) {
      if (sorted.length == 0) {
        return 0;
      }
      int index = (int) Math.ceil(q * sorted.length) - 1;
      return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }
  }
}
