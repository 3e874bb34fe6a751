package io.sygra.llm;

import static io.sygra.llm.RecordingDispatcher.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import io.sygra.core.ConfigurationException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link AnthropicClient} against MockWebServer. All bodies are synthetic, in the documented
 * shapes.
 */
class AnthropicClientTest {
  private MockWebServer server;
  private AnthropicClient client;

  @BeforeEach
  void start() throws Exception {
    server = new MockWebServer();
    server.start();
    client =
        AnthropicClient.builder()
            .baseUrl(server.url("/").toString())
            .model("claude-sonnet-4-20250514")
            .apiKey(Secret.of("sk-ant-test"))
            .build();
  }

  @AfterEach
  void stop() {
    client.close();
    server.close();
  }

  private static MockResponse message(String content, String stopReason, String usage) {
    return new MockResponse.Builder()
        .addHeader("Content-Type", "application/json")
        .addHeader("request-id", "req_011")
        .body(
            "{\"id\":\"msg_01\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-sonnet-4-20250514\","
                + "\"content\":"
                + content
                + ",\"stop_reason\":\""
                + stopReason
                + "\",\"stop_sequence\":null,"
                + "\"usage\":"
                + usage
                + "}")
        .build();
  }

  private JsonNode sentBody() throws Exception {
    RecordedRequest r = server.takeRequest(5, TimeUnit.SECONDS);
    assertThat(r.getUrl().encodedPath()).isEqualTo("/v1/messages");
    assertThat(r.getHeaders().get("x-api-key")).isEqualTo("sk-ant-test");
    assertThat(r.getHeaders().get("anthropic-version")).isEqualTo("2023-06-01");
    assertThat(r.getHeaders().get("Authorization")).isNull();
    return Cassettes.JSON.readTree(r.getBody().utf8());
  }

  @Test
  void mapsConversationToMessagesApiShape() throws Exception {
    server.enqueue(
        message(
            "[{\"type\":\"text\",\"text\":\"done\"}]",
            "end_turn",
            "{\"input_tokens\":10,\"output_tokens\":2}"));
    ChatRequest r =
        ChatRequest.builder()
            .addMessage(ChatMessage.system("Be brief."))
            .addMessage(ChatMessage.of(ChatMessage.Role.DEVELOPER, "Use metric units."))
            .addMessage(
                new ChatMessage(
                    ChatMessage.Role.USER,
                    List.of(
                        new ContentPart.Text("What is this?"),
                        new ContentPart.Image("data:image/png;base64,iVBORw0K", null),
                        new ContentPart.Image("https://example.com/cat.jpg", null)),
                    null,
                    null,
                    null))
            .addMessage(
                ChatMessage.assistant(
                    "Let me check.", List.of(new ToolCall("toolu_1", "lookup", "{\"q\":\"cat\"}"))))
            .addMessage(ChatMessage.tool("toolu_1", "lookup", "a cat"))
            .addMessage(ChatMessage.user("So?"))
            .temperature(0.5)
            .stop(List.of("###"))
            .seed(3L)
            .tools(
                List.of(
                    new ToolDefinition(
                        "lookup", "Looks things up", Map.of("type", "object"), false)))
            .toolChoice("required")
            .build();
    ChatResponse resp = client.chatBlocking(r);
    assertThat(resp.text()).isEqualTo("done");

    JsonNode b = sentBody();
    assertThat(b.get("model").asText()).isEqualTo("claude-sonnet-4-20250514");
    assertThat(b.get("max_tokens").asInt()).isEqualTo(4096);
    assertThat(b.get("system").asText()).isEqualTo("Be brief.\n\nUse metric units.");
    assertThat(b.get("messages")).hasSize(3);
    JsonNode user = b.at("/messages/0");
    assertThat(user.get("role").asText()).isEqualTo("user");
    assertThat(user.at("/content/1/source/type").asText()).isEqualTo("base64");
    assertThat(user.at("/content/1/source/media_type").asText()).isEqualTo("image/png");
    assertThat(user.at("/content/1/source/data").asText()).isEqualTo("iVBORw0K");
    assertThat(user.at("/content/2/source/type").asText()).isEqualTo("url");
    JsonNode assistant = b.at("/messages/1");
    assertThat(assistant.at("/content/0/text").asText()).isEqualTo("Let me check.");
    assertThat(assistant.at("/content/1/type").asText()).isEqualTo("tool_use");
    assertThat(assistant.at("/content/1/input/q").asText()).isEqualTo("cat");
    JsonNode toolTurn = b.at("/messages/2");
    assertThat(toolTurn.get("role").asText()).isEqualTo("user");
    assertThat(toolTurn.at("/content/0/type").asText()).isEqualTo("tool_result");
    assertThat(toolTurn.at("/content/0/tool_use_id").asText()).isEqualTo("toolu_1");
    assertThat(toolTurn.at("/content/1/text").asText()).isEqualTo("So?");
    assertThat(b.at("/tools/0/input_schema/type").asText()).isEqualTo("object");
    assertThat(b.at("/tool_choice/type").asText()).isEqualTo("any");
    assertThat(b.at("/stop_sequences/0").asText()).isEqualTo("###");
    assertThat(b.has("seed")).isFalse();
  }

