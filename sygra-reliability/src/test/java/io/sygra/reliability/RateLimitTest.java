package io.sygra.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.sygra.benchmarks.fake.FakeLlmServer;
import io.sygra.benchmarks.fake.FakeServerStats;
import io.sygra.benchmarks.fake.LatencyModel;
import io.sygra.core.run.RunOptions;
import io.sygra.core.run.RunReport;
import io.sygra.llm.BudgetRegistry;
import io.sygra.llm.EndpointStatus;
import io.sygra.llm.ModelClient;
import io.sygra.llm.ModelClients;
import io.sygra.llm.ResilienceConfig;
import io.sygra.llm.ResilientModelClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Guarantee 3 of DESIGN.md §4, the pacing half: requests and tokens budgets are enforced before
 * sending, measured where it matters, on the server; and with two base URLs of which one is dead,
 * the circuit breaker moves all traffic to the live one and the run completes.
 *
 * <p>Budgets are checked with a scaled-down "minute": the client's budget window is 1 s and the
 * fake server counts in fixed windows of 0.6 s. The client guarantees at most N sends in any 1 s; a
 * request reaches the server a little after it is sent, and the 0.4 s margin absorbs that transit
 * and scheduling jitter, so any server window holds requests sent within less than 1 s.
 */
class RateLimitTest {
  static final Duration BUDGET_WINDOW = Duration.ofSeconds(1);
  static final Duration SERVER_WINDOW = Duration.ofMillis(600);
  static final int RECORDS = 60;

  @TempDir Path tmp;

  static FakeLlmServer server() {
    return FakeLlmServer.builder()
        .latency(LatencyModel.uniform(Duration.ofMillis(2), Duration.ofMillis(10)))
        .window(SERVER_WINDOW)
        .seed(3)
        .start();
  }

  static RunOptions options() {
    return RunOptions.builder().concurrency(32).progress(RunOptions.ProgressMode.NEVER).build();
  }

  record Budgeted(RunReport report, FakeServerStats stats) {}

  Budgeted runWithBudget(String name, int requests, long tokens) {
    Path input = Inputs.topics(tmp.resolve(name + ".jsonl"), RECORDS);
    try (FakeLlmServer server = server();
        ModelClient model =
            ModelClients.builder()
                .endpoint(LlmPipelines.endpoint(server.baseUrl(), Duration.ofSeconds(5)))
                .resilience(
                    ResilienceConfig.builder().budget(requests, tokens, BUDGET_WINDOW).build())
                .budgets(BudgetRegistry.create())
                .build()) {
      RunReport report = LlmPipelines.run(model, input, tmp.resolve(name), options());
      return new Budgeted(report, server.stats());
    }
  }

  static int kept() {
    int n = 0;
    for (int i = 0; i < RECORDS; i++) {
      n += LlmPipelines.dropped(Inputs.id(i)) ? 0 : 1;
    }
    return n;
  }

  @Test
  void requestsPerWindowNeverExceedTheBudgetOnTheServer() {
    int rpm = 20;
    Budgeted b = runWithBudget("rpm", rpm, 0);
    assertThat(b.report().status()).isEqualTo("completed");
    assertThat(b.report().written()).isEqualTo(kept());
    assertThat(b.stats().apiRequests()).isEqualTo(2L * kept());
    assertThat(b.stats().maxRequestsPerWindow())
        .as("requests per window: %s", b.stats().windows())
        .isLessThanOrEqualTo(rpm)
        // the budget, not something else, was what paced the run
        .isGreaterThanOrEqualTo(rpm / 2);
    Figures.write(
        "rate-limit-requests",
        Map.of(
            "budgetRequestsPerWindow", rpm,
            "budgetWindowMs", BUDGET_WINDOW.toMillis(),
            "serverWindowMs", SERVER_WINDOW.toMillis(),
            "apiRequests", b.stats().apiRequests(),
            "serverWindows", b.stats().windows().size(),
            "maxRequestsInAServerWindow", b.stats().maxRequestsPerWindow()));
  }

