package io.sygra.llm;

import static io.sygra.llm.RecordingDispatcher.ok;
import static io.sygra.llm.RecordingDispatcher.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.sygra.llm.internal.client.WireJson;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * API keys must never appear in exceptions, logs (the wire logger runs at DEBUG in tests), {@code
 * toString()}, report sections or the cache file. Each check also asserts that the thing inspected
 * was really produced, so it cannot pass vacuously.
 */
class SecretLeakTest {
  private static final String KEY = "sk-live-SECRET-0123456789abcdefXYZ";

  @TempDir Path dir;
  private MockWebServer server;
  private final ByteArrayOutputStream captured = new ByteArrayOutputStream();
  private PrintStream originalErr;

  @BeforeEach
  void captureStderr() throws Exception {
    originalErr = System.err;
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    server = new MockWebServer();
    server.start();
  }

  @AfterEach
  void restore() {
    System.setErr(originalErr);
    server.close();
  }

  private String logs() {
    return captured.toString(StandardCharsets.UTF_8);
  }

  private static ChatRequest ask() {
    return ChatRequest.builder().temperature(0.0).addMessage(ChatMessage.user("hi")).build();
  }

  @Test
  void serverEchoingTheKeyInAnErrorDoesNotLeakIt() {
    server.enqueue(
        status(
            401,
            "{\"error\":{\"message\":\"Incorrect API key provided: "
                + KEY
                + ". Check it.\",\"code\":\"invalid_api_key\"}}"));
    try (OpenAiCompatibleClient c =
        OpenAiCompatibleClient.builder()
            .baseUrl(server.url("/v1").toString())
            .model("m")
            .apiKey(Secret.of(KEY))
            .build()) {
      Throwable t = catchThrowable(() -> c.chatBlocking(ask()));
      assertThat(t).isInstanceOf(AuthenticationException.class);
      ModelException e = (ModelException) t;
      assertThat(e.serverMessage()).contains("Incorrect API key provided: ***");
      assertThat(e.getMessage()).doesNotContain(KEY);
      assertThat(e.serverMessage()).doesNotContain(KEY);
      assertThat(e.toString()).doesNotContain(KEY);
    }
    assertThat(logs()).contains("<-- 401").doesNotContain(KEY);
  }

  @Test
  void wireLogsRedactCredentialHeadersOfEveryProvider() {
    for (int i = 0; i < 3; i++) {
      server.enqueue(ok("fine"));
    }
    server.enqueue(
        status(
            200,
            "{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude\","
                + "\"content\":[{\"type\":\"text\",\"text\":\"fine\"}],\"stop_reason\":\"end_turn\","
                + "\"usage\":{\"input_tokens\":1,\"output_tokens\":1}}"));
    String url = server.url("/v1").toString();
    try (OpenAiCompatibleClient openai =
            OpenAiCompatibleClient.builder()
                .baseUrl(url)
                .model("m")
                .apiKey(Secret.of(KEY))
                .build();
        OpenAiCompatibleEmbedder ignored =
            OpenAiCompatibleEmbedder.builder().baseUrl(url).apiKey(Secret.of(KEY)).build();
        AzureOpenAiClient azure =
            AzureOpenAiClient.builder()
                .endpoint(server.url("/").toString())
                .deployment("d")
                .apiKey(Secret.of(KEY))
                .build();
        AnthropicClient anthropic =
            AnthropicClient.builder()
                .baseUrl(server.url("/").toString())
                .model("claude")
                .apiKey(Secret.of(KEY))
                .build()) {
      openai.chatBlocking(ask());
      azure.chatBlocking(ask());
      openai.chatBlocking(ask());
      anthropic.chatBlocking(ask());
      for (Object o : new Object[] {openai, azure, anthropic, ignored}) {
        assertThat(o.toString()).doesNotContain(KEY).contains("***");
      }
    }
    assertThat(logs())
        .contains("--> POST", "Authorization: ***", "api-key: ***", "x-api-key: ***")
        .doesNotContain(KEY);
  }

  @Test
  void reportSectionsAndCacheFileHoldNoKey() throws Exception {
    server.enqueue(ok("fine"));
    Path file = dir.resolve("cache.mv.db");
    ModelMetrics metrics = ModelMetrics.create();
    Map<String, Object> sections = new HashMap<>();
    try (ResponseCache cache = ResponseCache.persistent(file);
        ModelClient client =
            ModelClients.builder()
                .endpoint(
                    OpenAiCompatibleClient.builder()
                        .baseUrl(server.url("/v1").toString())
                        .model("m")
                        .apiKey(Secret.of(KEY))
                        .build())
                .budgets(BudgetRegistry.create())
                .cache(cache)
                .metrics(metrics)
                .build()) {
      client.forNode("gen").chatBlocking(ask());
      metrics.contribute(sections);
      assertThat(client.toString()).doesNotContain(KEY);
    }
    String report = WireJson.MAPPER.writeValueAsString(sections);
    assertThat(report).contains("\"requests\":1").doesNotContain(KEY);
    byte[] bytes = Files.readAllBytes(file);
    assertThat(new String(bytes, StandardCharsets.ISO_8859_1)).contains("fine").doesNotContain(KEY);
  }

  @Test
  void configurationErrorsNeverShowTheKey() {
    Throwable t =
        catchThrowable(
            () -> OpenAiCompatibleClient.fromEnv(Map.of("OPENAI_API_KEY", KEY + " trailing")));
    assertThat(t).hasMessageStartingWith("OPENAI_API_KEY").hasMessageNotContaining(KEY);
    assertThat(Secret.of(KEY).toString()).isEqualTo("***");
    assertThat(Secret.of(KEY).fingerprint()).doesNotContain(KEY).hasSize(16);
    assertThat(Stream.of(Secret.of(KEY)).map(String::valueOf).findFirst()).contains("***");
  }
}
