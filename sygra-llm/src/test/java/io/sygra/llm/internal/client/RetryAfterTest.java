package io.sygra.llm.internal.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import okhttp3.Headers;
import org.junit.jupiter.api.Test;

class RetryAfterTest {
  private final Clock clock = Clock.fixed(Instant.parse("2025-03-01T12:00:00Z"), ZoneOffset.UTC);

  private Duration parse(String... namesAndValues) {
    return RetryAfter.parse(Headers.of(namesAndValues), clock);
  }

  @Test
  void millisecondsWinOverSeconds() {
    assertThat(parse("retry-after-ms", "250.5", "retry-after", "9"))
        .isEqualTo(Duration.ofNanos(250_500_000));
  }

  @Test
  void secondsAndHttpDates() {
    assertThat(parse("Retry-After", "7")).isEqualTo(Duration.ofSeconds(7));
    assertThat(parse("Retry-After", "1.5")).isEqualTo(Duration.ofMillis(1500));
    assertThat(parse("Retry-After", "Sat, 01 Mar 2025 12:00:30 GMT"))
        .isEqualTo(Duration.ofSeconds(30));
    assertThat(parse("Retry-After", "Sat, 01 Mar 2025 11:00:00 GMT")).isEqualTo(Duration.ZERO);
    assertThat(parse("Retry-After", "soon")).isNull();
  }

  @Test
  void openAiResetDurations() {
    assertThat(RetryAfter.goDuration("6m0s")).isEqualTo(Duration.ofMinutes(6));
    assertThat(RetryAfter.goDuration("1h2m3.5s")).isEqualTo(Duration.ofMillis(3_723_500));
    assertThat(RetryAfter.goDuration("20ms")).isEqualTo(Duration.ofMillis(20));
    assertThat(RetryAfter.goDuration("12")).isEqualTo(Duration.ofSeconds(12));
    assertThat(RetryAfter.goDuration("abc")).isNull();
    assertThat(RetryAfter.goDuration("5sx")).isNull();
  }

  @Test
  void theExhaustedBudgetsResetIsUsed() {
    assertThat(
            parse(
                "x-ratelimit-remaining-requests", "0",
                "x-ratelimit-reset-requests", "2s",
                "x-ratelimit-remaining-tokens", "500",
                "x-ratelimit-reset-tokens", "40s"))
        .isEqualTo(Duration.ofSeconds(2));
    assertThat(parse("x-ratelimit-reset-requests", "2s", "x-ratelimit-reset-tokens", "40s"))
        .isEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void anthropicResetInstants() {
    assertThat(
            parse(
                "anthropic-ratelimit-requests-remaining", "0",
                "anthropic-ratelimit-requests-reset", "2025-03-01T12:00:05Z",
                "anthropic-ratelimit-tokens-remaining", "900",
                "anthropic-ratelimit-tokens-reset", "2025-03-01T12:00:50Z"))
        .isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void nothingSaidMeansNull() {
    assertThat(parse("content-type", "application/json")).isNull();
  }
}
