package io.sygra.llm;

import static io.sygra.llm.RecordingDispatcher.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
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
 * {@link OllamaClient} against MockWebServer. All bodies are synthetic, in /api/chat's documented
 * shape.
 */
class OllamaClientTest {
  private MockWebServer server;
  private OllamaClient client;

  @BeforeEach
  void start() throws Exception {
    server = new MockWebServer();
    server.start();
    client = OllamaClient.builder().host(server.url("/").toString()).model("llama3.2").build();
  }

  @AfterEach
  void stop() {
    client.close();
    server.close();
  }

  @Test
  void mapsRequestToNativeShape() throws Exception {
    server.enqueue(
        status(
            200,
            "{\"model\":\"llama3.2\",\"message\":{\"role\":\"assistant\",\"content\":\"ok\"},\"done\":true,\"done_reason\":\"stop\",\"prompt_eval_count\":12,\"eval_count\":3}"));
    ChatRequest r =
        ChatRequest.builder()
            .addMessage(ChatMessage.of(ChatMessage.Role.DEVELOPER, "dev"))
            .addMessage(
                new ChatMessage(
                    ChatMessage.Role.USER,
                    List.of(
                        new ContentPart.Text("see"),
                        new ContentPart.Image("data:image/jpeg;base64,/9j/4AAQ", null)),
                    null,
                    null,
                    null))
            .addMessage(
                ChatMessage.assistant(
                    null, List.of(new ToolCall("", "weather", "{\"city\":\"Oslo\"}"))))
            .addMessage(ChatMessage.tool("x", "weather", "sunny"))
            .temperature(0.1)
            .maxTokens(50)
            .seed(9L)
            .stop(List.of("\n\n"))
            .responseFormat(new ResponseFormat.JsonSchema("s", Map.of("type", "object"), true))
            .extraBody("options", Map.of("num_ctx", 8192))
            .extraBody("think", true)
            .build();
    ChatResponse resp = client.chatBlocking(r);
    assertThat(resp.text()).isEqualTo("ok");
    assertThat(resp.usage()).isEqualTo(new Usage(12, 3, 15, null, null));

    RecordedRequest sent = server.takeRequest(5, TimeUnit.SECONDS);
    assertThat(sent.getUrl().encodedPath()).isEqualTo("/api/chat");
    JsonNode b = Cassettes.JSON.readTree(sent.getBody().utf8());
    assertThat(b.get("stream").asBoolean()).isFalse();
    assertThat(b.at("/messages/0/role").asText()).isEqualTo("system");
    assertThat(b.at("/messages/1/images/0").asText()).isEqualTo("/9j/4AAQ");
    assertThat(b.at("/messages/2/tool_calls/0/function/arguments/city").asText()).isEqualTo("Oslo");
    assertThat(b.at("/messages/3/tool_name").asText()).isEqualTo("weather");
    assertThat(b.at("/options/temperature").asDouble()).isEqualTo(0.1);
    assertThat(b.at("/options/num_predict").asInt()).isEqualTo(50);
    assertThat(b.at("/options/seed").asLong()).isEqualTo(9);
    assertThat(b.at("/options/stop/0").asText()).isEqualTo("\n\n");
    assertThat(b.at("/options/num_ctx").asInt()).isEqualTo(8192);
    assertThat(b.at("/format/type").asText()).isEqualTo("object");
    assertThat(b.get("think").asBoolean()).isTrue();
  }

  @Test
  void readsThinkingAndToolCalls() {
    server.enqueue(
        status(
            200,
            "{\"model\":\"qwen3\",\"message\":{\"role\":\"assistant\",\"content\":\"\",\"thinking\":\"hmm\","
                + "\"tool_calls\":[{\"function\":{\"name\":\"weather\",\"arguments\":{\"city\":\"Oslo\"}}}]},"
                + "\"done\":true,\"done_reason\":\"stop\",\"prompt_eval_count\":4,\"eval_count\":9}"));
    ChatResponse r =
        client.chatBlocking(ChatRequest.builder().addMessage(ChatMessage.user("w?")).build());
    assertThat(r.reasoning()).isEqualTo("hmm");
    assertThat(r.text()).isNull();
    assertThat(r.toolCalls()).containsExactly(new ToolCall("", "weather", "{\"city\":\"Oslo\"}"));
    assertThat(r.finishReason()).isEqualTo("tool_calls");
    assertThat(r.model()).isEqualTo("qwen3");
  }

