package io.sygra.llm;

import static io.sygra.llm.RecordingDispatcher.ok;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sygra.core.ConfigurationException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.Test;

class ModelClientsTest {

  @Test
  void nothingConfiguredMeansNoEndpoint() {
    assertThat(ModelClients.fromEnv(Map.of())).isEmpty();
    assertThat(ModelClients.fromEnv(Map.of("OLLAMA_HOST", "0.0.0.0")))
        .isEmpty(); // the server's own setting
  }

  @Test
  void providerIsDetectedOrChosen() {
    List<ModelClient> openai =
        ModelClients.endpointsFromEnv(Map.of("SYGRA_BASE_URL", "http://vllm:8000/v1"));
    assertThat(openai).singleElement().isInstanceOf(OpenAiCompatibleClient.class);
    List<ModelClient> azure =
        ModelClients.endpointsFromEnv(
            Map.of(
                "AZURE_OPENAI_ENDPOINT",
                "https://r.openai.azure.com",
                "AZURE_OPENAI_API_KEY",
                "k"));
    assertThat(azure).singleElement().isInstanceOf(AzureOpenAiClient.class);
    assertThat(ModelClients.endpointsFromEnv(Map.of("ANTHROPIC_API_KEY", "k")))
        .singleElement()
        .isInstanceOf(AnthropicClient.class);
    assertThat(ModelClients.endpointsFromEnv(Map.of("SYGRA_PROVIDER", "ollama")))
        .singleElement()
        .isInstanceOf(OllamaClient.class);
    assertThatThrownBy(() -> ModelClients.endpointsFromEnv(Map.of("SYGRA_PROVIDER", "bedrock")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageStartingWith("SYGRA_PROVIDER")
        .hasMessageContaining("bedrock");
    (openai.get(0)).close();
    azure.get(0).close();
  }

  @Test
  void endpointsFromEnvAppliesTheGivenTransportSettingsToEveryProvider() throws Exception {
    assertThatThrownBy(() -> ModelClients.endpointsFromEnv(Map.of(), null))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageStartingWith("http");
    // A 100 ms call timeout (the default is 10 minutes) against a server that answers after 5 s
    // shows the options reached the transport of each provider's client.
    HttpOptions http = HttpOptions.builder().callTimeout(Duration.ofMillis(100)).build();
    try (MockWebServer a = new MockWebServer();
        MockWebServer b = new MockWebServer()) {
      MockResponse slow = ok("late").newBuilder().headersDelay(5, TimeUnit.SECONDS).build();
      a.setDispatcher(new RecordingDispatcher(n -> slow));
      b.setDispatcher(new RecordingDispatcher(n -> slow));
      a.start();
      b.start();
      String urlA = a.url("/v1").toString();
      String urlB = b.url("/v1").toString();
      List<Map<String, String>> envs =
          List.of(
              Map.of("SYGRA_BASE_URL", urlA, "SYGRA_MODEL", "m"),
              Map.of("SYGRA_BASE_URL", urlA + "," + urlB, "SYGRA_MODEL", "m"),
              Map.of(
                  "ANTHROPIC_API_KEY",
                  "k",
                  "ANTHROPIC_BASE_URL",
                  a.url("/").toString(),
                  "SYGRA_MODEL",
                  "m"),
              Map.of(
                  "SYGRA_PROVIDER",
                  "ollama",
                  "OLLAMA_HOST",
                  a.url("/").toString(),
                  "SYGRA_MODEL",
                  "m"));
      ChatRequest q = ChatRequest.builder().addMessage(ChatMessage.user("hi")).build();
      for (Map<String, String> env : envs) {
        for (ModelClient endpoint : ModelClients.endpointsFromEnv(env, http)) {
          try (endpoint) {
            assertThatThrownBy(() -> endpoint.chatBlocking(q))
                .as("%s", env)
                .isInstanceOf(ModelTimeoutException.class);
          }
        }
      }
    }
  }

  @Test
  void severalBaseUrlsBecomeOneBalancedModel() throws Exception {
    try (MockWebServer a = new MockWebServer();
        MockWebServer b = new MockWebServer()) {
      a.setDispatcher(new RecordingDispatcher(n -> ok("from a")));
      b.setDispatcher(new RecordingDispatcher(n -> ok("from b")));
      a.start();
      b.start();
      Map<String, String> env =
          Map.of(
              "SYGRA_BASE_URL", a.url("/v1") + " , " + b.url("/v1"),
              "OPENAI_API_KEY", "sk-x",
              "SYGRA_MODEL", "qwen",
              "SYGRA_RPM", "600",
              "SYGRA_MAX_CONCURRENCY", "16");
      List<ModelClient> endpoints = ModelClients.endpointsFromEnv(env);
      assertThat(endpoints).hasSize(2);
      endpoints.forEach(ModelClient::close);
      Optional<ModelClient> client = ModelClients.fromEnv(env);
      assertThat(client).isPresent();
      try (ModelClient c = client.get()) {
        ChatRequest q = ChatRequest.builder().addMessage(ChatMessage.user("hi")).build();
        String first = c.chatBlocking(q).text();
        String second = c.chatBlocking(q).text();
        assertThat(List.of(first, second)).containsExactlyInAnyOrder("from a", "from b");
      }
      ResilienceConfig cfg = ModelClients.resilienceFromEnv(env);
      assertThat(cfg.requestsPerWindow()).isEqualTo(600);
      assertThat(cfg.maxConcurrency()).isEqualTo(16);
    }
  }

  @Test
  void resilienceOverridesAreValidated() {
    assertThatThrownBy(() -> ModelClients.resilienceFromEnv(Map.of("SYGRA_RPM", "lots")))
        .hasMessageStartingWith("SYGRA_RPM")
        .hasMessageContaining("lots");
    assertThatThrownBy(() -> ModelClients.resilienceFromEnv(Map.of("SYGRA_MAX_ATTEMPTS", "0")))
        .hasMessageStartingWith("SYGRA_MAX_ATTEMPTS");
  }

  @Test
  void builderNeedsResilienceToBalance() {
    ModelClient one = new FixedModelClient(false);
    assertThatThrownBy(
            () -> ModelClients.builder().endpoint(one).endpoint(one).resilience(null).build())
        .hasMessageContaining("resilience");
    assertThatThrownBy(() -> ModelClients.builder().build()).hasMessageContaining("endpoints");
    ModelClient plain = ModelClients.builder().endpoint(one).resilience(null).build();
    assertThat(
            plain
                .chatBlocking(ChatRequest.builder().addMessage(ChatMessage.user("x")).build())
                .text())
        .isEqualTo("echo: x");
  }
}