  @Test
  void readsThinkingToolUseAndCacheUsage() {
    server.enqueue(
        message(
            "[{\"type\":\"thinking\",\"thinking\":\"Need the tool.\",\"signature\":\"sig\"},"
                + "{\"type\":\"text\",\"text\":\"Checking.\"},"
                + "{\"type\":\"tool_use\",\"id\":\"toolu_9\",\"name\":\"lookup\",\"input\":{\"q\":\"x\"}}]",
            "tool_use",
            "{\"input_tokens\":5,\"cache_creation_input_tokens\":20,\"cache_read_input_tokens\":100,\"output_tokens\":7}"));
    ChatResponse r =
        client.chatBlocking(ChatRequest.builder().addMessage(ChatMessage.user("hi")).build());
    assertThat(r.text()).isEqualTo("Checking.");
    assertThat(r.reasoning()).isEqualTo("Need the tool.");
    assertThat(r.toolCalls()).containsExactly(new ToolCall("toolu_9", "lookup", "{\"q\":\"x\"}"));
    assertThat(r.finishReason()).isEqualTo("tool_calls");
    assertThat(r.usage()).isEqualTo(new Usage(125, 7, 132, 100L, null));
    assertThat(r.requestId()).isEqualTo("req_011");
    assertThat(r.provider()).isEqualTo("anthropic");
  }

  @Test
  void maxTokensStopIsLength() {
    server.enqueue(
        message(
            "[{\"type\":\"text\",\"text\":\"cut\"}]",
            "max_tokens",
            "{\"input_tokens\":1,\"output_tokens\":1}"));
    assertThat(
            client
                .chatBlocking(ChatRequest.builder().addMessage(ChatMessage.user("hi")).build())
                .truncated())
        .isTrue();
  }

  @Test
  void jsonSchemaIsServedByAForcedTool() throws Exception {
    server.enqueue(
        message(
            "[{\"type\":\"tool_use\",\"id\":\"toolu_2\",\"name\":\"answer\",\"input\":{\"score\":4}}]",
            "tool_use",
            "{\"input_tokens\":3,\"output_tokens\":3}"));
    ChatRequest r =
        ChatRequest.builder()
            .addMessage(ChatMessage.user("rate it"))
            .responseFormat(
                new ResponseFormat.JsonSchema(
                    "answer",
                    Map.of(
                        "type", "object", "properties", Map.of("score", Map.of("type", "integer"))),
                    true))
            .build();
    ChatResponse resp = client.chatBlocking(r);
    assertThat(resp.text()).isEqualTo("{\"score\":4}");
    assertThat(resp.toolCalls()).isEmpty();
    assertThat(resp.finishReason()).isEqualTo("stop");
    JsonNode b = sentBody();
    assertThat(b.at("/tool_choice/type").asText()).isEqualTo("tool");
    assertThat(b.at("/tool_choice/name").asText()).isEqualTo("answer");
    assertThat(b.at("/tools/0/input_schema/properties/score/type").asText()).isEqualTo("integer");
  }

  @Test
  void temperatureAboveOneIsRejectedBeforeSending() {
    Throwable t =
        catchThrowable(
            () ->
                client.chatBlocking(
                    ChatRequest.builder()
                        .temperature(1.5)
                        .addMessage(ChatMessage.user("x"))
                        .build()));
    assertThat(t)
        .isInstanceOf(BadRequestException.class)
        .hasMessageContaining("temperature must be in [0, 1]");
    assertThat(server.getRequestCount()).isZero();
  }

  @Test
  void errorsMapFromAnthropicShapes() {
    server.enqueue(
        status(
            529,
            "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}",
            "request-id: req_x"));
    server.enqueue(
        status(
            400,
            "{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\",\"message\":\"prompt is too long: 210000 tokens > 200000 maximum\"}}"));
    server.enqueue(
        status(
            401,
            "{\"type\":\"error\",\"error\":{\"type\":\"authentication_error\",\"message\":\"invalid x-api-key\"}}"));
    ChatRequest r = ChatRequest.builder().addMessage(ChatMessage.user("x")).build();
    Throwable overloaded = catchThrowable(() -> client.chatBlocking(r));
    assertThat(overloaded).isInstanceOf(ServerErrorException.class);
    assertThat(((ModelException) overloaded).requestId()).isEqualTo("req_x");
    assertThat(((ModelException) overloaded).errorCode()).isEqualTo("overloaded_error");
    assertThat(catchThrowable(() -> client.chatBlocking(r)))
        .isInstanceOf(ContextLengthExceededException.class);
    assertThat(catchThrowable(() -> client.chatBlocking(r)))
        .isInstanceOf(AuthenticationException.class);
  }

  @Test
  void aBodyThatIsNotAMessageIsMalformed() {
    server.enqueue(status(200, "{\"hello\":\"world\"}"));
    assertThat(
            catchThrowable(
                () ->
                    client.chatBlocking(
                        ChatRequest.builder().addMessage(ChatMessage.user("x")).build())))
        .isInstanceOf(MalformedResponseException.class);
  }

  @Test
  void configuration() {
    assertThatThrownBy(() -> AnthropicClient.fromEnv(Map.of()))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageStartingWith("ANTHROPIC_API_KEY");
    try (AnthropicClient c =
        AnthropicClient.fromEnv(
            Map.of(
                "ANTHROPIC_API_KEY",
                "k",
                "ANTHROPIC_BASE_URL",
                "http://proxy.local/",
                "SYGRA_MODEL",
                "claude-x"))) {
      assertThat(c.baseUrl()).isEqualTo("http://proxy.local");
      assertThat(c.defaultModel()).isEqualTo("claude-x");
    }
    assertThatThrownBy(() -> AnthropicClient.builder().defaultMaxTokens(0))
        .hasMessageContaining("defaultMaxTokens");
    assertThatThrownBy(() -> AnthropicClient.builder().baseUrl("https://api.anthropic.com/v1"))
        .hasMessageContaining("without /v1/messages");
  }
}
