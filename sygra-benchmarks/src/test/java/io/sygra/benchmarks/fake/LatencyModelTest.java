package io.sygra.benchmarks.fake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class LatencyModelTest {

  private static long[] samples(LatencyModel model, int n) {
    long[] samples = new long[n];
    for (int i = 0; i < n; i++) {
      samples[i] = model.sampleNanos(Hashing.uniform(3, i, 1), Hashing.uniform(3, i, 2));
    }
    Arrays.sort(samples);
    return samples;
  }

  @Test
  void logNormalHitsItsMedianAndP99() {
    long[] samples =
        samples(LatencyModel.logNormal(Duration.ofMillis(20), Duration.ofMillis(200)), 100_000);

    double median = samples[samples.length / 2] / 1e6;
    double p99 = samples[(int) (samples.length * 0.99)] / 1e6;

    assertThat(median).isCloseTo(20.0, within(0.6));
    assertThat(p99).isCloseTo(200.0, within(10.0));
  }

  @Test
  void uniformStaysWithinItsBounds() {
    long[] samples =
        samples(LatencyModel.uniform(Duration.ofMillis(10), Duration.ofMillis(50)), 10_000);

    assertThat(samples[0]).isGreaterThanOrEqualTo(10_000_000L);
    assertThat(samples[samples.length - 1]).isLessThan(50_000_000L);
    assertThat(samples[samples.length / 2] / 1e6).isCloseTo(30.0, within(1.0));
  }

  @Test
  void fixedIsConstant() {
    assertThat(LatencyModel.fixed(Duration.ofMillis(7)).sampleNanos(0.3, 0.9))
        .isEqualTo(7_000_000L);
    assertThat(LatencyModel.none().sampleNanos(0.5, 0.5)).isZero();
  }

  @Test
  void parsesTheThreeForms() {
    assertThat(LatencyModel.parse("20ms")).isEqualTo(LatencyModel.fixed(Duration.ofMillis(20)));
    assertThat(LatencyModel.parse("10ms..1s"))
        .isEqualTo(LatencyModel.uniform(Duration.ofMillis(10), Duration.ofSeconds(1)));
    assertThat(LatencyModel.parse("lognormal:20ms:200ms"))
        .isEqualTo(LatencyModel.logNormal(Duration.ofMillis(20), Duration.ofMillis(200)));
    assertThat(LatencyModel.parse("lognormal:20ms:200ms")).hasToString("lognormal:20ms:200ms");
  }

  @Test
  void rejectsInvalidSpecsNamingTheText() {
    assertThatThrownBy(() -> LatencyModel.parse("fast")).hasMessageContaining("'fast'");
    assertThatThrownBy(() -> LatencyModel.parse("50ms..10ms")).hasMessageContaining("50ms..10ms");
    assertThatThrownBy(() -> LatencyModel.logNormal(Duration.ofMillis(20), Duration.ofMillis(10)))
        .hasMessageContaining("p99");
    assertThatThrownBy(() -> LatencyModel.fixed(Duration.ofMillis(-1)))
        .hasMessageContaining("latency");
  }

  @Test
  void durationsParseCommonUnits() {
    assertThat(Durations.parse("20ms")).isEqualTo(Duration.ofMillis(20));
    assertThat(Durations.parse("1.5s")).isEqualTo(Duration.ofMillis(1500));
    assertThat(Durations.parse("500us")).isEqualTo(Duration.ofNanos(500_000));
    assertThat(Durations.parse("2m")).isEqualTo(Duration.ofMinutes(2));
    assertThat(Durations.parse("250")).isEqualTo(Duration.ofMillis(250));
    assertThat(Durations.parse("PT0.02S")).isEqualTo(Duration.ofMillis(20));
    assertThatThrownBy(() -> Durations.parse("-1s")).hasMessageContaining("'-1s'");
    assertThatThrownBy(() -> Durations.parse("3 parsecs")).hasMessageContaining("3 parsecs");
  }
}
