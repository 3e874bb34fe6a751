package io.sygra.llm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Replays every recorded cassette in {@code shared/fixtures/chat_completions/} through {@link
 * OpenAiCompatibleClient}: the request is rebuilt from the recording, sent to a MockWebServer that
 * answers with the recorded status, headers and body, and both directions are checked — the body
 * the client sent equals the recorded request (modulo equivalent encodings), and what the client
 * returned or threw matches an independent reading of the recorded response. Nothing here names a
 * particular cassette, so new recordings are covered as they are added.
 */
class OpenAiCompatibleClientCassetteTest {
  private static final Pattern THINK =
      Pattern.compile("^\\s*<think>(.*?)(?:</think>(.*))?$", Pattern.DOTALL);

  static Stream<Arguments> interactions() {
    List<Arguments> out = new ArrayList<>();
    for (Path cassette : ClientFixtures.cassettes()) {
      List<JsonNode> list = Cassettes.interactions(cassette);
      for (int i = 0; i < list.size(); i++) {
        out.add(Arguments.of(cassette.getFileName().toString(), i, list.get(i)));
      }
    }
    return out.stream();
  }

  @Test
  void fixtureFolderHoldsTheRecordedCassettes() {
    assertThat(ClientFixtures.cassettes()).hasSizeGreaterThanOrEqualTo(12);
    assertThat(interactions()).hasSizeGreaterThanOrEqualTo(18);
  }

  @ParameterizedTest(name = "{0} #{1}")
  @MethodSource("interactions")
  void replaysRecordedInteraction(String file, int index, JsonNode interaction) throws Exception {
    JsonNode recordedRequest = interaction.at("/request/parsed_body");
    JsonNode recordedResponse = interaction.get("response");
    boolean stream = recordedRequest.path("stream").asBoolean(false);
    try (MockWebServer server = new MockWebServer()) {
      server.start();
      server.enqueue(Cassettes.response(recordedResponse));
      try (OpenAiCompatibleClient client =
          OpenAiCompatibleClient.builder()
              .baseUrl(server.url("/v1").toString())
              .apiKey(Secret.of("sk-cassette-replay"))
              .streaming(stream)
              .streamUsage(recordedRequest.has("stream_options"))
              .useMaxCompletionTokens(recordedRequest.has("max_completion_tokens"))
              .build()) {
        ChatRequest request = Cassettes.chatRequest(recordedRequest);
        ChatResponse response = null;
        Throwable error = null;
        try {
          response = client.chatBlocking(request);
        } catch (RuntimeException e) {
          error = e;
        }

        RecordedRequest sent = server.takeRequest(5, TimeUnit.SECONDS);
        assertThat(sent).isNotNull();
        assertThat(sent.getUrl().encodedPath()).isEqualTo("/v1/chat/completions");
        assertThat(sent.getHeaders().get("Authorization")).isEqualTo("Bearer sk-cassette-replay");
        JsonNode sentBody = Cassettes.JSON.readTree(sent.getBody().utf8());
        assertThat(Cassettes.normalize(sentBody))
            .as("request body sent for %s #%d", file, index)
            .isEqualTo(Cassettes.normalize(recordedRequest));

        Expectation expected = expect(recordedResponse, stream);
        if (expected.errorClass != null) {
          assertThat(error).as("%s #%d should fail", file, index).isInstanceOf(expected.errorClass);
          ModelException me = (ModelException) error;
          assertThat(me.httpStatus()).isEqualTo(expected.status);
          assertThat(me.provider()).isEqualTo("openai");
          assertThat(me.model()).isEqualTo(request.model());
          assertThat(me.getMessage()).doesNotContain("sk-cassette-replay");
          if (expected.errorMessage != null) {
            assertThat(me.serverMessage()).contains(expected.errorMessage);
          }
          if (expected.retryable != null) {
            assertThat(me.retryable()).isEqualTo(expected.retryable);
          }
          return;
        }
        assertThat(error).as("%s #%d should succeed", file, index).isNull();
        assertThat(response.text()).isEqualTo(expected.text);
        assertThat(response.reasoning()).isEqualTo(expected.reasoning);
        assertThat(response.finishReason()).isEqualTo(expected.finishReason);
        assertThat(response.toolCalls()).containsExactlyElementsOf(expected.toolCalls);
        assertThat(response.usage()).isEqualTo(expected.usage);
        assertThat(response.model()).isEqualTo(expected.model);
        assertThat(response.requestId()).isEqualTo(expected.id);
        assertThat(response.provider()).isEqualTo("openai");
        assertThat(response.latency()).isPositive();
      }
    }
  }

  /** What an independent reading of the recorded response predicts. */
  static final class Expectation {
    Class<? extends ModelException> errorClass;
    int status;
    String errorMessage;
    Boolean retryable;
    String text;
    String reasoning;
    String finishReason;
    List<ToolCall> toolCalls = new ArrayList<>();
    Usage usage = Usage.NONE;
    String model;
    String id;
  }

