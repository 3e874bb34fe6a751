package io.sygra.benchmarks.fake;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class ConcurrencyTest {

  @Test
  void servesTwoThousandConcurrentConnections() {
    try (FakeLlmServer server =
        FakeLlmServer.builder().latency(Duration.ofMillis(50)).responseTokens(8).start()) {
      TestClient client = new TestClient(server);
      int n = 2000;
      List<CompletableFuture<HttpResponse<String>>> futures = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        futures.add(client.chatAsync("concurrent-" + i + " go", Map.of(), null));
      }

      for (int i = 0; i < n; i++) {
        HttpResponse<String> response = futures.get(i).join();
        assertThat(response.statusCode()).isEqualTo(200);
        // Each answer belongs to its own request.
        assertThat(TestClient.content(response)).startsWith("concurrent-" + i + " go ");
      }
      FakeServerStats stats = server.stats();
      assertThat(stats.apiRequests()).isEqualTo(n);
      assertThat(stats.statusCount(200)).isEqualTo(n);
      // The JDK client opens one connection per in-flight request; hundreds overlap.
      assertThat(stats.maxOpenConnections()).isGreaterThan(100);
      assertThat(stats.maxInFlight()).isGreaterThan(100);
      assertThat(stats.inFlight()).isZero();
    }
  }
}
