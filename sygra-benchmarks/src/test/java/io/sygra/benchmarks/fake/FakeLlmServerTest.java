package io.sygra.benchmarks.fake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import okhttp3.ConnectionPool;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FakeLlmServerTest {
  private FakeLlmServer server;

  @AfterEach
  void close() {
    if (server != null) {
      server.close();
    }
  }

  private TestClient start(FakeLlmServer.Builder builder) {
    server = builder.start();
    return new TestClient(server);
  }

  @Test
  void bindsLoopbackOnAnEphemeralPort() {
    start(FakeLlmServer.builder());
    assertThat(server.port()).isPositive();
    assertThat(server.baseUrl()).isEqualTo("http://127.0.0.1:" + server.port() + "/v1");
  }

  @Test
  void chatCompletionHasTheOpenAiShape() {
    TestClient client = start(FakeLlmServer.builder().responseTokens(12));
    HttpResponse<String> response =
        client.chat("Record 17: summarise the theory of relativity now");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("content-type")).hasValue("application/json");
    assertThat(response.headers().firstValue("x-request-id")).get().asString().startsWith("req_");
    JsonNode json = TestClient.json(response);
    assertThat(json.path("id").asText()).startsWith("chatcmpl-");
    assertThat(json.path("object").asText()).isEqualTo("chat.completion");
    assertThat(json.path("created").isIntegralNumber()).isTrue();
    assertThat(json.path("model").asText()).isEqualTo("test-model");
    JsonNode choice = json.path("choices").path(0);
    assertThat(choice.path("index").asInt(-1)).isZero();
    assertThat(choice.path("message").path("role").asText()).isEqualTo("assistant");
    assertThat(choice.path("finish_reason").asText()).isEqualTo("stop");
    String content = choice.path("message").path("content").asText();
    // Echo of the first eight words of the last user message, then filler up to 12 words.
    assertThat(content).startsWith("Record 17: summarise the theory of relativity now");
    assertThat(content.split(" ")).hasSize(12);
    JsonNode usage = json.path("usage");
    assertThat(usage.path("completion_tokens").asInt()).isEqualTo(12);
    assertThat(usage.path("prompt_tokens").asInt()).isPositive();
    assertThat(usage.path("total_tokens").asInt())
        .isEqualTo(usage.path("prompt_tokens").asInt() + 12);
  }

  @Test
  void contentIsDeterministicPerBodyAndIdsAreUnique() {
    TestClient client = start(FakeLlmServer.builder().responseTokens(30));
    HttpResponse<String> first = client.chat("same question");
    HttpResponse<String> second = client.chat("same question");
    HttpResponse<String> other = client.chat("another question");

    assertThat(TestClient.content(second)).isEqualTo(TestClient.content(first));
    assertThat(TestClient.content(other)).isNotEqualTo(TestClient.content(first));
    assertThat(TestClient.json(second).path("id").asText())
        .isNotEqualTo(TestClient.json(first).path("id").asText());
    assertThat(second.headers().firstValue("x-request-id"))
        .isNotEqualTo(first.headers().firstValue("x-request-id"));
  }

  @Test
  void maxTokensCutsTheReplyWithFinishReasonLength() {
    TestClient client = start(FakeLlmServer.builder().responseTokens(40));
    ObjectNode body = TestClient.chatBody("one two three four five six seven eight nine ten");
    body.put("max_tokens", 5);

    JsonNode json = TestClient.json(client.post("/chat/completions", body, Map.of()));

    assertThat(json.path("choices").path(0).path("finish_reason").asText()).isEqualTo("length");
    assertThat(json.path("choices").path(0).path("message").path("content").asText())
        .isEqualTo("one two three four five");
    assertThat(json.path("usage").path("completion_tokens").asInt()).isEqualTo(5);
  }

  @Test
  void responseTokenRangeIsHonouredAndNChoicesAreReturned() {
    TestClient client = start(FakeLlmServer.builder().responseTokens(10, 20));
    for (int i = 0; i < 30; i++) {
      ObjectNode body = TestClient.chatBody("question " + i);
      body.put("n", 2);
      JsonNode json = TestClient.json(client.post("/chat/completions", body, Map.of()));
      assertThat(json.path("choices")).hasSize(2);
      int total = 0;
      for (JsonNode choice : json.path("choices")) {
        int words = choice.path("message").path("content").asText().split(" ").length;
        assertThat(words).isBetween(10, 20);
        total += words;
      }
      assertThat(json.path("usage").path("completion_tokens").asInt()).isEqualTo(total);
    }
  }

  @Test
  void streamingSendsChunksThenUsageThenDone() {
    TestClient client = start(FakeLlmServer.builder().responseTokens(6));
    ObjectNode body = TestClient.chatBody("Stream this answer please");
    body.put("stream", true);

    HttpResponse<String> response = client.post("/chat/completions", body, Map.of());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("content-type"))
        .get()
        .asString()
        .startsWith("text/event-stream");
    assertThat(response.headers().firstValue("x-request-id")).isPresent();
    List<String> events = sseData(response.body());
    assertThat(events.get(events.size() - 1)).isEqualTo("[DONE]");
    List<JsonNode> chunks = new ArrayList<>();
    for (String event : events.subList(0, events.size() - 1)) {
      chunks.add(parse(event));
    }
    assertThat(chunks)
        .allSatisfy(c -> assertThat(c.path("object").asText()).isEqualTo("chat.completion.chunk"));
    assertThat(chunks.get(0).path("choices").path(0).path("delta").path("role").asText())
        .isEqualTo("assistant");
    StringBuilder text = new StringBuilder();
    String finishReason = null;
    for (JsonNode chunk : chunks) {
      for (JsonNode choice : chunk.path("choices")) {
        text.append(choice.path("delta").path("content").asText(""));
        if (choice.hasNonNull("finish_reason")) {
          finishReason = choice.get("finish_reason").asText();
        }
      }
    }
    assertThat(text.toString()).startsWith("Stream this answer please");
    assertThat(text.toString().split(" ")).hasSize(6);
    assertThat(finishReason).isEqualTo("stop");
    JsonNode usageChunk = chunks.get(chunks.size() - 1);
    assertThat(usageChunk.path("choices")).isEmpty();
    assertThat(usageChunk.path("usage").path("completion_tokens").asInt()).isEqualTo(6);
  }

  @Test
  void streamingOmitsTheUsageChunkWhenIncludeUsageIsFalse() {
    TestClient client = start(FakeLlmServer.builder().responseTokens(3));
    ObjectNode body = TestClient.chatBody("no usage");
    body.put("stream", true);
    body.putObject("stream_options").put("include_usage", false);

    List<String> events = sseData(client.post("/chat/completions", body, Map.of()).body());

    assertThat(events.get(events.size() - 1)).isEqualTo("[DONE]");
    for (String event : events.subList(0, events.size() - 1)) {
      assertThat(parse(event).has("usage")).isFalse();
    }
  }

  @Test
  void streamingWithAnIntervalStillDeliversEveryEvent() {
    TestClient client =
        start(
            FakeLlmServer.builder()
                .responseTokens(4)
                .streamInterval(java.time.Duration.ofMillis(2)));
    ObjectNode body = TestClient.chatBody("paced");
    body.put("stream", true);

    List<String> events = sseData(client.post("/chat/completions", body, Map.of()).body());

    // role chunk + 4 content chunks + finish chunk + usage chunk + [DONE]
    assertThat(events).hasSize(8);
  }

  @Test
  void embeddingsAreDeterministicUnitVectors() {
    TestClient client = start(FakeLlmServer.builder().embeddingDimensions(32));
    ObjectNode body = TestClient.MAPPER.createObjectNode();
    body.put("model", "embed");
    body.putArray("input").add("alpha").add("beta").add("alpha");

    JsonNode json = TestClient.json(client.post("/embeddings", body, Map.of()));

    assertThat(json.path("object").asText()).isEqualTo("list");
    assertThat(json.path("model").asText()).isEqualTo("embed");
    JsonNode data = json.path("data");
    assertThat(data).hasSize(3);
    assertThat(data.get(0).path("embedding")).hasSize(32);
    assertThat(data.get(2).path("embedding")).isEqualTo(data.get(0).path("embedding"));
    assertThat(data.get(1).path("embedding")).isNotEqualTo(data.get(0).path("embedding"));
    double norm = 0;
    for (JsonNode v : data.get(1).path("embedding")) {
      norm += v.asDouble() * v.asDouble();
    }
    assertThat(norm).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-4));
    // About four characters per token, at least one per input: alpha=2, beta=1, alpha=2.
    assertThat(json.path("usage").path("prompt_tokens").asInt()).isEqualTo(5);
  }

  @Test
  void embeddingsHonourDimensionsAndBase64() {
    TestClient client = start(FakeLlmServer.builder());
    ObjectNode plain =
        TestClient.MAPPER.createObjectNode().put("input", "gamma").put("dimensions", 8);
    ObjectNode encoded = plain.deepCopy().put("encoding_format", "base64");

    JsonNode floats = TestClient.json(client.post("/embeddings", plain, Map.of()));
    JsonNode base64 = TestClient.json(client.post("/embeddings", encoded, Map.of()));

    JsonNode vector = floats.path("data").path(0).path("embedding");
    assertThat(vector).hasSize(8);
    ByteBuffer bytes =
        ByteBuffer.wrap(
                Base64.getDecoder().decode(base64.path("data").path(0).path("embedding").asText()))
            .order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < 8; i++) {
      assertThat(bytes.getFloat()).isEqualTo((float) vector.get(i).asDouble());
    }
  }

  @Test
  void modelsListsTheConfiguredModels() {
    TestClient client = start(FakeLlmServer.builder().models("m-one", "m-two"));

    HttpResponse<String> response = client.get("/v1/models");

    JsonNode json = TestClient.json(response);
    assertThat(json.path("object").asText()).isEqualTo("list");
    assertThat(json.path("data").findValuesAsText("id")).containsExactly("m-one", "m-two");
    assertThat(response.headers().firstValue("x-request-id")).isPresent();
  }

  @Test
  void requestsWithoutModelGetTheFirstConfiguredModel() {
    TestClient client = start(FakeLlmServer.builder().models("default-model"));
    ObjectNode body = TestClient.chatBody("hi");
    body.remove("model");

    JsonNode json = TestClient.json(client.post("/chat/completions", body, Map.of()));

    assertThat(json.path("model").asText()).isEqualTo("default-model");
  }

  @Test
  void badRequestsGetOpenAiStyleErrors() {
    TestClient client = start(FakeLlmServer.builder());

    HttpResponse<String> unknown = client.post("/nope", TestClient.chatBody("x"), Map.of());
    HttpResponse<String> wrongMethod = client.get("/v1/chat/completions");
    HttpResponse<String> noMessages =
        client.post("/chat/completions", TestClient.MAPPER.createObjectNode(), Map.of());
    HttpResponse<String> badFault =
        client.post(
            "/chat/completions",
            TestClient.chatBody("x"),
            Map.of(FakeLlmServer.FORCE_FAULT_HEADER, "explode"));

    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(TestClient.json(unknown).path("error").path("code").asText())
        .isEqualTo("unknown_url");
    assertThat(wrongMethod.statusCode()).isEqualTo(405);
    assertThat(noMessages.statusCode()).isEqualTo(400);
    assertThat(TestClient.json(noMessages).path("error").path("message").asText())
        .contains("messages");
    assertThat(badFault.statusCode()).isEqualTo(400);
    assertThat(TestClient.json(badFault).path("error").path("message").asText())
        .contains("explode");
    assertThat(server.stats().statusCount(400)).isEqualTo(2);
  }

  @Test
  void invalidJsonBodyIsRejected() throws IOException {
    start(FakeLlmServer.builder());
    try (RawSocket socket = new RawSocket(server.port())) {
      socket.write(RawSocket.post("/v1/chat/completions", "{not json"));
      RawSocket.Response response = socket.readResponse();
      assertThat(response.status()).isEqualTo(400);
      assertThat(response.body()).contains("not valid JSON");
    }
  }

  @Test
  void malformedRequestsGetAnErrorAndAClosedConnection() throws IOException {
    start(FakeLlmServer.builder());
    try (RawSocket socket = new RawSocket(server.port())) {
      socket.write("GARBAGE\r\n\r\nmore garbage\r\n\r\n");

      RawSocket.Response response = socket.readResponse();

      assertThat(response.status()).isEqualTo(400);
      assertThat(response.headers()).containsEntry("connection", "close");
      assertThat(response.body()).contains("GARBAGE");
      assertThat(socket.read()).isEqualTo(-1);
    }
  }

  @Test
  void oversizedHeadsAreRejected() throws IOException {
    start(FakeLlmServer.builder());
    try (RawSocket socket = new RawSocket(server.port())) {
      socket.write("GET /v1/models HTTP/1.1\r\nX-Big: " + "x".repeat(70_000) + "\r\n");

      assertThat(socket.readResponse().status()).isEqualTo(431);
    }
  }

  @Test
  void keepAliveReusesOneConnectionForSequentialRequests() throws IOException {
    start(FakeLlmServer.builder());
    try (RawSocket socket = new RawSocket(server.port())) {
      for (int i = 0; i < 5; i++) {
        socket.write(
            RawSocket.post("/v1/chat/completions", TestClient.chatBody("turn " + i).toString()));
        RawSocket.Response response = socket.readResponse();
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body()).contains("turn " + i);
      }
    }
    assertThat(server.stats().connectionsAccepted()).isEqualTo(1);
    assertThat(server.stats().apiRequests()).isEqualTo(5);
  }

  @Test
  void okHttpReusesItsPooledConnection() throws IOException {
    start(FakeLlmServer.builder());
    OkHttpClient client =
        new OkHttpClient.Builder()
            .connectionPool(new ConnectionPool(1, 1, TimeUnit.MINUTES))
            .build();
    try {
      for (int i = 0; i < 20; i++) {
        Request request =
            new Request.Builder()
                .url(server.baseUrl() + "/chat/completions")
                .post(
                    RequestBody.create(
                        TestClient.chatBody("ok " + i).toString(),
                        MediaType.get("application/json")))
                .build();
        try (Response response = client.newCall(request).execute()) {
          assertThat(response.code()).isEqualTo(200);
          assertThat(response.body().string()).contains("ok " + i);
        }
      }
    } finally {
      client.dispatcher().executorService().shutdown();
      client.connectionPool().evictAll();
    }
    assertThat(server.stats().connectionsAccepted()).isEqualTo(1);
  }

  @Test
  void pipelinedRequestsAreAnsweredInOrder() throws IOException {
    start(FakeLlmServer.builder());
    try (RawSocket socket = new RawSocket(server.port())) {
      socket.write(
          RawSocket.post("/v1/chat/completions", TestClient.chatBody("first").toString())
              + RawSocket.post("/v1/chat/completions", TestClient.chatBody("second").toString()));
      assertThat(socket.readResponse().body()).contains("\"content\":\"first");
      assertThat(socket.readResponse().body()).contains("\"content\":\"second");
    }
  }

  @Test
  void chunkedRequestBodiesAreDecoded() throws IOException {
    start(FakeLlmServer.builder());
    byte[] body =
        TestClient.chatBody("chunked body works").toString().getBytes(StandardCharsets.UTF_8);
    int half = body.length / 2;
    try (RawSocket socket = new RawSocket(server.port())) {
      socket.write(
          "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
              + Integer.toHexString(half)
              + "\r\n"
              + new String(body, 0, half, StandardCharsets.UTF_8)
              + "\r\n");
      socket.write(
          Integer.toHexString(body.length - half)
              + ";ext=1\r\n"
              + new String(body, half, body.length - half, StandardCharsets.UTF_8)
              + "\r\n0\r\n\r\n");
      RawSocket.Response response = socket.readResponse();
      assertThat(response.status()).isEqualTo(200);
      assertThat(response.body()).contains("chunked body works");
    }
  }

  @Test
  void expectContinueIsAnswered() throws IOException {
    start(FakeLlmServer.builder());
    String body = TestClient.chatBody("expect").toString();
    try (RawSocket socket = new RawSocket(server.port())) {
      socket.write(
          "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: "
              + body.length()
              + "\r\n\r\n");
      assertThat(socket.readHead().status()).isEqualTo(100);
      socket.write(body);
      assertThat(socket.readResponse().status()).isEqualTo(200);
    }
  }

  @Test
  void connectionCloseIsHonoured() throws IOException {
    start(FakeLlmServer.builder());
    try (RawSocket socket = new RawSocket(server.port())) {
      socket.write(
          RawSocket.post(
              "/v1/chat/completions", TestClient.chatBody("bye").toString(), "Connection: close"));
      RawSocket.Response response = socket.readResponse();
      assertThat(response.headers()).containsEntry("connection", "close");
      assertThat(socket.read()).isEqualTo(-1);
    }
  }

  @Test
  void statsEndpointServesTheSnapshotAsJson() {
    TestClient client = start(FakeLlmServer.builder());
    client.chat("a");
    client.chat("b");
    client.get("/v1/models");

    JsonNode json = TestClient.json(client.get("/stats?records=true"));

    assertThat(json.path("requests").asLong()).isEqualTo(3);
    assertThat(json.path("api_requests").asLong()).isEqualTo(2);
    assertThat(json.path("statuses").path("200").asLong()).isEqualTo(3);
    assertThat(json.path("endpoints").path("POST /v1/chat/completions").asLong()).isEqualTo(2);
    assertThat(json.path("record_requests").path(FakeLlmServer.recordKeyOf("a")).asLong())
        .isEqualTo(1);
    // /stats itself is not counted
    assertThat(server.stats().requests()).isEqualTo(3);
    assertThat(TestClient.json(client.get("/stats")).has("record_requests")).isFalse();
  }

  @Test
  void deadModeAnswersEverything500UntilFlipped() {
    TestClient client = start(FakeLlmServer.builder().dead(true));

    assertThat(client.chat("x").statusCode()).isEqualTo(500);
    assertThat(client.get("/v1/models").statusCode()).isEqualTo(500);
    assertThat(server.isDead()).isTrue();
    server.setDead(false);
    assertThat(client.chat("x").statusCode()).isEqualTo(200);
    server.setDead(true);
    assertThat(client.chat("x").statusCode()).isEqualTo(500);

    FakeServerStats stats = server.stats();
    assertThat(stats.statusCount(500)).isEqualTo(3);
    assertThat(stats.statusCount(200)).isEqualTo(1);
    assertThat(stats.dead()).isTrue();
  }

  @Test
  void adminEndpointsResetAndFlipDeadMode() {
    TestClient client = start(FakeLlmServer.builder());
    client.chat("x");

    assertThat(client.postRoot("/admin/dead?enabled=true").statusCode()).isEqualTo(200);
    assertThat(server.isDead()).isTrue();
    assertThat(client.chat("x").statusCode()).isEqualTo(500);
    client.postRoot("/admin/dead?enabled=false");
    assertThat(client.chat("x").statusCode()).isEqualTo(200);
    client.postRoot("/admin/reset");

    assertThat(server.stats().requests()).isZero();
  }

  @Test
  void resetZeroesCountersButKeepsServing() {
    TestClient client = start(FakeLlmServer.builder());
    client.chat("x");
    client.chat("y");
    server.reset();

    FakeServerStats afterReset = server.stats();
    client.chat("z");

    assertThat(afterReset.requests()).isZero();
    assertThat(afterReset.recordRequests()).isEmpty();
    assertThat(afterReset.windows()).isEmpty();
    assertThat(server.stats().requests()).isEqualTo(1);
  }

  @Test
  void closedServerKeepsItsFinalStatsAndRejectsControl() {
    TestClient client = start(FakeLlmServer.builder());
    client.chat("x");
    server.close();

    assertThat(server.stats().apiRequests()).isEqualTo(1);
    assertThatThrownBy(() -> server.reset()).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> client.chat("x")).isInstanceOf(java.io.UncheckedIOException.class);
  }

  @Test
  void builderRejectsInvalidSettingsNamingTheField() {
    FakeLlmServer.Builder builder = FakeLlmServer.builder();
    assertThatThrownBy(() -> builder.port(70_000))
        .hasMessageContaining("port")
        .hasMessageContaining("70000");
    assertThatThrownBy(() -> builder.responseTokens(5, 2))
        .hasMessageContaining("responseTokens max");
    assertThatThrownBy(() -> builder.maxConcurrency(-1)).hasMessageContaining("maxConcurrency");
    assertThatThrownBy(() -> builder.window(java.time.Duration.ZERO))
        .hasMessageContaining("window");
    assertThatThrownBy(
            () ->
                builder.faults(FaultConfig.serverError(0.7, 500), FaultConfig.connectionReset(0.4)))
        .hasMessageContaining("sum");
    assertThatThrownBy(() -> FaultConfig.malformedJson(1.5)).hasMessageContaining("rate");
    assertThatThrownBy(() -> Fault.serverError(404)).hasMessageContaining("404");
  }

  private static List<String> sseData(String body) {
    List<String> events = new ArrayList<>();
    for (String block : body.split("\n\n")) {
      if (block.startsWith("data: ")) {
        events.add(block.substring("data: ".length()));
      }
    }
    return events;
  }

  private static JsonNode parse(String json) {
    try {
      return TestClient.MAPPER.readTree(json);
    } catch (IOException e) {
      throw new AssertionError("not JSON: " + json, e);
    }
  }
}
