package io.sygra.llm;

import static io.sygra.llm.RecordingDispatcher.ok;
import static io.sygra.llm.RecordingDispatcher.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.sygra.core.run.ReportContributor;
import io.sygra.llm.internal.client.Histogram;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ModelMetricsTest {
  private MockWebServer server;
  private RecordingDispatcher dispatcher;

  @BeforeEach
  void start() throws Exception {
    server = new MockWebServer();
    // gen's first attempt fails (500) and is retried; judge's request is rejected (400)
    dispatcher =
        new RecordingDispatcher(
            n ->
                switch (n) {
                  case 0 -> status(500, "{\"error\":{\"message\":\"boom\"}}");
                  case 1 -> ok("generated", 1_000_000, 500_000);
                  default -> status(400, "{\"error\":{\"message\":\"bad\"}}");
                });
    server.setDispatcher(dispatcher);
    server.start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object o) {
    return (Map<String, Object>) o;
  }

  @Test
  void countsPerModelAndNodeThroughCacheAndRetries() {
    ModelMetrics metrics = ModelMetrics.create();
    try (ResponseCache cache = ResponseCache.inMemory();
        ModelClient client =
            ModelClients.builder()
                .endpoint(
                    OpenAiCompatibleClient.builder()
                        .baseUrl(server.url("/v1").toString())
                        .model("gpt-4o-mini")
                        .build())
                .resilience(
                    ResilienceConfig.builder()
                        .initialBackoff(Duration.ZERO)
                        .maxBackoff(Duration.ZERO)
                        .build())
                .budgets(BudgetRegistry.create())
                .cache(cache)
                .metrics(metrics)
                .build()) {
      ChatRequest gen =
          ChatRequest.builder().temperature(0.0).addMessage(ChatMessage.user("write")).build();
      ChatRequest judge =
          ChatRequest.builder().temperature(0.0).addMessage(ChatMessage.user("judge")).build();

      assertThat(client.forNode("gen").chatBlocking(gen).text()).isEqualTo("generated");
      assertThat(client.forNode("gen").chatBlocking(gen).text()).isEqualTo("generated"); // cache
      assertThat(catchThrowable(() -> client.forNode("judge").chatBlocking(judge)))
          .isInstanceOf(BadRequestException.class);
      assertThat(((ReportContributor) client).children()).containsExactly(metrics);
    }
    assertThat(dispatcher.count()).isEqualTo(3);

    Map<String, Object> m = map(metrics.snapshot().get("gpt-4o-mini"));
    assertThat(m)
        .containsEntry("provider", "openai")
        .containsEntry("requests", 3L)
        .containsEntry("succeeded", 2L)
        .containsEntry("failed", 1L)
        .containsEntry("cacheHits", 1L)
        .containsEntry("attempts", 3L)
        .containsEntry("retries", 1L)
        .containsEntry("failures", Map.of("BadRequestException", 1L))
        .containsEntry("retriedErrors", Map.of("ServerErrorException", 1L))
        .containsEntry("costUsd", 0.45) // 1M prompt at $0.15 + 0.5M completion at $0.60
        .containsEntry("unpricedRequests", 0L);
    assertThat(map(m.get("tokens")))
        .containsEntry("prompt", 1_000_000L)
        .containsEntry("completion", 500_000L)
        .containsEntry("total", 1_500_000L);
    assertThat(map(m.get("latencyMs"))).containsEntry("count", 1L);
    assertThat((double) map(m.get("callLatencyMs")).get("p50")).isPositive();

    Map<String, Object> nodes = map(m.get("nodes"));
    assertThat(map(nodes.get("gen")))
        .containsEntry("requests", 2L)
        .containsEntry("cacheHits", 1L)
        .containsEntry("retries", 1L)
        .containsEntry("costUsd", 0.45);
    assertThat(map(nodes.get("judge")))
        .containsEntry("requests", 1L)
        .containsEntry("failed", 1L)
        .containsEntry("failures", Map.of("BadRequestException", 1L));
  }

  @Test
  void unknownModelsAreReportedUnpricedNotFree() {
    server.setDispatcher(new RecordingDispatcher(n -> ok("x", 10, 10)));
    ModelMetrics metrics = ModelMetrics.create(PriceTable.empty());
    try (OpenAiCompatibleClient raw =
        OpenAiCompatibleClient.builder()
            .baseUrl(server.url("/v1").toString())
            .model("local")
            .build()) {
      metrics
          .wrap(raw)
          .chatBlocking(ChatRequest.builder().addMessage(ChatMessage.user("q")).build());
    }
    Map<String, Object> m = map(metrics.snapshot().get("local"));
    assertThat(m).containsEntry("unpricedRequests", 1L).containsEntry("costUsd", 0.0);
    assertThat(m).doesNotContainKey("nodes");
  }

  @Test
  void contributeAddsAModelsSectionAndMergesCollectors() {
    server.setDispatcher(new RecordingDispatcher(n -> ok("x", 10, 10)));
    ModelMetrics a = ModelMetrics.create();
    ModelMetrics b = ModelMetrics.create();
    try (OpenAiCompatibleClient raw =
        OpenAiCompatibleClient.builder().baseUrl(server.url("/v1").toString()).model("m").build()) {
      ChatRequest q = ChatRequest.builder().addMessage(ChatMessage.user("q")).build();
      a.wrap(raw).chatBlocking(q);
      b.wrap(raw).chatBlocking(q);
      b.wrap(raw).chatBlocking(q);
    }
    Map<String, Object> sections = new HashMap<>();
    a.contribute(sections);
    b.contribute(sections);
    Map<String, Object> m = map(map(sections.get("models")).get("m"));
    assertThat(m.get("requests")).isEqualTo(3L);
    assertThat(map(m.get("tokens")).get("total")).isEqualTo(60L);
  }

  @Test
  void histogramPercentilesAreWithinAFewPercent() {
    Histogram h = new Histogram();
    for (int ms = 1; ms <= 1000; ms++) {
      h.recordNanos(ms * 1_000_000L);
    }
    assertThat(h.count()).isEqualTo(1000);
    assertThat(h.percentileMillis(0.50)).isBetween(485.0, 515.0);
    assertThat(h.percentileMillis(0.95)).isBetween(921.0, 979.0);
    assertThat(h.percentileMillis(0.99)).isBetween(960.0, 1000.0);
    assertThat(h.maxMillis()).isEqualTo(1000.0);
    assertThat(h.meanMillis()).isEqualTo(500.5);
    assertThat(new Histogram().percentileMillis(0.5)).isZero();
  }

  @Test
  void priceLookupByExactNameVendorPrefixAndDatedVersion() {
    PriceTable p = PriceTable.defaults();
    assertThat(p.lookup("gpt-4o-mini")).contains(new PriceTable.Price(0.15, 0.60, 0.075));
    assertThat(p.lookup("gpt-4o-mini-2024-07-18"))
        .contains(new PriceTable.Price(0.15, 0.60, 0.075));
    assertThat(p.lookup("openai/gpt-4o")).contains(new PriceTable.Price(2.50, 10.00, 1.25));
    assertThat(p.lookup("claude-sonnet-4-20250514")).isPresent();
    assertThat(p.lookup("gpt-4oo")).isEmpty();
    assertThat(p.lookup("llama3")).isEmpty();
  }

  @Test
  void cachedPromptTokensArePricedAtTheCachedRate() {
    PriceTable.Price price = new PriceTable.Price(2.0, 8.0, 0.5);
    double cost = price.cost(new Usage(1_000_000, 100_000, 1_100_000, 400_000L, null));
    assertThat(cost)
        .isCloseTo(
            600_000 * 2.0 / 1e6 + 400_000 * 0.5 / 1e6 + 100_000 * 8.0 / 1e6,
            org.assertj.core.data.Offset.offset(1e-9));
  }

  @Test
  void userPricesOverrideAndValidate() {
    PriceTable t =
        PriceTable.defaults()
            .withAll(
                PriceTable.fromJson(
                    "{\"gpt-4o\":{\"input\":1,\"output\":2},\"mine\":{\"input\":0.1,\"output\":0.2,\"cachedInput\":0.05}}"));
    assertThat(t.lookup("gpt-4o")).contains(new PriceTable.Price(1, 2, 1));
    assertThat(t.lookup("MINE")).contains(new PriceTable.Price(0.1, 0.2, 0.05));
    assertThat(catchThrowable(() -> PriceTable.fromJson("{\"x\":{\"input\":\"cheap\"}}")))
        .hasMessageContaining("prices.x");
    assertThat(catchThrowable(() -> new PriceTable.Price(-1, 0, 0))).hasMessageContaining("price");
    assertThat(List.of(t.entries().keySet())).isNotEmpty();
  }
}
