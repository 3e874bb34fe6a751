package io.sygra.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import io.sygra.core.ConfigurationException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link OpenAiCompatibleClient} against MockWebServer: exact values from named recorded cassettes,
 * and synthetic bodies (labelled as such) for shapes no recording holds.
 */
class OpenAiCompatibleClientTest {
  private MockWebServer server;
  private OpenAiCompatibleClient client;

  @BeforeEach
  void start() throws Exception {
    server = new MockWebServer();
    server.start();
    client = client(false);
  }

  @AfterEach
  void stop() {
    client.close();
    server.close();
  }

  private OpenAiCompatibleClient client(boolean streaming) {
    return OpenAiCompatibleClient.builder()
        .baseUrl(server.url("/v1").toString())
        .model("test-model")
        .streaming(streaming)
        .build();
  }

  private static ChatRequest hello() {
    return ChatRequest.builder().addMessage(ChatMessage.user("hello")).build();
  }

  /** Serves interaction {@code index} of a named cassette and returns the result or the error. */
  private Object replay(String cassette, int index) throws Exception {
    Path file = ClientFixtures.root().resolve("chat_completions").resolve(cassette);
    JsonNode interaction = Cassettes.interactions(file).get(index);
    server.enqueue(Cassettes.response(interaction.get("response")));
    JsonNode body = interaction.at("/request/parsed_body");
    try (OpenAiCompatibleClient c = client(body.path("stream").asBoolean(false))) {
      return c.chatBlocking(Cassettes.chatRequest(body));
    } catch (ModelException e) {
      return e;
    }
  }

  // ---- recorded cassettes, values checked by hand ----

  @Test
  void deepSeekReasoningContentAndCacheUsage() throws Exception {
    ChatResponse r =
        (ChatResponse)
            replay("pydantic-ai__test_deepseek__test_deepseek_model_thinking_part.yaml", 0);
    assertThat(r.text()).startsWith("Crossing the street safely involves careful observation");
    assertThat(r.reasoning()).startsWith("Okay, the user is asking how to cross the street.");
    assertThat(r.usage()).isEqualTo(new Usage(12, 789, 801, 0L, 415L));
    assertThat(r.requestId()).isEqualTo("181d9669-2b3a-445e-bd13-2ebff2c378f6");
    assertThat(r.finishReason()).isEqualTo("stop");
  }

  @Test
  void inlineThinkBlockIsSplitFromTheReply() throws Exception {
    ChatResponse r =
        (ChatResponse) replay("pydantic-ai__test_huggingface__test_simple_completion.yaml", 0);
    assertThat(r.text()).isEqualTo("Hello! \uD83D\uDC4B How can I help you today?");
    assertThat(r.reasoning())
        .startsWith("Hmm, the user just said \"hello\".")
        .doesNotContain("<think>", "</think>");
    assertThat(r.toolCalls()).isEmpty();
    assertThat(r.usage().cachedTokens()).isZero();
  }

  @Test
  void unclosedThinkAtTokenLimitIsAllReasoning() throws Exception {
    ChatResponse r =
        (ChatResponse) replay("pydantic-ai__test_huggingface__test_max_completion_tokens.yaml", 0);
    assertThat(r.truncated()).isTrue();
    assertThat(r.text()).isEmpty();
    assertThat(r.reasoning())
        .startsWith("Hmm, the user just said \"hello\".")
        .endsWith("Acknowledge");
    assertThat(r.usage()).isEqualTo(new Usage(4, 100, 104, 0L, null));
  }

