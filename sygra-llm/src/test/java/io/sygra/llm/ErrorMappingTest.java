package io.sygra.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.stream.Stream;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The status → exception table. Every body here is synthetic, built by hand in the shapes of
 * SCHEMAS.md §3.8–3.9 and of the providers' documentation (no recording holds a 5xx, a
 * context-length error or an OpenAI 429).
 */
class ErrorMappingTest {
  private static final Instant NOW = Instant.parse("2025-01-01T00:00:00Z");

  static Stream<Arguments> table() {
    String json = "application/json";
    return Stream.of(
        row(
            400,
            json,
            "{\"error\":{\"message\":\"Unsupported value\",\"type\":\"invalid_request_error\",\"param\":\"messages[0].role\",\"code\":\"unsupported_value\"}}",
            BadRequestException.class,
            false,
            "unsupported_value",
            "Unsupported value",
            null),
        row(
            400,
            json,
            "{\"error\":{\"message\":\"This model's maximum context length is 8192 tokens. However, your messages resulted in 9000 tokens.\",\"type\":\"invalid_request_error\",\"param\":\"messages\",\"code\":\"context_length_exceeded\"}}",
            ContextLengthExceededException.class,
            false,
            "context_length_exceeded",
            "maximum context length",
            null),
        row(
            400,
            json,
            "{\"object\":\"error\",\"message\":\"This model's maximum context length is 4096 tokens. However, you requested 5000 tokens.\",\"type\":\"BadRequestError\",\"code\":400}",
            ContextLengthExceededException.class,
            false,
            "400",
            "maximum context length",
            null),
        row(
            400,
            json,
            "{\"error\":{\"message\":\"The response was filtered due to the prompt triggering Azure OpenAI's content management policy.\",\"type\":null,\"param\":\"prompt\",\"code\":\"content_filter\",\"status\":400,\"innererror\":{\"code\":\"ResponsibleAIPolicyViolation\"}}}",
            ContentFilterException.class,
            false,
            "content_filter",
            "content management policy",
            null),
        row(
            400,
            json,
            "{\"error\":{\"message\":\"bad\",\"code\":null}}",
            BadRequestException.class,
            false,
            null,
            "bad",
            null),
        row(
            401,
            json,
            "{\"error\":{\"message\":\"Incorrect API key provided.\",\"type\":\"invalid_request_error\",\"code\":\"invalid_api_key\"}}",
            AuthenticationException.class,
            false,
            "invalid_api_key",
            "Incorrect API key",
            null),
        row(
            402,
            json,
            "{\"error\":{\"code\":402,\"message\":\"Insufficient credits\"}}",
            QuotaExceededException.class,
            false,
            "402",
            "Insufficient credits",
            null),
        row(
            403,
            json,
            "{\"type\":\"error\",\"error\":{\"type\":\"permission_error\",\"message\":\"not allowed\"}}",
            PermissionDeniedException.class,
            false,
            "permission_error",
            "not allowed",
            null),
        row(
            404,
            json,
            "{\"error\":{\"message\":\"The model `gpt-9` does not exist\",\"type\":\"invalid_request_error\",\"code\":\"model_not_found\"}}",
            ModelNotFoundException.class,
            false,
            "model_not_found",
            "does not exist",
            null),
        row(
            404,
            json,
            "{\"error\":\"model \\\"llama9\\\" not found, try pulling it first\"}",
            ModelNotFoundException.class,
            false,
            null,
            "try pulling it first",
            null),
        row(
            408,
            json,
            "{\"error\":{\"message\":\"Request timed out\"}}",
            ModelTimeoutException.class,
            true,
            null,
            "timed out",
            null),
        row(
            409,
            json,
            "{\"error\":{\"message\":\"conflict\"}}",
            ServerErrorException.class,
            true,
            null,
            "conflict",
            null),
        row(
            413,
            json,
            "{\"type\":\"error\",\"error\":{\"type\":\"request_too_large\",\"message\":\"Request exceeds the maximum allowed number of bytes\"}}",
            BadRequestException.class,
            false,
            "request_too_large",
            "maximum allowed",
            null),
        row(
            422,
            json,
            "{\"detail\":[{\"loc\":[\"body\",\"messages\"],\"msg\":\"field required\"}]}",
            BadRequestException.class,
            false,
            null,
            "field required",
            null),
        row(
            429,
            json,
            "{\"error\":{\"message\":\"Rate limit reached for gpt-4o on tokens per min (TPM): Limit 30000, Used 29000, Requested 2000. Please try again in 34.22s.\",\"type\":\"tokens\",\"code\":\"rate_limit_exceeded\"}}",
            RateLimitException.class,
            true,
            "rate_limit_exceeded",
            "Rate limit reached",
            "retry-after: 34"),
        row(
            429,
            json,
            "{\"error\":{\"message\":\"slow down\",\"type\":\"requests\",\"code\":\"rate_limit_exceeded\"}}",
            RateLimitException.class,
            true,
            "rate_limit_exceeded",
            "slow down",
            "retry-after-ms: 1500"),
        row(
            429,
            json,
            "{\"error\":{\"message\":\"slow down\",\"code\":\"rate_limit_exceeded\"}}",
            RateLimitException.class,
            true,
            "rate_limit_exceeded",
            "slow down",
            "x-ratelimit-remaining-tokens: 0|x-ratelimit-reset-tokens: 6m0s|x-ratelimit-remaining-requests: 10|x-ratelimit-reset-requests: 20ms"),
        row(
            429,
            json,
            "{\"error\":{\"message\":\"You exceeded your current quota, please check your plan and billing details.\",\"type\":\"insufficient_quota\",\"param\":null,\"code\":\"insufficient_quota\"}}",
            QuotaExceededException.class,
            false,
            "insufficient_quota",
            "exceeded your current quota",
            null),
        row(
            429,
            json,
            "{\"error\":{\"code\":429,\"message\":\"Provider returned error\",\"metadata\":{\"provider_name\":\"Google\",\"raw\":\"upstream busy\"}},\"user_id\":\"u\"}",
            RateLimitException.class,
            true,
            "429",
            "upstream busy",
            "retry-after: Wed, 01 Jan 2025 00:00:10 GMT"),
        row(
            500,
            json,
            "{\"error\":{\"message\":\"The server had an error while processing your request.\",\"type\":\"server_error\"}}",
            ServerErrorException.class,
            true,
            "server_error",
            "server had an error",
            null),
        row(
            502,
            "text/plain",
            "Bad Gateway",
            ServerErrorException.class,
            true,
            null,
            "Bad Gateway",
            null),
        row(
            503,
            "text/html",
            "",
            ServerErrorException.class,
            true,
            null,
            "HTTP 503 with no error message",
            "retry-after: 2"),
        row(
            504,
            json,
            "{\"detail\":\"upstream timeout\"}",
            ServerErrorException.class,
            true,
            null,
            "upstream timeout",
            null),
        row(
            529,
            json,
            "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}",
            ServerErrorException.class,
            true,
            "overloaded_error",
            "Overloaded",
            null));
  }

