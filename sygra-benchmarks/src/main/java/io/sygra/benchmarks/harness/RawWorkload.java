package io.sygra.benchmarks.harness;

import io.sygra.benchmarks.RawOkHttpLoop;

/**
 * The floor of client overhead: {@link RawOkHttpLoop}, a bare OkHttp async loop with the same
 * concurrency, building each request body and parsing each reply with Jackson and nothing else. One
 * request stands for one record; for multi-call workloads the harness divides its rate by the calls
 * per record.
 */
final class RawWorkload implements Workload {
  @Override
  public String name() {
    return "raw-okhttp";
  }

  @Override
  public int callsPerRecord() {
    return 1;
  }

  @Override
  public Outcome run(String baseUrl, int records, int concurrency) {
    RawOkHttpLoop.Result r = RawOkHttpLoop.run(baseUrl, records, concurrency);
    return new Outcome(records, r.errors(), r.p50().toNanos(), r.p99().toNanos());
  }
}