  static Expectation expect(JsonNode response, boolean stream) throws Exception {
    Expectation e = new Expectation();
    int status = response.at("/status/code").asInt();
    e.status = status;
    if (status >= 400) {
      JsonNode body = response.path("parsed_body");
      JsonNode err = body.path("error");
      String code =
          err.isObject() ? err.path("code").asText("") + " " + err.path("type").asText("") : "";
      e.errorClass = errorClassFor(status, code);
      e.retryable =
          status == 408 || (status == 429 && !code.contains("insufficient_quota")) || status >= 500;
      e.errorMessage =
          err.isObject() && err.hasNonNull("message") ? err.get("message").asText() : null;
      return e;
    }
    if (response.has("body")) {
      return expectStream(e, response.at("/body/string").asText());
    }
    JsonNode body = response.path("parsed_body");
    JsonNode choices = body.get("choices");
    if (choices == null || !choices.isArray() || choices.isEmpty()) {
      if (body.has("error")) {
        e.errorClass = ModelException.class;
        e.errorMessage = body.at("/error/message").asText(null);
      } else {
        e.errorClass = MalformedResponseException.class;
        e.retryable = true;
      }
      return e;
    }
    JsonNode choice = choices.get(0);
    JsonNode message = choice.path("message");
    String content = contentOf(message.get("content"));
    split(
        e, content, firstNonEmpty(text(message, "reasoning_content"), text(message, "reasoning")));
    e.finishReason = text(choice, "finish_reason");
    for (JsonNode c : message.path("tool_calls")) {
      JsonNode args = c.at("/function/arguments");
      e.toolCalls.add(
          new ToolCall(
              text(c, "id"),
              c.at("/function/name").asText(""),
              args.isTextual() ? args.asText() : args.isMissingNode() ? "" : args.toString()));
    }
    e.usage = usage(body.get("usage"));
    e.model = text(body, "model");
    e.id = body.hasNonNull("id") ? body.get("id").asText() : null;
    return e;
  }

  static Expectation expectStream(Expectation e, String sse) throws Exception {
    StringBuilder content = null;
    StringBuilder reasoning = new StringBuilder();
    Map<Integer, String[]> calls = new TreeMap<>();
    for (String line : sse.split("\n")) {
      if (!line.startsWith("data:")) {
        continue;
      }
      String data = line.substring(5).trim();
      if (data.equals("[DONE]")) {
        break;
      }
      JsonNode chunk = Cassettes.JSON.readTree(data);
      if (chunk.has("error")) {
        e.errorClass = ModelException.class;
        e.errorMessage = chunk.at("/error/message").asText(null);
        return e;
      }
      if (e.id == null && chunk.hasNonNull("id")) {
        e.id = chunk.get("id").asText();
      }
      if (e.model == null && chunk.hasNonNull("model")) {
        e.model = chunk.get("model").asText();
      }
      if (chunk.hasNonNull("usage") && chunk.get("usage").isObject()) {
        e.usage = usage(chunk.get("usage"));
      }
      for (JsonNode choice : chunk.path("choices")) {
        JsonNode delta = choice.path("delta");
        if (delta.hasNonNull("content")) {
          content = content == null ? new StringBuilder() : content;
          content.append(delta.get("content").asText());
        }
        String r = firstNonEmpty(text(delta, "reasoning_content"), text(delta, "reasoning"));
        if (r != null) {
          reasoning.append(r);
        }
        for (JsonNode tc : delta.path("tool_calls")) {
          String[] c =
              calls.computeIfAbsent(tc.path("index").asInt(), k -> new String[] {"", "", ""});
          if (tc.hasNonNull("id") && !tc.get("id").asText().isEmpty()) {
            c[0] = tc.get("id").asText();
          }
          if (tc.at("/function/name").isTextual()) {
            c[1] = c[1].isEmpty() ? tc.at("/function/name").asText() : c[1];
          }
          if (tc.at("/function/arguments").isTextual()) {
            c[2] += tc.at("/function/arguments").asText();
          }
        }
        if (e.finishReason == null && choice.hasNonNull("finish_reason")) {
          e.finishReason = choice.get("finish_reason").asText();
        }
      }
    }
    calls.values().forEach(c -> e.toolCalls.add(new ToolCall(c[0], c[1], c[2])));
    String text = content == null ? null : content.toString();
    if (text != null && text.isEmpty() && !e.toolCalls.isEmpty()) {
      text = null;
    }
    split(e, text, reasoning.length() == 0 ? null : reasoning.toString());
    return e;
  }

