package io.sygra.benchmarks.fake;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class StatsWindowTest {
  private FakeLlmServer server;

  @AfterEach
  void close() {
    if (server != null) {
      server.close();
    }
  }

  /** A clock the test moves by hand. */
  static final class ManualClock extends Clock {
    private volatile long millis;

    ManualClock(long millis) {
      this.millis = millis;
    }

    void advance(Duration duration) {
      millis += duration.toMillis();
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public long millis() {
      return millis;
    }

    @Override
    public Instant instant() {
      return Instant.ofEpochMilli(millis);
    }
  }

  @Test
  void countsRequestsAndTokensPerWindow() {
    ManualClock clock = new ManualClock(1_000_000);
    server =
        FakeLlmServer.builder()
            .clock(clock)
            .window(Duration.ofSeconds(2))
            .responseTokens(10)
            .start();
    TestClient client = new TestClient(server);

    for (int i = 0; i < 5; i++) {
      client.chat("first window " + i);
    }
    clock.advance(Duration.ofSeconds(2));
    for (int i = 0; i < 3; i++) {
      client.chat("second window " + i);
    }
    clock.advance(Duration.ofSeconds(4)); // window 2 stays empty
    client.chat("fourth window");

    FakeServerStats stats = server.stats();
    assertThat(stats.window()).isEqualTo(Duration.ofSeconds(2));
    assertThat(stats.windows())
        .extracting(FakeServerStats.WindowCount::index, FakeServerStats.WindowCount::requests)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(0L, 5L),
            org.assertj.core.groups.Tuple.tuple(1L, 3L),
            org.assertj.core.groups.Tuple.tuple(3L, 1L));
    assertThat(stats.windows().get(1).startEpochMillis()).isEqualTo(1_002_000);
    assertThat(stats.maxRequestsPerWindow()).isEqualTo(5);
    long windowTokens =
        stats.windows().stream().mapToLong(FakeServerStats.WindowCount::tokens).sum();
    assertThat(windowTokens).isEqualTo(stats.totalTokens());
    assertThat(stats.completionTokens()).isEqualTo(9 * 10);
    assertThat(stats.maxTokensPerWindow()).isEqualTo(stats.windows().get(0).tokens());
  }

  @Test
  void faultedRequestsCountAsRequestsButNotAsTokens() {
    ManualClock clock = new ManualClock(0);
    server =
        FakeLlmServer.builder()
            .clock(clock)
            .faults(FaultConfig.rateLimited(1.0, Duration.ZERO))
            .start();
    TestClient client = new TestClient(server);

    client.chat("a");
    client.chat("b");

    FakeServerStats stats = server.stats();
    assertThat(stats.maxRequestsPerWindow()).isEqualTo(2);
    assertThat(stats.maxTokensPerWindow()).isZero();
    assertThat(stats.totalTokens()).isZero();
  }

  @Test
  void countsRequestsPerRecordByHeaderOrByMessageHash() {
    server = FakeLlmServer.builder().recordHeader("X-Record").start();
    TestClient client = new TestClient(server);

    client.post("/chat/completions", TestClient.chatBody("q"), Map.of("x-record", "rec-1"));
    client.post("/chat/completions", TestClient.chatBody("q2"), Map.of("x-record", "rec-1"));
    client.post("/chat/completions", TestClient.chatBody("q"), Map.of("x-record", "rec-2"));
    client.chat("no header");

    FakeServerStats stats = server.stats();
    assertThat(stats.requestsFor("rec-1")).isEqualTo(2);
    assertThat(stats.requestsFor("rec-2")).isEqualTo(1);
    assertThat(stats.requestsFor(FakeLlmServer.recordKeyOf("no header"))).isEqualTo(1);
    assertThat(stats.requestsFor("never")).isZero();
    assertThat(stats.recordsRequestedMoreThanOnce()).containsExactly(Map.entry("rec-1", 2L));
  }

  @Test
  void recordTrackingCanBeSwitchedOff() {
    server = FakeLlmServer.builder().trackRecords(false).start();
    TestClient client = new TestClient(server);

    client.chat("a");

    assertThat(server.stats().recordRequests()).isEmpty();
    assertThat(server.stats().apiRequests()).isEqualTo(1);
  }

  @Test
  void snapshotIsImmutable() {
    server = FakeLlmServer.builder().start();
    new TestClient(server).chat("a");

    FakeServerStats stats = server.stats();

    org.assertj.core.api.Assertions.assertThatThrownBy(() -> stats.statuses().put(1, 1L))
        .isInstanceOf(UnsupportedOperationException.class);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> stats.windows().clear())
        .isInstanceOf(UnsupportedOperationException.class);
  }
}
