package io.sygra.benchmarks.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sygra.benchmarks.fake.FakeLlmServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BenchmarkHarnessTest {
  static FakeLlmServer server;

  @BeforeAll
  static void start() {
    server = FakeLlmServer.builder().latency(Duration.ofMillis(2)).trackRecords(false).start();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @ParameterizedTest
  @ValueSource(strings = {"raw-okhttp", "sygra-echo", "sygra-3node", "lg4j-echo", "lg4j-3node"})
  void everyWorkloadCompletesEveryRecordAgainstTheFakeServer(String name) throws Exception {
    Workload w = BenchmarkHarness.workload(name);
    long before = server.stats().apiRequests();

    Workload.Outcome o = w.run(server.baseUrl(), 40, 8);

    assertThat(o.records()).isEqualTo(40);
    assertThat(o.errors()).isZero();
    assertThat(o.p50Nanos()).isPositive();
    assertThat(o.p99Nanos()).isGreaterThanOrEqualTo(o.p50Nanos());
    assertThat(server.stats().apiRequests() - before).isEqualTo(40L * w.callsPerRecord());
  }

  @Test
  void sygraKeepsMoreCallsInFlightThanTheClientDefaultsWhenAskedTo() throws Exception {
    // 300 records held 4 s each by the server (long enough for 300 connections to open on a busy
    // machine): with the resilience default (64) or OkHttp's dispatcher default (256) as the
    // limit, the server could never see more than 256 at once.
    try (FakeLlmServer slow =
        FakeLlmServer.builder().latency(Duration.ofSeconds(4)).trackRecords(false).start()) {
      Workload.Outcome o = SygraWorkloads.echo().run(slow.baseUrl(), 300, 300);
      assertThat(o.errors()).isZero();
      assertThat(slow.stats().maxInFlight()).isGreaterThan(256);
      assertThat(slow.stats().maxOpenConnections()).isGreaterThan(256);
    }
  }

  @Test
  void measureSubtractsTheServerLoopAndReportsRates() throws Exception {
    Measured m =
        BenchmarkHarness.measure(server, new RawWorkload(), 200, 16, Duration.ofMillis(2), 1);
    assertThat(m.records()).isEqualTo(200);
    assertThat(m.errors()).isZero();
    assertThat(m.rps()).isPositive();
    assertThat(m.clientCpuSeconds()).isPositive();
    assertThat(m.serverCpuSeconds()).isPositive();
    assertThat(m.cpuMsPer1k()).isEqualTo(m.clientCpuSeconds() * 1e6 / 200, within(1e-6));
    assertThat(m.toMap()).containsKeys("rps", "cpu_ms_per_1k", "p50_ms", "p99_ms", "load1");
  }

  private static org.assertj.core.data.Offset<Double> within(double d) {
    return org.assertj.core.data.Offset.offset(d);
  }

  @Test
  void summaryComputesIdealAndRawRatiosPerCallsPerRecord() {
    BenchmarkHarness.Options o =
        BenchmarkHarness.Options.parse(
            new String[] {
              "--concurrency", "64", "--latency", "20ms", "--workloads", "raw-okhttp,sygra-3node"
            });
    // raw: 2,000 requests/s and 100 us of server CPU per request (capacity 10,000/s)
    Measured raw =
        new Measured("raw-okhttp", 64, 20, 1, 2000, 1, 0, 1.0, 0.5, 0.2, 0.1, 10, 20, 30, 1);
    Measured three =
        new Measured("sygra-3node", 64, 20, 1, 600, 3, 0, 1.0, 0.6, 0.18, 0.1, 10, 60, 90, 1);
    List<Map<String, Object>> s = BenchmarkHarness.summarize(List.of(raw, three), o);

    assertThat(s).hasSize(2);
    Map<String, Object> r = s.get(0);
    assertThat(r).containsEntry("workload", "raw-okhttp");
    // ideal = min(C / L, capacity) = min(3200, 10000)
    assertThat(r).containsEntry("ideal_rps", 3200.0).containsEntry("raw_rps", 2000.0);
    Map<String, Object> t = s.get(1);
    assertThat(t).containsEntry("workload", "sygra-3node").containsEntry("rps", 600.0);
    // per record: three calls
    assertThat((double) t.get("ideal_rps")).isEqualTo(3200.0 / 3, within(0.1));
    assertThat((double) t.get("raw_rps")).isEqualTo(2000.0 / 3, within(0.1));
    assertThat((double) t.get("vs_raw")).isEqualTo(0.9, within(0.001));
    assertThat((double) t.get("cpu_ms_per_1k")).isEqualTo(0.6 * 1e6 / 1800, within(0.1));
  }

  @Test
  void quickModeIsOneSmallCellAndOptionsAreValidated() {
    BenchmarkHarness.Options q = BenchmarkHarness.Options.parse(new String[] {"--quick"});
    assertThat(q.concurrency).containsExactly(64);
    assertThat(q.latency).containsExactly(Duration.ofMillis(20));
    assertThat(q.reps).isEqualTo(1);
    assertThat(BenchmarkHarness.recordsFor(q, 64, Duration.ofMillis(20))).isEqualTo(4000);
    BenchmarkHarness.Options full = BenchmarkHarness.Options.parse(new String[0]);
    // C/L x 4 s, capped at 40,000, at least 4 waves
    assertThat(BenchmarkHarness.recordsFor(full, 64, Duration.ofMillis(20))).isEqualTo(12_800);
    assertThat(BenchmarkHarness.recordsFor(full, 2048, Duration.ofMillis(20))).isEqualTo(40_000);
    assertThat(BenchmarkHarness.recordsFor(full, 64, Duration.ofMillis(200))).isEqualTo(1_280);
    assertThatThrownBy(() -> BenchmarkHarness.Options.parse(new String[] {"--bogus", "1"}))
        .hasMessageContaining("--bogus");
    assertThatThrownBy(() -> BenchmarkHarness.workload("nope")).hasMessageContaining("nope");
  }

  @Test
  void jitCpuReadsCompilerThreadsOnly() {
    String c2 = "4242 (C2 CompilerThre) S 1 1 1 0 -1 1077936192 0 0 0 0 150 25 0 0 20 0 30 0 1";
    String worker = "4243 (sygra-worker-1) S 1 1 1 0 -1 1077936192 0 0 0 0 900 90 0 0 20 0 30 0 1";
    assertThat(JitCpu.parseCompilerTicks(c2)).isEqualTo(175);
    assertThat(JitCpu.parseCompilerTicks(worker)).isZero();
    assertThat(JitCpu.nanos()).isNotNegative();
  }

  @Test
  void memoryRunGrowthComparesLastThirdWithFirstThird() {
    List<long[]> flat = List.of(new long[] {1, 40}, new long[] {2, 42}, new long[] {3, 41});
    assertThat(MemoryRun.growth(flat)).isEqualTo(1L);
    List<long[]> growing =
        List.of(
            new long[] {1, 40},
            new long[] {2, 41},
            new long[] {3, 60},
            new long[] {4, 61},
            new long[] {5, 80},
            new long[] {6, 90});
    // medians (upper of two): last third {80, 90} -> 90, first third {40, 41} -> 41
    assertThat(MemoryRun.growth(growing)).isEqualTo(49L);
    assertThat(MemoryRun.growth(List.of(new long[] {1, 1}))).isNull();
  }
}
