package io.sygra.llm;

import static io.sygra.llm.RecordingDispatcher.ok;
import static io.sygra.llm.RecordingDispatcher.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import io.sygra.core.ConfigurationException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link AzureOpenAiClient} against MockWebServer; error bodies are synthetic Azure shapes. */
class AzureOpenAiClientTest {
  private MockWebServer server;
  private AzureOpenAiClient client;

  @BeforeEach
  void start() throws Exception {
    server = new MockWebServer();
    server.start();
    client =
        AzureOpenAiClient.builder()
            .endpoint(server.url("/").toString())
            .deployment("gpt4o-prod")
            .apiKey(Secret.of("azure-key-1"))
            .build();
  }

  @AfterEach
  void stop() {
    client.close();
    server.close();
  }

  @Test
  void postsToTheDeploymentWithApiKeyAndVersion() throws Exception {
    server.enqueue(ok("hi"));
    server.enqueue(ok("hi"));
    ChatRequest r = ChatRequest.builder().addMessage(ChatMessage.user("x")).maxTokens(5).build();
    assertThat(client.chatBlocking(r).text()).isEqualTo("hi");
    client.chatBlocking(r.newBuilder().model("other-deployment").build());

    RecordedRequest first = server.takeRequest(5, TimeUnit.SECONDS);
    assertThat(first.getUrl().encodedPath())
        .isEqualTo("/openai/deployments/gpt4o-prod/chat/completions");
    assertThat(first.getUrl().queryParameter("api-version"))
        .isEqualTo(AzureOpenAiClient.DEFAULT_API_VERSION);
    assertThat(first.getHeaders().get("api-key")).isEqualTo("azure-key-1");
    assertThat(first.getHeaders().get("Authorization")).isNull();
    JsonNode body = Cassettes.JSON.readTree(first.getBody().utf8());
    assertThat(body.has("model")).isFalse();
    assertThat(body.get("max_completion_tokens").asInt()).isEqualTo(5);
    assertThat(server.takeRequest(5, TimeUnit.SECONDS).getUrl().encodedPath())
        .isEqualTo("/openai/deployments/other-deployment/chat/completions");
  }

  @Test
  void contentFilterAndRateLimitShapes() {
    server.enqueue(
        status(
            400,
            "{\"error\":{\"message\":\"The response was filtered due to the prompt triggering Azure OpenAI's content management policy.\","
                + "\"type\":null,\"param\":\"prompt\",\"code\":\"content_filter\",\"status\":400,"
                + "\"innererror\":{\"code\":\"ResponsibleAIPolicyViolation\",\"content_filter_result\":{\"hate\":{\"filtered\":true,\"severity\":\"high\"}}}}}",
            "apim-request-id: az-1"));
    server.enqueue(
        status(
            429,
            "{\"error\":{\"code\":\"429\",\"message\":\"Requests to the ChatCompletions_Create Operation have exceeded call rate limit.\"}}",
            "retry-after-ms: 1200",
            "retry-after: 2"));
    ChatRequest r = ChatRequest.builder().addMessage(ChatMessage.user("x")).build();
    Throwable filtered = catchThrowable(() -> client.chatBlocking(r));
    assertThat(filtered).isInstanceOf(ContentFilterException.class);
    assertThat(((ModelException) filtered).requestId()).isEqualTo("az-1");
    assertThat(((ModelException) filtered).provider()).isEqualTo("azure");
    Throwable limited = catchThrowable(() -> client.chatBlocking(r));
    assertThat(((RateLimitException) limited).retryAfter()).isEqualTo(Duration.ofMillis(1200));
  }

  @Test
  void configuration() {
    assertThatThrownBy(() -> AzureOpenAiClient.fromEnv(Map.of("AZURE_OPENAI_API_KEY", "k")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageStartingWith("AZURE_OPENAI_ENDPOINT");
    assertThatThrownBy(
            () ->
                AzureOpenAiClient.fromEnv(
                    Map.of("AZURE_OPENAI_ENDPOINT", "https://r.openai.azure.com")))
        .hasMessageStartingWith("AZURE_OPENAI_API_KEY");
    assertThatThrownBy(
            () ->
                AzureOpenAiClient.fromEnv(
                    Map.of(
                        "AZURE_OPENAI_ENDPOINT",
                        "https://r.openai.azure.com",
                        "AZURE_OPENAI_API_KEY",
                        "k",
                        "OPENAI_API_VERSION",
                        "v1")))
        .hasMessageStartingWith("OPENAI_API_VERSION")
        .hasMessageContaining("'v1'");
    try (AzureOpenAiClient c =
        AzureOpenAiClient.fromEnv(
            Map.of(
                "AZURE_OPENAI_ENDPOINT", "https://r.openai.azure.com/",
                "AZURE_OPENAI_API_KEY", "k",
                "AZURE_OPENAI_DEPLOYMENT", "dep"))) {
      assertThat(c.baseUrl()).isEqualTo("https://r.openai.azure.com");
      assertThat(c.defaultModel()).isEqualTo("dep");
    }
  }
}
