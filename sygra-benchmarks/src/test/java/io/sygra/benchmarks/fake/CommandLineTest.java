package io.sygra.benchmarks.fake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class CommandLineTest {

  @Test
  void optionsConfigureTheServer() {
    try (FakeLlmServer server =
        CommandLine.parse(
                "--latency",
                "1ms..2ms",
                "--response-tokens",
                "3",
                "--seed",
                "9",
                "--fail-first",
                "1:503",
                "--window=2s",
                "--model",
                "cli-model",
                "--max-concurrency",
                "4")
            .start()) {
      TestClient client = new TestClient(server);

      assertThat(client.chat("first").statusCode()).isEqualTo(503);
      HttpResponse<String> second = client.chat("first");

      assertThat(second.statusCode()).isEqualTo(200);
      assertThat(TestClient.content(second).split(" ")).hasSize(3);
      assertThat(server.stats().window().toSeconds()).isEqualTo(2);
      assertThat(server.toString())
          .contains("latency=1ms..2ms", "seed=9", "maxConcurrency=4", "window=2s");
      assertThat(TestClient.json(client.get("/v1/models")).path("data").get(0).path("id").asText())
          .isEqualTo("cli-model");
    }
  }

  @Test
  void rateOptionsBecomeFaults() {
    try (FakeLlmServer server =
        CommandLine.parse("--rate-429", "1", "--retry-after", "250ms").start()) {
      HttpResponse<String> response = new TestClient(server).chat("x");

      assertThat(response.statusCode()).isEqualTo(429);
      assertThat(response.headers().firstValue("retry-after-ms")).hasValue("250");
    }
  }

  @Test
  void deadAndRecordHeaderOptions() {
    try (FakeLlmServer server = CommandLine.parse("--dead", "--record-header", "none").start()) {
      TestClient client = new TestClient(server);
      assertThat(client.chat("x").statusCode()).isEqualTo(500);
      server.setDead(false);
      client.post("/chat/completions", TestClient.chatBody("y"), Map.of("x-sygra-record-id", "r"));

      assertThat(server.stats().requestsFor(FakeLlmServer.recordKeyOf("y"))).isEqualTo(1);
    }
  }

  @Test
  void invalidOptionsAreRejectedNamingTheOption() {
    assertThatThrownBy(() -> CommandLine.parse("--bogus", "1")).hasMessageContaining("--bogus");
    assertThatThrownBy(() -> CommandLine.parse("--rate-500", "2"))
        .hasMessageContaining("--rate-500");
    assertThatThrownBy(() -> CommandLine.parse("--port")).hasMessageContaining("needs a value");
    assertThatThrownBy(() -> CommandLine.parse("--rate-500", "0.6", "--rate-503", "0.6"))
        .hasMessageContaining("sum");
    assertThatThrownBy(() -> CommandLine.parse("--fail-first", "2"))
        .hasMessageContaining("K:FAULT");
    assertThatThrownBy(() -> CommandLine.parse("--help"))
        .isInstanceOf(CommandLine.HelpRequested.class);
  }

  @Test
  void mainPrintsTheBaseUrlAndServesUntilKilled() throws Exception {
    String javaBin =
        System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
    Process process =
        new ProcessBuilder(
                javaBin,
                "-cp",
                System.getProperty("java.class.path"),
                FakeLlmServer.class.getName(),
                "--latency",
                "1ms")
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    try {
      BufferedReader out =
          new BufferedReader(
              new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
      String baseUrl = out.readLine();

      assertThat(baseUrl).matches("http://127\\.0\\.0\\.1:\\d+/v1");
      HttpClient http = HttpClient.newHttpClient();
      HttpResponse<String> models =
          http.send(
              HttpRequest.newBuilder(URI.create(baseUrl + "/models")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(models.statusCode()).isEqualTo(200);
    } finally {
      process.destroy();
      assertThat(process.waitFor(20, TimeUnit.SECONDS)).isTrue();
    }
  }
}