  @Test
  void readsAnNdjsonStream() {
    server.enqueue(
        new MockResponse.Builder()
            .addHeader("Content-Type", "application/x-ndjson")
            .body(
                "{\"model\":\"m\",\"message\":{\"role\":\"assistant\",\"content\":\"<think>a</think>Hel\"},\"done\":false}\n"
                    + "{\"model\":\"m\",\"message\":{\"role\":\"assistant\",\"content\":\"lo\"},\"done\":false}\n"
                    + "{\"model\":\"m\",\"message\":{\"role\":\"assistant\",\"content\":\"\"},\"done\":true,\"done_reason\":\"length\",\"prompt_eval_count\":2,\"eval_count\":5}\n")
            .build());
    ChatResponse r =
        client.chatBlocking(ChatRequest.builder().addMessage(ChatMessage.user("x")).build());
    assertThat(r.text()).isEqualTo("Hello");
    assertThat(r.reasoning()).isEqualTo("a");
    assertThat(r.finishReason()).isEqualTo("length");
    assertThat(r.usage().totalTokens()).isEqualTo(7);
  }

  @Test
  void errorsAndUnsupportedInput() {
    server.enqueue(
        status(404, "{\"error\":\"model \\\"nope\\\" not found, try pulling it first\"}"));
    Throwable t =
        catchThrowable(
            () ->
                client.chatBlocking(
                    ChatRequest.builder().model("nope").addMessage(ChatMessage.user("x")).build()));
    assertThat(t).isInstanceOf(ModelNotFoundException.class);
    assertThat(((ModelException) t).serverMessage()).contains("try pulling it first");
    assertThat(((ModelException) t).model()).isEqualTo("nope");

    ChatRequest remoteImage =
        ChatRequest.builder()
            .addMessage(
                new ChatMessage(
                    ChatMessage.Role.USER,
                    List.of(new ContentPart.Image("https://x/y.png", null)),
                    null,
                    null,
                    null))
            .build();
    assertThat(catchThrowable(() -> client.chatBlocking(remoteImage)))
        .isInstanceOf(BadRequestException.class)
        .hasMessageContaining("data: URLs");
    assertThat(server.getRequestCount()).isEqualTo(1);
  }

  @Test
  void hostIsReadTheWayTheOllamaCliReadsIt() {
    assertThat(OllamaClient.Builder.normalizeHost("0.0.0.0:11434"))
        .isEqualTo("http://localhost:11434");
    assertThat(OllamaClient.Builder.normalizeHost("gpu-box")).isEqualTo("http://gpu-box:11434");
    assertThat(OllamaClient.Builder.normalizeHost(":11500")).isEqualTo("http://localhost:11500");
    assertThat(OllamaClient.Builder.normalizeHost("https://ollama.example.com"))
        .isEqualTo("https://ollama.example.com");
    assertThat(OllamaClient.Builder.normalizeHost("http://box:8080/")).isEqualTo("http://box:8080");
    try (OllamaClient c =
        OllamaClient.fromEnv(Map.of("OLLAMA_HOST", "10.0.0.5", "OLLAMA_MODEL", "phi4"))) {
      assertThat(c.baseUrl()).isEqualTo("http://10.0.0.5:11434");
      assertThat(c.defaultModel()).isEqualTo("phi4");
    }
    assertThat(catchThrowable(() -> OllamaClient.fromEnv(Map.of("OLLAMA_HOST", "http://bad host"))))
        .hasMessageStartingWith("OLLAMA_HOST");
  }
}
