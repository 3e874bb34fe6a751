package io.sygra.reliability.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.sygra.llm.ChatResponse;
import io.sygra.llm.ModelException;
import io.sygra.llm.Secret;
import io.sygra.llm.internal.client.AnthropicWire;
import io.sygra.llm.internal.client.ErrorMapper;
import io.sygra.llm.internal.client.HttpSupport;
import io.sygra.llm.internal.client.OpenAiStream;
import io.sygra.llm.internal.client.OpenAiWire;
import io.sygra.llm.internal.client.SseReader;
import io.sygra.reliability.Figures;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import okhttp3.Headers;
import okio.Buffer;
import org.junit.jupiter.api.AfterAll;

/**
 * Fuzzes what a model server sends back: the server-sent-events parser ({@code SseReader}) and the
 * stream accumulator built on it ({@code OpenAiStream}), the OpenAI and Anthropic JSON body
 * parsers, and the error-body mapper. These are sygra-llm internals (package {@code
 * io.sygra.llm.internal.client}); they are called directly here because driving them through the
 * HTTP client would cost a socket round trip per input, which fuzzing cannot afford.
 *
 * <p>Documented outcomes: a {@link ModelException} (usually {@code MalformedResponseException}, or
 * the mapped error class for an error object). Anything else escaping is a finding. Every exception
 * message, causes included, must be free of the API key even when the body echoes it.
 */
class ModelResponseFuzzTest {
  /** The key the fake calls are made with; the seeds echo it back in error bodies. */
  static final String KEY = "sk-fuzz-SECRET-0123456789abcdef";

  private static final ErrorMapper.CallInfo CALL =
      new ErrorMapper.CallInfo("openai", "fuzz-model", Secret.of(KEY));
  private static final AtomicLong EXECUTIONS = new AtomicLong();
  private static final AtomicLong RESPONSES = new AtomicLong();
  private static final AtomicLong MODEL_EXCEPTIONS = new AtomicLong();
  private static final AtomicLong SSE_EVENTS = new AtomicLong();

  @FuzzTest(maxDuration = "5s")
  void modelResponses(byte[] input) throws IOException {
    EXECUTIONS.incrementAndGet();
    int mode = input.length == 0 ? 0 : Math.floorMod(input[0], 5);
    int status = input.length < 2 ? 200 : 200 + Math.floorMod(input[1], 400);
    byte[] body = input.length < 2 ? new byte[0] : Arrays.copyOfRange(input, 2, input.length);
    String text = new String(body, StandardCharsets.UTF_8);
    try {
      ChatResponse r =
          switch (mode) {
            case 0 -> stream(body);
            case 1 ->
                OpenAiWire.parse(
                    HttpSupport.parseJson(text, CALL, 200, "req-1"),
                    CALL,
                    200,
                    "req-1",
                    Duration.ZERO);
            case 2 ->
                AnthropicWire.parse(
                    HttpSupport.parseJson(text, CALL, 200, "req-1"),
                    CALL,
                    200,
                    "req-1",
                    null,
                    Duration.ZERO);
            case 3 -> {
              throw ErrorMapper.fromStatus(
                  CALL,
                  status,
                  Headers.of("retry-after", headerValue(text)),
                  "req-1",
                  ErrorMapper.parseBody("application/json", text),
                  Clock.systemUTC());
            }
            default -> {
              sseEvents(body);
              yield null;
            }
          };
      if (r != null) {
        RESPONSES.incrementAndGet();
        assertThat(r.usage()).isNotNull();
      }
    } catch (ModelException documented) {
      MODEL_EXCEPTIONS.incrementAndGet();
      for (Throwable t = documented; t != null; t = t.getCause()) {
        assertThat(String.valueOf(t.getMessage()))
            .as("message of %s", t.getClass().getName())
            .doesNotContain(KEY);
      }
    }
  }

  /** What OkHttp can deliver as a header value: printable ASCII, at most 40 characters. */
  private static String headerValue(String text) {
    StringBuilder v = new StringBuilder();
    for (int i = 0; i < text.length() && v.length() < 40; i++) {
      char c = text.charAt(i);
      if (c >= 0x20 && c < 0x7f) {
        v.append(c);
      }
    }
    return v.toString().strip();
  }

  private static ChatResponse stream(byte[] body) throws IOException {
    try (Buffer b = new Buffer().write(body)) {
      return new OpenAiStream(CALL, null).read(b, 200, System.nanoTime());
    }
  }

  /** The raw parser: every event is delivered with its data, and it stops when told to. */
  private static void sseEvents(byte[] body) throws IOException {
    try (Buffer b = new Buffer().write(body)) {
      SseReader.read(
          b,
          (event, data) -> {
            SSE_EVENTS.incrementAndGet();
            assertThat(data).isNotNull();
            return !"[DONE]".equals(data);
          });
    }
  }

  @AfterAll
  static void figures() {
    Figures.write(
        "fuzz-model-responses",
        Map.of(
            "executions",
            EXECUTIONS.get(),
            "responses",
            RESPONSES.get(),
            "modelExceptions",
            MODEL_EXCEPTIONS.get(),
            "sseEvents",
            SSE_EVENTS.get()));
  }
}