  @Test
  void tokensPerWindowNeverExceedTheBudgetOnTheServer() {
    int tpm = 700;
    Budgeted b = runWithBudget("tpm", 0, tpm);
    assertThat(b.report().status()).isEqualTo("completed");
    assertThat(b.report().written()).isEqualTo(kept());
    assertThat(b.stats().apiRequests()).isEqualTo(2L * kept());
    assertThat(b.stats().totalTokens()).isGreaterThan(3L * tpm);
    assertThat(b.stats().maxTokensPerWindow())
        .as("tokens per window: %s", b.stats().windows())
        .isLessThanOrEqualTo(tpm)
        .isGreaterThanOrEqualTo(tpm / 3);
    Figures.write(
        "rate-limit-tokens",
        Map.of(
            "budgetTokensPerWindow", tpm,
            "budgetWindowMs", BUDGET_WINDOW.toMillis(),
            "serverWindowMs", SERVER_WINDOW.toMillis(),
            "totalTokens", b.stats().totalTokens(),
            "serverWindows", b.stats().windows().size(),
            "maxTokensInAServerWindow", b.stats().maxTokensPerWindow()));
  }

  @Test
  void aDeadBaseUrlIsTakenOutByItsCircuitBreakerAndTheRunCompletes() {
    int records = 600;
    int concurrency = 32;
    Path input = Inputs.topics(tmp.resolve("cb.jsonl"), records);
    ResilienceConfig config =
        ResilienceConfig.builder()
            .maxAttempts(6)
            .initialBackoff(Duration.ofMillis(5))
            .maxBackoff(Duration.ofMillis(50))
            .build();
    RunReport report;
    List<EndpointStatus> status;
    FakeServerStats live;
    FakeServerStats dead;
    try (FakeLlmServer liveServer = server();
        FakeLlmServer deadServer = FakeLlmServer.builder().dead(true).start();
        ResilientModelClient model =
            ResilientModelClient.builder()
                .endpoint(LlmPipelines.endpoint(deadServer.baseUrl(), Duration.ofSeconds(5)))
                .endpoint(LlmPipelines.endpoint(liveServer.baseUrl(), Duration.ofSeconds(5)))
                .config(config)
                .budgets(BudgetRegistry.create())
                .build()) {
      report =
          LlmPipelines.run(
              model,
              input,
              tmp.resolve("cb"),
              options().toBuilder().concurrency(concurrency).build());
      status = model.endpointStatus();
      live = liveServer.stats();
      dead = deadServer.stats();
    }
    int kept = 0;
    for (int i = 0; i < records; i++) {
      kept += LlmPipelines.dropped(Inputs.id(i)) ? 0 : 1;
    }
    assertThat(report.status()).isEqualTo("completed");
    assertThat(report.failed()).as("failures: %s", report.failures()).isZero();
    assertThat(report.written()).isEqualTo(kept);
    assertThat(status.get(0).circuitState()).isEqualTo("OPEN");
    assertThat(status.get(1).circuitState()).isEqualTo("CLOSED");
    // the breaker opened after its minimum of calls; only calls already under way went on
    // (a dead fake server answers 500 before counting a request as an API request)
    long toDead = dead.statusCount(500);
    assertThat(toDead).isPositive().isLessThanOrEqualTo(config.slidingWindowSize() + concurrency);
    assertThat(live.apiRequests()).isGreaterThanOrEqualTo(2L * kept);

    Map<String, Object> f = new LinkedHashMap<>();
    f.put("records", records);
    f.put("written", report.written());
    f.put("requestsToDeadUrl", toDead);
    f.put("requestsToLiveUrl", live.apiRequests());
    f.put("breakerSlidingWindow", config.slidingWindowSize());
    f.put("breakerMinimumCalls", config.minimumNumberOfCalls());
    Figures.write("circuit-breaker", f);
  }
}
