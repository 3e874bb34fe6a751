package io.sygra.benchmarks.fake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FaultInjectionTest {
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

  /** What a client sees. */
  enum Outcome {
    OK,
    RATE_LIMITED,
    STATUS_500,
    STATUS_503,
    TIMEOUT,
    IO_ERROR,
    MALFORMED
  }

  @Test
  void everyAnsweredFaultTypeHitsItsSeededShareOfRequests() {
    TestClient client =
        start(
            FakeLlmServer.builder()
                .seed(42)
                .faults(
                    FaultConfig.rateLimited(0.05, Duration.ofMillis(100)),
                    FaultConfig.serverError(0.05, 500),
                    FaultConfig.serverError(0.05, 503),
                    FaultConfig.connectionReset(0.05),
                    FaultConfig.malformedJson(0.05),
                    FaultConfig.slowBody(0.05, Duration.ofMillis(5), 3)));
    int n = 400;
    List<CompletableFuture<Outcome>> futures = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      futures.add(
          client
              .chatAsync("request " + i, Map.of(), null)
              .handle((response, error) -> classify(response, error)));
    }
    Map<Outcome, Integer> seen = new EnumMap<>(Outcome.class);
    futures.forEach(f -> seen.merge(f.join(), 1, Integer::sum));
    FakeServerStats stats = server.stats();

    // Exact counts: the fault draw is a pure function of (seed, arrival number).
    assertThat(stats.apiRequests()).isEqualTo(n);
    assertThat(stats.faultCount(FaultKind.RATE_LIMITED)).isEqualTo(RATE_LIMITED_42);
    assertThat(stats.statusCount(500)).isEqualTo(STATUS_500_42);
    assertThat(stats.statusCount(503)).isEqualTo(STATUS_503_42);
    assertThat(stats.faultCount(FaultKind.SERVER_ERROR)).isEqualTo(STATUS_500_42 + STATUS_503_42);
    assertThat(stats.faultCount(FaultKind.CONNECTION_RESET)).isEqualTo(RESET_42);
    assertThat(stats.faultCount(FaultKind.MALFORMED_JSON)).isEqualTo(MALFORMED_42);
    assertThat(stats.faultCount(FaultKind.SLOW_BODY)).isEqualTo(SLOW_42);
    // Each is roughly its configured 5% (binomial, n = 400: mean 20, sd 4.4).
    assertThat(
            List.of(RATE_LIMITED_42, STATUS_500_42, STATUS_503_42, RESET_42, MALFORMED_42, SLOW_42))
        .allSatisfy(count -> assertThat(count).isBetween(8L, 32L));
    // The client saw exactly what the server counted.
    assertThat(seen.getOrDefault(Outcome.RATE_LIMITED, 0)).isEqualTo((int) RATE_LIMITED_42);
    assertThat(seen.getOrDefault(Outcome.STATUS_500, 0)).isEqualTo((int) STATUS_500_42);
    assertThat(seen.getOrDefault(Outcome.STATUS_503, 0)).isEqualTo((int) STATUS_503_42);
    assertThat(seen.getOrDefault(Outcome.IO_ERROR, 0)).isEqualTo((int) RESET_42);
    assertThat(seen.getOrDefault(Outcome.MALFORMED, 0)).isEqualTo((int) MALFORMED_42);
    assertThat(seen.getOrDefault(Outcome.OK, 0))
        .isEqualTo(n - (int) stats.totalFaults() + (int) SLOW_42);
    assertThat(stats.statusCount(200)).isEqualTo(n - stats.totalFaults() + SLOW_42 + MALFORMED_42);
  }

  // Golden counts for seed 42 over arrival numbers 0..399 with the fault list above.
  private static final long RATE_LIMITED_42 = 24;
  private static final long STATUS_500_42 = 19;
  private static final long STATUS_503_42 = 21;
  private static final long RESET_42 = 14;
  private static final long MALFORMED_42 = 14;
  private static final long SLOW_42 = 21;

  @Test
  void timeoutFaultsHitTheirSeededShareAndLetClientTimeoutsFire() {
    TestClient client =
        start(
            FakeLlmServer.builder()
                .seed(42)
                .faults(
                    FaultConfig.hang(0.05), FaultConfig.lateAnswer(0.05, Duration.ofSeconds(60))));
    int n = 200;
    List<CompletableFuture<Outcome>> futures = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      futures.add(
          client
              .chatAsync("request " + i, Map.of(), Duration.ofSeconds(3))
              .handle((response, error) -> classify(response, error)));
    }
    Map<Outcome, Integer> seen = new EnumMap<>(Outcome.class);
    futures.forEach(f -> seen.merge(f.join(), 1, Integer::sum));
    FakeServerStats stats = server.stats();

    assertThat(stats.apiRequests()).isEqualTo(n);
    assertThat(stats.faultCount(FaultKind.TIMEOUT)).isEqualTo(TIMEOUTS_42);
    assertThat(TIMEOUTS_42).isBetween(10L, 30L);
    // Every faulted request ran into the client's timeout (a slow machine may add a few more).
    assertThat(seen.getOrDefault(Outcome.TIMEOUT, 0)).isGreaterThanOrEqualTo((int) TIMEOUTS_42);
    assertThat(stats.statusCount(200)).isEqualTo(n - TIMEOUTS_42);
  }

  private static final long TIMEOUTS_42 = 28;

  private static Outcome classify(HttpResponse<String> response, Throwable error) {
    if (error != null) {
      Throwable cause = error instanceof CompletionException ? error.getCause() : error;
      return cause instanceof HttpTimeoutException ? Outcome.TIMEOUT : Outcome.IO_ERROR;
    }
    switch (response.statusCode()) {
      case 429:
        assertThat(response.headers().firstValue("retry-after")).hasValue("1");
        assertThat(response.headers().firstValue("retry-after-ms")).hasValue("100");
        return Outcome.RATE_LIMITED;
      case 500:
        return Outcome.STATUS_500;
      case 503:
        return Outcome.STATUS_503;
      case 200:
        try {
          TestClient.MAPPER.readTree(response.body());
          return Outcome.OK;
        } catch (JsonProcessingException e) {
          return Outcome.MALFORMED;
        }
      default:
        throw new AssertionError("unexpected status " + response.statusCode());
    }
  }

  @Test
  void faultSequenceIsReproducibleForASeedAndRestartsOnReset() {
    FaultConfig[] faults = {
      FaultConfig.serverError(0.2, 500), FaultConfig.rateLimited(0.2, Duration.ZERO)
    };
    TestClient client = start(FakeLlmServer.builder().seed(7).faults(faults));
    List<Integer> first = statuses(client, 60);
    server.reset();
    List<Integer> afterReset = statuses(client, 60);
    server.close();
    TestClient other = start(FakeLlmServer.builder().seed(8).faults(faults));
    List<Integer> otherSeed = statuses(other, 60);

    assertThat(first).contains(200, 429, 500);
    assertThat(afterReset).isEqualTo(first);
    assertThat(otherSeed).isNotEqualTo(first);
  }

  private static List<Integer> statuses(TestClient client, int n) {
    List<Integer> statuses = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      statuses.add(client.chat("q" + i).statusCode());
    }
    return statuses;
  }

  @Test
  void rateLimitedRepliesCarryRetryAfterInSecondsAndMilliseconds() {
    TestClient client =
        start(
            FakeLlmServer.builder().faults(FaultConfig.rateLimited(1.0, Duration.ofMillis(1500))));

    HttpResponse<String> response = client.chat("x");

    assertThat(response.statusCode()).isEqualTo(429);
    assertThat(response.headers().firstValue("retry-after")).hasValue("2");
    assertThat(response.headers().firstValue("retry-after-ms")).hasValue("1500");
    assertThat(response.headers().firstValue("x-request-id")).isPresent();
    assertThat(TestClient.json(response).path("error").path("code").asText())
        .isEqualTo("rate_limit_exceeded");
    assertThat(server.stats().faultCount(FaultKind.RATE_LIMITED)).isEqualTo(1);
  }

  @Test
  void zeroRetryAfterIsSentAsZero() {
    TestClient client =
        start(FakeLlmServer.builder().faults(FaultConfig.rateLimited(1.0, Duration.ZERO)));

    HttpResponse<String> response = client.chat("x");

    assertThat(response.headers().firstValue("retry-after")).hasValue("0");
    assertThat(response.headers().firstValue("retry-after-ms")).hasValue("0");
  }

  @Test
  void connectionResetReallyResetsTheSocket() throws IOException {
    start(FakeLlmServer.builder().faults(FaultConfig.connectionReset(1.0)));
    try (RawSocket socket = new RawSocket(server.port())) {
      socket.write(RawSocket.post("/v1/chat/completions", TestClient.chatBody("x").toString()));

      Throwable thrown = catchThrowable(socket::read);

      // An orderly close would read -1; a reset fails the read.
      assertThat(thrown).isInstanceOf(SocketException.class);
      assertThat(thrown.getMessage()).containsIgnoringCase("reset");
    }
    assertThat(server.stats().faultCount(FaultKind.CONNECTION_RESET)).isEqualTo(1);
  }

  @Test
  void malformedJsonIsATruncatedBodyWithAConsistentLength() throws IOException {
    start(FakeLlmServer.builder().faults(FaultConfig.malformedJson(1.0)));
    try (RawSocket socket = new RawSocket(server.port())) {
      socket.write(RawSocket.post("/v1/chat/completions", TestClient.chatBody("x").toString()));

      RawSocket.Response response = socket.readResponse();

      assertThat(response.status()).isEqualTo(200);
      assertThat(response.body()).startsWith("{\"id\":\"chatcmpl-");
      assertThatThrownBy(() -> TestClient.MAPPER.readTree(response.body()))
          .isInstanceOf(JsonProcessingException.class);
    }
  }

  @Test
  void malformedStreamingReplyHasATruncatedEvent() {
    TestClient client = start(FakeLlmServer.builder().faults(FaultConfig.malformedJson(1.0)));
    var body = TestClient.chatBody("x");
    body.put("stream", true);

    String sse = client.post("/chat/completions", body, Map.of()).body();

    String[] events = sse.split("\n\n");
    assertThat(events).hasSize(3);
    assertThat(events[2]).isEqualTo("data: [DONE]");
    assertThatThrownBy(() -> TestClient.MAPPER.readTree(events[1].substring("data: ".length())))
        .isInstanceOf(JsonProcessingException.class);
  }

  @Test
  void slowBodyArrivesInSeparatePieces() throws IOException {
    start(
        FakeLlmServer.builder()
            .responseTokens(50)
            .faults(FaultConfig.slowBody(1.0, Duration.ofMillis(150), 4)));
    try (RawSocket socket = new RawSocket(server.port())) {
      socket.write(RawSocket.post("/v1/chat/completions", TestClient.chatBody("x").toString()));
      RawSocket.Response head = socket.readHead();
      int length = Integer.parseInt(head.headers().get("content-length"));

      byte[] firstPiece = socket.readSome();
      byte[] rest = socket.readBytes(length - firstPiece.length);

      assertThat(head.status()).isEqualTo(200);
      // The second piece is only sent 150 ms after the first.
      assertThat(firstPiece.length).isLessThan(length).isPositive();
      String body =
          new String(firstPiece, StandardCharsets.UTF_8) + new String(rest, StandardCharsets.UTF_8);
      assertThat(TestClient.MAPPER.readTree(body).path("object").asText())
          .isEqualTo("chat.completion");
    }
  }

  @Test
  void hangNeverAnswersAndFreesItsSlotWhenTheClientLeaves() throws Exception {
    start(FakeLlmServer.builder().faults(FaultConfig.hang(1.0)));
    try (RawSocket socket = new RawSocket(server.port())) {
      socket.socket.setSoTimeout(300);
      socket.write(RawSocket.post("/v1/chat/completions", TestClient.chatBody("x").toString()));

      assertThatThrownBy(socket::read).isInstanceOf(SocketTimeoutException.class);
      assertThat(server.stats().inFlight()).isEqualTo(1);
    }
    awaitTrue(() -> server.stats().inFlight() == 0);
    assertThat(server.stats().openConnections()).isZero();
    assertThat(server.stats().faultCount(FaultKind.TIMEOUT)).isEqualTo(1);
  }

  @Test
  void lateAnswerLetsTheClientTimeoutFire() {
    TestClient client =
        start(FakeLlmServer.builder().faults(FaultConfig.lateAnswer(1.0, Duration.ofSeconds(20))));

    Throwable thrown =
        catchThrowable(() -> client.chatAsync("x", Map.of(), Duration.ofMillis(200)).join());

    assertThat(thrown).hasCauseInstanceOf(HttpTimeoutException.class);
  }

  @Test
  void lateAnswerIsEventuallyDelivered() {
    TestClient client =
        start(FakeLlmServer.builder().faults(FaultConfig.lateAnswer(1.0, Duration.ofMillis(100))));

    HttpResponse<String> response = client.chat("eventually");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(TestClient.content(response)).startsWith("eventually");
  }

  @Test
  void failFirstFailsTheFirstAttemptsOfTheNamedRecordOnly() {
    TestClient client =
        start(FakeLlmServer.builder().failFirst(2, Fault.serverError(503), "record-A"));
    Map<String, String> a = Map.of(FakeLlmServer.DEFAULT_RECORD_HEADER, "record-A");
    Map<String, String> b = Map.of(FakeLlmServer.DEFAULT_RECORD_HEADER, "record-B");

    List<Integer> statusesA = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      statusesA.add(client.post("/chat/completions", TestClient.chatBody("a"), a).statusCode());
    }
    int statusB = client.post("/chat/completions", TestClient.chatBody("b"), b).statusCode();

    assertThat(statusesA).containsExactly(503, 503, 200);
    assertThat(statusB).isEqualTo(200);
    assertThat(server.stats().requestsFor("record-A")).isEqualTo(3);
    assertThat(server.stats().requestsFor("record-B")).isEqualTo(1);
  }

  @Test
  void failFirstKeyedByMessageHashWithoutARecordHeader() {
    TestClient client =
        start(
            FakeLlmServer.builder()
                .recordHeader(null)
                .failFirst(1, Fault.rateLimited(Duration.ZERO)));

    assertThat(client.chat("alpha").statusCode()).isEqualTo(429);
    assertThat(client.chat("alpha").statusCode()).isEqualTo(200);
    assertThat(client.chat("beta").statusCode()).isEqualTo(429);
    assertThat(client.chat("beta").statusCode()).isEqualTo(200);
    // With no record header configured, the header is ignored.
    assertThat(
            client
                .post(
                    "/chat/completions",
                    TestClient.chatBody("alpha"),
                    Map.of(FakeLlmServer.DEFAULT_RECORD_HEADER, "new"))
                .statusCode())
        .isEqualTo(200);
    assertThat(server.stats().requestsFor(FakeLlmServer.recordKeyOf("alpha"))).isEqualTo(3);
  }

  @Test
  void forcedFaultHeaderOverridesTheDraw() {
    TestClient client = start(FakeLlmServer.builder());

    HttpResponse<String> response =
        client.post(
            "/chat/completions",
            TestClient.chatBody("x"),
            Map.of(FakeLlmServer.FORCE_FAULT_HEADER, "503"));

    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(TestClient.json(response).path("error").path("type").asText())
        .isEqualTo("server_error");
  }

  @Test
  void maxConcurrencyQueuesTheExcess() {
    TestClient client =
        start(FakeLlmServer.builder().latency(Duration.ofMillis(100)).maxConcurrency(2));
    List<CompletableFuture<HttpResponse<String>>> futures = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      futures.add(client.chatAsync("q" + i, Map.of(), null));
    }

    for (int i = 0; i < 10; i++) {
      HttpResponse<String> response = futures.get(i).join();
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(TestClient.content(response)).startsWith("q" + i + " ");
    }
    FakeServerStats stats = server.stats();
    assertThat(stats.maxInFlight()).isEqualTo(2);
    assertThat(stats.maxQueued()).isPositive();
    assertThat(stats.queued()).isZero();
    assertThat(stats.inFlight()).isZero();
  }

  @Test
  void faultParsingAcceptsTheDocumentedForms() {
    assertThat(Fault.parse("429")).isEqualTo(Fault.rateLimited(Duration.ofSeconds(1)));
    assertThat(Fault.parse("429:250ms")).isEqualTo(Fault.rateLimited(Duration.ofMillis(250)));
    assertThat(Fault.parse("502")).isEqualTo(Fault.serverError(502));
    assertThat(Fault.parse("hang")).isEqualTo(Fault.hang());
    assertThat(Fault.parse("late:5s")).isEqualTo(Fault.lateAnswer(Duration.ofSeconds(5)));
    assertThat(Fault.parse("reset")).isEqualTo(Fault.connectionReset());
    assertThat(Fault.parse("malformed")).isEqualTo(Fault.malformedJson());
    assertThat(Fault.parse("slow:20ms:5")).isEqualTo(Fault.slowBody(Duration.ofMillis(20), 5));
    assertThatThrownBy(() -> Fault.parse("404")).hasMessageContaining("'404'");
    assertThatThrownBy(() -> Fault.parse("slow:1ms:1")).hasMessageContaining("slow:1ms:1");
  }

  private static void awaitTrue(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within 10s");
      }
      Thread.sleep(10);
    }
  }
}