  @Test
  void retryAfterOnA200IsNotAnError() throws Exception {
    long start = System.nanoTime();
    Object r = replay("pydantic-ai__test_huggingface__test_simple_completion.yaml", 0);
    assertThat(r).isInstanceOf(ChatResponse.class);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(30));
  }

  @Test
  void toolCallWithNullContent() throws Exception {
    ChatResponse r =
        (ChatResponse) replay("pydantic-ai__test_openai__test_openai_tool_output.yaml", 0);
    assertThat(r.text()).isNull();
    assertThat(r.finishReason()).isEqualTo("tool_calls");
    assertThat(r.toolCalls())
        .containsExactly(new ToolCall("call_iXFttys57ap0o16JSlC8yhYo", "get_user_country", "{}"));
  }

  @Test
  void streamedToolCallFragmentsAreJoined() throws Exception {
    ChatResponse r =
        (ChatResponse)
            replay("pydantic-ai__test_openai__test_run_stream_sync_streams_real_model.yaml", 0);
    assertThat(r.toolCalls())
        .containsExactly(
            new ToolCall("call_ZR5UUuTt3pf61kjwAJIYdVMj", "get_capital", "{\"country\":\"UK\"}"));
    assertThat(r.text()).isNull();
    assertThat(r.finishReason()).isEqualTo("tool_calls");
    assertThat(r.usage()).isEqualTo(new Usage(53, 15, 68, 0L, 0L));
    assertThat(r.model()).isEqualTo("gpt-4o-mini-2024-07-18");
  }

  @Test
  void openRouterStreamKeepsFirstFinishReasonAndReadsReasoning() throws Exception {
    ChatResponse r =
        (ChatResponse)
            replay("pydantic-ai__test_openrouter__test_openrouter_streaming_reasoning.yaml", 0);
    assertThat(r.text()).isEqualTo("2 + 2 = 4");
    assertThat(r.reasoning()).isEqualTo("This is a simple arithmetic question. 2+2 equals 4.");
    assertThat(r.finishReason()).isEqualTo("stop");
    assertThat(r.usage()).isEqualTo(new Usage(43, 36, 79, 0L, 13L));
    assertThat(r.requestId()).isEqualTo("gen-1765226419-AGrwjunAftQIAgweibL8");
  }

  @Test
  void reasoningTokensAndServedModel() throws Exception {
    ChatResponse r =
        (ChatResponse)
            replay("pydantic-ai__test_openai__test_openai_model_without_system_prompt.yaml", 0);
    assertThat(r.usage().reasoningTokens()).isEqualTo(768L);
    assertThat(r.usage().completionTokens()).isEqualTo(809L);
    assertThat(r.model()).isEqualTo("o3-mini-2025-01-31");
  }

  @Test
  void a200ThatIsNotAChatCompletionIsMalformed() throws Exception {
    Object r = replay("pydantic-ai__test_openai__test_invalid_response.yaml", 0);
    assertThat(r).isInstanceOf(MalformedResponseException.class);
    MalformedResponseException e = (MalformedResponseException) r;
    assertThat(e.retryable()).isTrue();
    assertThat(e.httpStatus()).isEqualTo(200);
    assertThat(e.serverMessage()).contains("not a chat completion", "contentType", "pathname");
  }

  @Test
  void openRouterIntegerCodeAndUpstreamRawMessage() throws Exception {
    Object r = replay("pydantic-ai__test_openrouter__test_openrouter_errors_raised.yaml", 0);
    assertThat(r).isInstanceOf(RateLimitException.class);
    RateLimitException e = (RateLimitException) r;
    assertThat(e.errorCode()).isEqualTo("429");
    assertThat(e.serverMessage())
        .contains("Provider returned error", "Google", "temporarily rate-limited upstream");
    assertThat(e.retryAfter()).isNull();
    assertThat(e.retryable()).isTrue();
  }

  @Test
  void openAiInvalidRequestCarriesCodeAndMessage() throws Exception {
    Object r =
        replay("pydantic-ai__test_openai__test_openai_o1_mini_system_role_developer.yaml", 0);
    assertThat(r).isInstanceOf(BadRequestException.class);
    BadRequestException e = (BadRequestException) r;
    assertThat(e.errorCode()).isEqualTo("unsupported_value");
    assertThat(e.serverMessage()).contains("does not support 'developer' with this model");
    assertThat(e.retryable()).isFalse();
    assertThat(e.getMessage()).contains("HTTP 400", "o1-mini", "unsupported_value");
  }

  @Test
  void groqToolUseFailedIsABadRequestWithItsCode() throws Exception {
    Object r = replay("pydantic-ai__test_groq__test_tool_use_failed_error.yaml", 0);
    assertThat(r).isInstanceOf(BadRequestException.class);
    assertThat(((ModelException) r).errorCode()).isEqualTo("tool_use_failed");
  }

  // ---- synthetic bodies (shapes documented in SCHEMAS.md §3.9 but not recorded) ----

  private static MockResponse sse(String body) {
    return new MockResponse.Builder()
        .addHeader("Content-Type", "text/event-stream")
        .body(body)
        .build();
  }

  private static MockResponse json(int code, String body) {
    return new MockResponse.Builder()
        .code(code)
        .addHeader("Content-Type", "application/json")
        .body(body)
        .build();
  }

  @Test
  void syntheticStreamWithCommentsUsageChunkAndInterleavedToolFragments() {
    server.enqueue(
        sse(
            ": keep-alive\n\n"
                + "data: {\"id\":\"c1\",\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"Hel\"}}]}\n\n"
                + ": another comment\n"
                + "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"lo\",\"tool_calls\":["
                + "{\"index\":0,\"id\":\"a\",\"type\":\"function\",\"function\":{\"name\":\"f\",\"arguments\":\"\"}},"
                + "{\"index\":1,\"id\":\"b\",\"type\":\"function\",\"function\":{\"name\":\"g\",\"arguments\":\"{\\\"x\\\"\"}}]}}]}\n\n"
                + "data: {\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":["
                + "{\"index\":0,\"function\":{\"arguments\":\"{}\"}},{\"index\":1,\"function\":{\"arguments\":\":1}\"}}]}}]}\n\n"
                + "data: {\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n"
                + "data: {\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":null}],"
                + "\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":2,\"total_tokens\":7}}\n\n"
                + "data: [DONE]\n\n"));
    try (OpenAiCompatibleClient c = client(true)) {
      ChatResponse r = c.chatBlocking(hello());
      assertThat(r.text()).isEqualTo("Hello");
      assertThat(r.finishReason()).isEqualTo("stop");
      assertThat(r.usage()).isEqualTo(new Usage(5, 2, 7, null, null));
      assertThat(r.toolCalls())
          .containsExactly(new ToolCall("a", "f", "{}"), new ToolCall("b", "g", "{\"x\":1}"));
      assertThat(r.requestId()).isEqualTo("c1");
    }
  }

  @Test
  void syntheticStreamRequestAsksForUsage() throws Exception {
    server.enqueue(
        sse(
            "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"x\"},\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n"));
    try (OpenAiCompatibleClient c = client(true)) {
      c.chatBlocking(hello());
    }
    RecordedRequest sent = server.takeRequest(5, TimeUnit.SECONDS);
    JsonNode body = Cassettes.JSON.readTree(sent.getBody().utf8());
    assertThat(body.get("stream").asBoolean()).isTrue();
    assertThat(body.at("/stream_options/include_usage").asBoolean()).isTrue();
    assertThat(sent.getHeaders().get("Accept")).isEqualTo("text/event-stream");
  }

  @Test
  void syntheticErrorObjectInsideA200StreamAfterLengthChunks() {
    // OpenRouter-style: finish_reason "length" chunks, then an error chunk, in one 200 stream
    server.enqueue(
        sse(
            "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"partial\"},\"finish_reason\":\"length\"}]}\n\n"
                + "data: {\"error\":{\"code\":400,\"message\":\"Provider returned error\"}}\n\n"
                + "data: [DONE]\n\n"));
    try (OpenAiCompatibleClient c = client(true)) {
      Throwable t = catchThrowable(() -> c.chatBlocking(hello()));
      assertThat(t).isInstanceOf(BadRequestException.class);
      ModelException e = (ModelException) t;
      assertThat(e.httpStatus()).isEqualTo(200);
      assertThat(e.errorCode()).isEqualTo("400");
      assertThat(e.serverMessage()).isEqualTo("Provider returned error");
    }
  }

  @Test
  void syntheticStreamErrorWithoutCodeIsARetryableServerError() {
    server.enqueue(
        sse(
            "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"a\"}}]}\n\n"
                + "data: {\"error\":{\"message\":\"upstream died\"}}\n\n"));
    try (OpenAiCompatibleClient c = client(true)) {
      Throwable t = catchThrowable(() -> c.chatBlocking(hello()));
      assertThat(t).isInstanceOf(ServerErrorException.class);
      assertThat(((ModelException) t).retryable()).isTrue();
    }
  }

  @Test
  void syntheticStreamCutOffBeforeFinishIsMalformedAndRetryable() {
    server.enqueue(sse("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"half\"}}]}\n\n"));
    try (OpenAiCompatibleClient c = client(true)) {
      Throwable t = catchThrowable(() -> c.chatBlocking(hello()));
      assertThat(t).isInstanceOf(MalformedResponseException.class);
      assertThat(((ModelException) t).retryable()).isTrue();
      assertThat(((ModelException) t).serverMessage()).contains("ended before [DONE]");
    }
  }

  @Test
  void syntheticStreamSentWhenNotAskedIsStillRead() {
    server.enqueue(
        sse(
            "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"ok\"},\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n"));
    assertThat(client.chatBlocking(hello()).text()).isEqualTo("ok");
  }

  @Test
  void syntheticGeminiToolCallWithEmptyIdAndNoContentKey() {
    server.enqueue(
        json(
            200,
            "{\"choices\":[{\"index\":0,\"finish_reason\":\"tool_calls\",\"message\":{\"role\":\"assistant\","
                + "\"tool_calls\":[{\"id\":\"\",\"type\":\"function\",\"function\":{\"name\":\"lookup\",\"arguments\":\"{\\\"q\\\":\\\"x\\\"}\"}}]}}],"
                + "\"model\":\"gemini-2.0-flash\"}"));
    ChatResponse r = client.chatBlocking(hello());
    assertThat(r.text()).isNull();
    assertThat(r.toolCalls()).containsExactly(new ToolCall("", "lookup", "{\"q\":\"x\"}"));
    assertThat(r.usage()).isEqualTo(Usage.NONE);
  }

  @Test
  void syntheticTotalTokensAboveTheSumIsKept() {
    server.enqueue(
        json(
            200,
            "{\"choices\":[{\"message\":{\"content\":\"hi\"},\"finish_reason\":\"stop\"}],"
                + "\"usage\":{\"prompt_tokens\":10,\"completion_tokens\":5,\"total_tokens\":40}}"));
    assertThat(client.chatBlocking(hello()).usage()).isEqualTo(new Usage(10, 5, 40, null, null));
  }

  @Test
  void syntheticArgumentsAsObjectAndContentAsParts() {
    server.enqueue(
        json(
            200,
            "{\"choices\":[{\"message\":{\"content\":[{\"type\":\"text\",\"text\":\"a\"},{\"type\":\"text\",\"text\":\"b\"}],"
                + "\"tool_calls\":[{\"id\":\"1\",\"function\":{\"name\":\"f\",\"arguments\":{\"k\":2}}}]},\"finish_reason\":\"tool_calls\"}]}"));
    ChatResponse r = client.chatBlocking(hello());
    assertThat(r.text()).isEqualTo("ab");
    assertThat(r.toolCalls()).containsExactly(new ToolCall("1", "f", "{\"k\":2}"));
  }

  @Test
  void syntheticTextPlain200IsMalformed() {
    server.enqueue(
        new MockResponse.Builder()
            .addHeader("Content-Type", "text/plain")
            .body("upstream ok")
            .build());
    Throwable t = catchThrowable(() -> client.chatBlocking(hello()));
    assertThat(t).isInstanceOf(MalformedResponseException.class);
    assertThat(((ModelException) t).serverMessage()).contains("not JSON", "upstream ok");
  }

  @Test
  void syntheticEmptyChoicesIsMalformed() {
    server.enqueue(json(200, "{\"id\":\"x\",\"choices\":[]}"));
    assertThat(catchThrowable(() -> client.chatBlocking(hello())))
        .isInstanceOf(MalformedResponseException.class)
        .hasMessageContaining("no choices");
  }

  @Test
  void syntheticErrorObjectInA200JsonBody() {
    server.enqueue(json(200, "{\"error\":{\"message\":\"Rate limit\",\"code\":429}}"));
    assertThat(catchThrowable(() -> client.chatBlocking(hello())))
        .isInstanceOf(RateLimitException.class);
  }

  @Test
  void timeoutIsARetryableTimeoutException() {
    server.enqueue(json(200, "{}").newBuilder().headersDelay(2, TimeUnit.SECONDS).build());
    ChatRequest r = hello().newBuilder().timeout(Duration.ofMillis(200)).build();
    Throwable t = catchThrowable(() -> client.chatBlocking(r));
    assertThat(t).isInstanceOf(ModelTimeoutException.class);
    assertThat(((ModelException) t).retryable()).isTrue();
  }

  @Test
  void droppedConnectionIsARetryableConnectionException() {
    server.enqueue(
        new MockResponse.Builder()
            .onRequestStart(new SocketEffect.CloseSocket(true, false, false))
            .build());
    Throwable t = catchThrowable(() -> client.chatBlocking(hello()));
    assertThat(t).isInstanceOf(ConnectionException.class);
    assertThat(((ModelException) t).retryable()).isTrue();
    assertThat(((ModelException) t).httpStatus()).isEqualTo(-1);
  }

  @Test
  void truncatedBodyIsMalformedAndRetryable() {
    server.enqueue(
        json(200, "{\"choices\":[{\"message\":{\"content\":\"" + "x".repeat(20_000) + "\"}}]}")
            .newBuilder()
            .onResponseBody(new SocketEffect.CloseSocket(true, false, false))
            .build());
    Throwable t = catchThrowable(() -> client.chatBlocking(hello()));
    assertThat(t).isInstanceOf(MalformedResponseException.class);
    assertThat(((ModelException) t).serverMessage()).contains("truncated");
    assertThat(((ModelException) t).retryable()).isTrue();
  }

  // ---- request serialization ----

  @Test
  void requestCarriesEveryParameter() throws Exception {
    server.enqueue(
        json(200, "{\"choices\":[{\"message\":{\"content\":\"ok\"},\"finish_reason\":\"stop\"}]}"));
    ChatRequest r =
        ChatRequest.builder()
            .model("m1")
            .addMessage(ChatMessage.system("sys"))
            .addMessage(
                new ChatMessage(
                    ChatMessage.Role.USER,
                    List.of(
                        new ContentPart.Text("look: "),
                        new ContentPart.Image("data:image/png;base64,AAAA", "low")),
                    null,
                    null,
                    null))
            .temperature(0.2)
            .topP(0.9)
            .maxTokens(64)
            .stop(List.of("END"))
            .seed(7L)
            .presencePenalty(0.1)
            .frequencyPenalty(-0.1)
            .logprobs(true)
            .topLogprobs(2)
            .tools(List.of(new ToolDefinition("f", "does f", Map.of("type", "object"), true)))
            .toolChoice("f")
            .responseFormat(new ResponseFormat.JsonSchema("out", Map.of("type", "object"), true))
            .extraBody("n", 1)
            .build();
    client.chatBlocking(r);
    JsonNode b = Cassettes.JSON.readTree(server.takeRequest(5, TimeUnit.SECONDS).getBody().utf8());
    assertThat(b.get("model").asText()).isEqualTo("m1");
    assertThat(b.at("/messages/0/content").asText()).isEqualTo("sys");
    assertThat(b.at("/messages/1/content/0/text").asText()).isEqualTo("look: ");
    assertThat(b.at("/messages/1/content/1/image_url/url").asText())
        .isEqualTo("data:image/png;base64,AAAA");
    assertThat(b.at("/messages/1/content/1/image_url/detail").asText()).isEqualTo("low");
    assertThat(b.get("temperature").asDouble()).isEqualTo(0.2);
    assertThat(b.get("top_p").asDouble()).isEqualTo(0.9);
    assertThat(b.get("max_tokens").asInt()).isEqualTo(64);
    assertThat(b.has("max_completion_tokens")).isFalse();
    assertThat(b.at("/stop/0").asText()).isEqualTo("END");
    assertThat(b.get("seed").asLong()).isEqualTo(7);
    assertThat(b.get("presence_penalty").asDouble()).isEqualTo(0.1);
    assertThat(b.get("frequency_penalty").asDouble()).isEqualTo(-0.1);
    assertThat(b.get("logprobs").asBoolean()).isTrue();
    assertThat(b.get("top_logprobs").asInt()).isEqualTo(2);
    assertThat(b.at("/tools/0/function/strict").asBoolean()).isTrue();
    assertThat(b.at("/tool_choice/function/name").asText()).isEqualTo("f");
    assertThat(b.at("/response_format/type").asText()).isEqualTo("json_schema");
    assertThat(b.at("/response_format/json_schema/name").asText()).isEqualTo("out");
    assertThat(b.get("n").asInt()).isEqualTo(1);
    assertThat(b.get("stream").asBoolean()).isFalse();
  }

  @Test
  void maxCompletionTokensWhenAsked() throws Exception {
    server.enqueue(json(200, "{\"choices\":[{\"message\":{\"content\":\"ok\"}}]}"));
    try (OpenAiCompatibleClient c =
        OpenAiCompatibleClient.builder()
            .baseUrl(server.url("/v1").toString())
            .model("o3-mini")
            .useMaxCompletionTokens(true)
            .build()) {
      c.chatBlocking(hello().newBuilder().maxTokens(10).build());
    }
    JsonNode b = Cassettes.JSON.readTree(server.takeRequest(5, TimeUnit.SECONDS).getBody().utf8());
    assertThat(b.get("max_completion_tokens").asInt()).isEqualTo(10);
    assertThat(b.has("max_tokens")).isFalse();
  }

  @Test
  void noAuthorizationHeaderWithoutKeyAndDefaultModelUsed() throws Exception {
    server.enqueue(json(200, "{\"choices\":[{\"message\":{\"content\":\"ok\"}}]}"));
    client.chatBlocking(hello());
    RecordedRequest sent = server.takeRequest(5, TimeUnit.SECONDS);
    assertThat(sent.getHeaders().get("Authorization")).isNull();
    assertThat(Cassettes.JSON.readTree(sent.getBody().utf8()).get("model").asText())
        .isEqualTo("test-model");
  }

  @Test
  void noModelAnywhereFailsWithoutSending() {
    try (OpenAiCompatibleClient c =
        OpenAiCompatibleClient.builder().baseUrl(server.url("/v1").toString()).build()) {
      assertThat(catchThrowable(() -> c.chatBlocking(hello())))
          .isInstanceOf(ConfigurationException.class)
          .hasMessageContaining("model");
    }
    assertThat(server.getRequestCount()).isZero();
  }

  // ---- configuration ----

  @Test
  void builderRejectsBadValuesNamingFieldAndValue() {
    assertThatThrownBy(() -> OpenAiCompatibleClient.builder().baseUrl("localhost:8000"))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("baseUrl")
        .hasMessageContaining("localhost:8000");
    assertThatThrownBy(
            () -> OpenAiCompatibleClient.builder().baseUrl("http://h/v1/chat/completions"))
        .hasMessageContaining("without /chat/completions");
    assertThatThrownBy(() -> OpenAiCompatibleClient.builder().model(" "))
        .hasMessageContaining("model");
    assertThatThrownBy(() -> OpenAiCompatibleClient.builder().provider("my provider"))
        .hasMessageContaining("provider")
        .hasMessageContaining("my provider");
    assertThatThrownBy(() -> OpenAiCompatibleClient.builder().header("Bad Name", "x"))
        .hasMessageContaining("header");
    assertThatThrownBy(() -> OpenAiCompatibleClient.builder().build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("api.openai.com needs an API key");
  }

  @Test
  void fromEnvReadsBaseUrlKeyAndModel() throws Exception {
    server.enqueue(json(200, "{\"choices\":[{\"message\":{\"content\":\"ok\"}}]}"));
    Map<String, String> env =
        Map.of(
            "SYGRA_BASE_URL", server.url("/v1/").toString(),
            "OPENAI_BASE_URL", "http://ignored.invalid/v1",
            "OPENAI_API_KEY", "sk-env-key",
            "SYGRA_MODEL", "env-model");
    try (OpenAiCompatibleClient c = OpenAiCompatibleClient.fromEnv(env)) {
      assertThat(c.defaultModel()).isEqualTo("env-model");
      assertThat(c.baseUrl()).isEqualTo(server.url("/v1").toString().replaceAll("/$", ""));
      c.chatBlocking(hello());
    }
    RecordedRequest sent = server.takeRequest(5, TimeUnit.SECONDS);
    assertThat(sent.getHeaders().get("Authorization")).isEqualTo("Bearer sk-env-key");
  }

  @Test
  void fromEnvNamesTheVariableAtFault() {
    assertThatThrownBy(() -> OpenAiCompatibleClient.fromEnv(Map.of("SYGRA_BASE_URL", "not a url")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageStartingWith("SYGRA_BASE_URL")
        .hasMessageContaining("not a url");
    assertThatThrownBy(
            () -> OpenAiCompatibleClient.fromEnv(Map.of("OPENAI_API_KEY", "sk has space")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageStartingWith("OPENAI_API_KEY")
        .hasMessageNotContaining("sk has space");
    assertThatThrownBy(() -> OpenAiCompatibleClient.fromEnv(Map.of()))
        .hasMessageContaining("API key");
    assertThatThrownBy(
            () ->
                OpenAiCompatibleClient.fromEnv(Map.of("SYGRA_BASE_URL", "http://a/v1,http://b/v1")))
        .hasMessageContaining("ModelClients.fromEnv");
  }
}