  private static void split(Expectation e, String content, String explicitReasoning) {
    String inline = null;
    String text = content;
    if (content != null) {
      Matcher m = THINK.matcher(content);
      if (m.matches()) {
        inline = m.group(1).strip();
        text = m.group(2) == null ? "" : m.group(2).strip();
      }
    }
    e.text = text;
    e.reasoning =
        explicitReasoning != null
            ? explicitReasoning
            : (inline == null || inline.isEmpty() ? null : inline);
  }

  static Class<? extends ModelException> errorClassFor(int status, String code) {
    if (code.contains("context_length")) {
      return ContextLengthExceededException.class;
    }
    if (code.contains("content_filter")) {
      return ContentFilterException.class;
    }
    return switch (status) {
      case 401 -> AuthenticationException.class;
      case 403 -> PermissionDeniedException.class;
      case 404 -> ModelNotFoundException.class;
      case 408 -> ModelTimeoutException.class;
      case 429 ->
          code.contains("insufficient_quota")
              ? QuotaExceededException.class
              : RateLimitException.class;
      default -> status >= 500 ? ServerErrorException.class : BadRequestException.class;
    };
  }

  static Usage usage(JsonNode u) {
    if (u == null || !u.isObject()) {
      return Usage.NONE;
    }
    long prompt = u.path("prompt_tokens").asLong(0);
    long completion = u.path("completion_tokens").asLong(0);
    long total = u.has("total_tokens") ? u.get("total_tokens").asLong() : prompt + completion;
    Long cached = null;
    if (u.at("/prompt_tokens_details/cached_tokens").isNumber()) {
      cached = u.at("/prompt_tokens_details/cached_tokens").asLong();
    } else if (u.path("cached_tokens").isNumber()) {
      cached = u.get("cached_tokens").asLong();
    } else if (u.path("prompt_cache_hit_tokens").isNumber()) {
      cached = u.get("prompt_cache_hit_tokens").asLong();
    }
    Long reasoning =
        u.at("/completion_tokens_details/reasoning_tokens").isNumber()
            ? u.at("/completion_tokens_details/reasoning_tokens").asLong()
            : null;
    return new Usage(prompt, completion, total, cached, reasoning);
  }

  private static String contentOf(JsonNode content) {
    if (content == null || content.isNull()) {
      return null;
    }
    if (content.isArray()) {
      StringBuilder sb = new StringBuilder();
      content.forEach(p -> sb.append(p.isTextual() ? p.asText() : p.path("text").asText("")));
      return sb.toString();
    }
    return content.asText();
  }

  private static String text(JsonNode node, String field) {
    JsonNode v = node.get(field);
    return v != null && v.isTextual() ? v.asText() : null;
  }

  private static String firstNonEmpty(String a, String b) {
    if (a != null && !a.isEmpty()) {
      return a;
    }
    return b != null && !b.isEmpty() ? b : null;
  }

  @Test
  void inexpressibleRequestPartsArePassedThroughExtraBody() throws Exception {
    // synthetic: shapes ChatRequest has no field for still reach the wire unchanged
    JsonNode recorded =
        Cassettes.JSON.readTree(
            "{\"model\":\"gpt-4o\",\"stop\":\"END\",\"web_search_options\":{},"
                + "\"tools\":[{\"type\":\"web_search_preview\"}],"
                + "\"tool_choice\":{\"type\":\"allowed_tools\",\"mode\":\"auto\"},"
                + "\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"input_audio\",\"input_audio\":{\"data\":\"AAA\",\"format\":\"wav\"}}]}]}");
    try (MockWebServer server = new MockWebServer()) {
      server.start();
      server.enqueue(
          new mockwebserver3.MockResponse.Builder()
              .addHeader("Content-Type", "application/json")
              .body("{\"choices\":[{\"message\":{\"content\":\"ok\"},\"finish_reason\":\"stop\"}]}")
              .build());
      try (OpenAiCompatibleClient client =
          OpenAiCompatibleClient.builder().baseUrl(server.url("/v1").toString()).build()) {
        assertThat(client.chatBlocking(Cassettes.chatRequest(recorded)).text()).isEqualTo("ok");
      }
      JsonNode sent =
          Cassettes.JSON.readTree(server.takeRequest(5, TimeUnit.SECONDS).getBody().utf8());
      assertThat(Cassettes.normalize(sent)).isEqualTo(Cassettes.normalize(recorded));
    }
  }

  @Test
  void recordingsCoverSuccessesErrorsAndStreams() {
    // guards that the replay above exercises real errors and streams, not only plain successes
    List<String> kinds = new ArrayList<>();
    for (Path p : ClientFixtures.cassettes()) {
      for (JsonNode i : Cassettes.interactions(p)) {
        kinds.add(
            i.at("/response/status/code").asText()
                + (i.at("/response/body").isMissingNode() ? "" : "-sse"));
      }
    }
    assertThat(kinds).contains("400", "429", "200", "200-sse");
  }
}
