package io.sygra.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sygra.benchmarks.fake.FakeLlmServer;
import io.sygra.benchmarks.fake.FaultConfig;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RawOkHttpLoopTest {

  @Test
  void completesEveryRequestWithExactlyCInFlight() {
    try (FakeLlmServer server =
        FakeLlmServer.builder().latency(Duration.ofMillis(5)).trackRecords(true).start()) {
      RawOkHttpLoop.Result result = RawOkHttpLoop.run(server.baseUrl(), 300, 8);

      assertThat(result.requests()).isEqualTo(300);
      assertThat(result.concurrency()).isEqualTo(8);
      assertThat(result.errors()).isZero();
      assertThat(result.recordsPerSecond()).isPositive();
      assertThat(result.p50()).isLessThanOrEqualTo(result.p99());
      assertThat(result.p99()).isLessThanOrEqualTo(result.max());
      assertThat(result.cpuTime()).isPositive();
      assertThat(result.peakHeapBytes()).isPositive();
      assertThat(result.toString()).contains("requests=300", "errors=0");
      // Exactly C in flight: never more, and the server saw every request once.
      assertThat(server.stats().maxInFlight()).isLessThanOrEqualTo(8);
      assertThat(server.stats().apiRequests()).isEqualTo(300);
      assertThat(server.stats().recordsRequestedMoreThanOnce()).isEmpty();
      assertThat(server.stats().connectionsAccepted()).isLessThanOrEqualTo(8);
    }
  }

  @Test
  void countsFailedAndMalformedRepliesAsErrors() {
    try (FakeLlmServer server =
        FakeLlmServer.builder()
            .seed(5)
            .faults(FaultConfig.serverError(0.3, 500), FaultConfig.malformedJson(0.2))
            .start()) {
      RawOkHttpLoop.Result result = RawOkHttpLoop.run(server.baseUrl(), 200, 4);

      assertThat(result.errors()).isEqualTo(server.stats().totalFaults()).isPositive();
    }
  }

  @Test
  void rejectsInvalidArguments() {
    assertThatThrownBy(() -> RawOkHttpLoop.run("http://127.0.0.1:1/v1", 0, 1))
        .hasMessageContaining("n must be >= 1");
    assertThatThrownBy(() -> RawOkHttpLoop.run("http://127.0.0.1:1/v1", 1, 0))
        .hasMessageContaining("c must be >= 1");
  }
}
