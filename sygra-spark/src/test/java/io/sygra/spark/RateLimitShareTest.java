package io.sygra.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sygra.core.ConfigurationException;
import io.sygra.llm.ResilienceConfig;
import io.sygra.spark.internal.ExecutorContextImpl;
import io.sygra.spark.internal.ExecutorCount;
import io.sygra.spark.internal.Plan;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RateLimitShareTest {

  @Test
  void eachExecutorGetsItsShareRoundedDown() {
    RateLimitShare s = new RateLimitShare(1000, 90_000, 3);
    assertThat(s.limited()).isTrue();
    assertThat(s.requestsPerMinute()).isEqualTo(333);
    assertThat(s.tokensPerMinute()).isEqualTo(30_000);
    assertThat(s.requestsPerMinute() * s.executors()).isLessThanOrEqualTo(1000);
    assertThat(RateLimitShare.unlimited(4).limited()).isFalse();
    assertThat(RateLimitShare.unlimited(4).requestsPerMinute()).isZero();
  }

  @Test
  void aBudgetTooSmallToSplitIsRefused() {
    assertThatThrownBy(() -> new RateLimitShare(3, 0, 8))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("3 requests/minute cannot be split across 8 executors");
    assertThatThrownBy(() -> new RateLimitShare(0, 0, 0)).hasMessageContaining("executors");
    assertThatThrownBy(() -> new RateLimitShare(-1, 0, 1))
        .hasMessageContaining("requestsPerMinute");
  }

  @Test
  void theExecutorCountComesFromTheOptionsOrTheSparkConfiguration() {
    var sc = SparkTests.spark().sparkContext();
    SparkRunOptions global =
        SparkRunOptions.builder().requestsPerMinute(600).tokensPerMinute(60_000).build();
    // local mode: the executors are threads of one JVM, which holds one budget
    assertThat(ExecutorCount.share(sc, global).executors()).isEqualTo(1);
    assertThat(ExecutorCount.share(sc, global).requestsPerMinute()).isEqualTo(600);
    RateLimitShare configured = ExecutorCount.share(sc, global.toBuilder().executors(4).build());
    assertThat(configured.requestsPerMinute()).isEqualTo(150);
    assertThat(configured.tokensPerMinute()).isEqualTo(15_000);
  }

  @Test
  void executorsApplyTheirShareToTheResilienceSettings() {
    Plan plan =
        new Plan(
            ctx -> {
              throw new UnsupportedOperationException();
            },
            OutputMapperFactory.identity(),
            SparkRunOptions.defaults(),
            OutputSchema.json(),
            "r",
            new RateLimitShare(1200, 0, 4),
            false,
            null);
    try (ExecutorContextImpl ctx =
        new ExecutorContextImpl(
            plan, 0, 2, 0, null, Map.of("SYGRA_RPM", "5000", "SYGRA_MAX_ATTEMPTS", "3"))) {
      ResilienceConfig r = ctx.resilience();
      assertThat(r.requestsPerWindow())
          .as("the share replaces the environment's RPM")
          .isEqualTo(300);
      assertThat(r.tokensPerWindow()).isZero();
      assertThat(r.maxAttempts()).as("other settings still come from the environment").isEqualTo(3);
      assertThat(ctx.rateLimits().executors()).isEqualTo(4);
    }
    Plan unlimited =
        new Plan(
            plan.graph(),
            plan.mapper(),
            plan.options(),
            plan.schema(),
            "r",
            RateLimitShare.unlimited(4),
            false,
            null);
    try (ExecutorContextImpl ctx =
        new ExecutorContextImpl(unlimited, 0, 2, 0, null, Map.of("SYGRA_RPM", "5000"))) {
      assertThat(ctx.resilience().requestsPerWindow()).isEqualTo(5000);
    }
  }
}