  private static Arguments row(
      int status,
      String contentType,
      String body,
      Class<? extends ModelException> type,
      boolean retryable,
      String code,
      String message,
      String headers) {
    return Arguments.of(status, contentType, body, type, retryable, code, message, headers);
  }

  @ParameterizedTest(name = "{0} {3}")
  @MethodSource("table")
  void statusAndBodyMapToTheTypedException(
      int status,
      String contentType,
      String body,
      Class<? extends ModelException> type,
      boolean retryable,
      String code,
      String message,
      String headers)
      throws Exception {
    try (MockWebServer server = new MockWebServer()) {
      server.start();
      MockResponse.Builder r =
          new MockResponse.Builder()
              .code(status)
              .addHeader("Content-Type", contentType)
              .addHeader("x-request-id", "req_123")
              .body(body);
      if (headers != null) {
        for (String h : headers.split("\\|")) {
          r.addHeader(h);
        }
      }
      server.enqueue(r.build());
      if (status == 408) {
        server.enqueue(r.build()); // OkHttp itself repeats a request once after a 408
      }
      try (OpenAiCompatibleClient client =
          OpenAiCompatibleClient.builder()
              .baseUrl(server.url("/v1").toString())
              .model("gpt-4o")
              .apiKey(Secret.of("sk-table-test-0123456789"))
              .clock(Clock.fixed(NOW, ZoneOffset.UTC))
              .build()) {
        Throwable t =
            catchThrowable(
                () ->
                    client.chatBlocking(
                        ChatRequest.builder().addMessage(ChatMessage.user("hi")).build()));
        assertThat(t).isExactlyInstanceOf(type);
        ModelException e = (ModelException) t;
        assertThat(e.httpStatus()).isEqualTo(status);
        assertThat(e.retryable()).isEqualTo(retryable);
        assertThat(e.errorCode()).isEqualTo(code);
        assertThat(e.serverMessage()).contains(message);
        assertThat(e.requestId()).isEqualTo("req_123");
        assertThat(e.provider()).isEqualTo("openai");
        assertThat(e.model()).isEqualTo("gpt-4o");
        assertThat(e.getMessage()).contains("HTTP " + status).doesNotContain("sk-table-test");
        Duration wait =
            e instanceof RateLimitException rl
                ? rl.retryAfter()
                : e instanceof ServerErrorException se ? se.retryAfter() : null;
        if (headers == null) {
          assertThat(wait).isNull();
        } else if (headers.contains("retry-after: 34")) {
          assertThat(wait).isEqualTo(Duration.ofSeconds(34));
        } else if (headers.contains("retry-after-ms")) {
          assertThat(wait).isEqualTo(Duration.ofMillis(1500));
        } else if (headers.contains("x-ratelimit")) {
          assertThat(wait).isEqualTo(Duration.ofMinutes(6)); // the exhausted budget's reset
        } else if (headers.contains("GMT")) {
          assertThat(wait).isEqualTo(Duration.ofSeconds(10));
        } else {
          assertThat(wait).isEqualTo(Duration.ofSeconds(2));
        }
      }
    }
  }
}
