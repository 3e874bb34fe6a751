package io.sygra.llm;

import static io.sygra.llm.RecordingDispatcher.ok;
import static io.sygra.llm.RecordingDispatcher.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.sygra.core.ConfigurationException;
import io.sygra.llm.internal.client.CacheKeys;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CachingModelClientTest {
  @TempDir Path dir;

  private MockWebServer server;
  private RecordingDispatcher dispatcher;
  private final List<AutoCloseable> closeables = new ArrayList<>();

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable c : closeables) {
      c.close();
    }
    if (server != null) {
      server.close();
    }
  }

  private String serve(IntFunction<MockResponse> answer) throws Exception {
    server = new MockWebServer();
    dispatcher = new RecordingDispatcher(answer);
    server.setDispatcher(dispatcher);
    server.start();
    return server.url("/v1").toString();
  }

  private <T extends AutoCloseable> T closeLater(T c) {
    closeables.add(0, c);
    return c;
  }

  private ModelClient cached(String url, ResponseCache cache, String key) {
    OpenAiCompatibleClient.Builder b = OpenAiCompatibleClient.builder().baseUrl(url).model("m");
    if (key != null) {
      b.apiKey(Secret.of(key));
    }
    return closeLater(CachingModelClient.wrap(b.build(), cache));
  }

  private static ChatRequest ask(String q, Double temperature) {
    return ChatRequest.builder().temperature(temperature).addMessage(ChatMessage.user(q)).build();
  }

  @Test
  void repeatedDeterministicRequestsNeverReachTheServerTwice() throws Exception {
    String url = serve(n -> ok("answer " + n));
    ResponseCache cache = closeLater(ResponseCache.inMemory());
    ModelClient c = cached(url, cache, null);

    ChatResponse first = c.chatBlocking(ask("q", 0.0));
    ChatResponse second = c.chatBlocking(ask("q", 0.0));
    ChatResponse other = c.chatBlocking(ask("other", 0.0));

    assertThat(second).isEqualTo(first);
    assertThat(other.text()).isEqualTo("answer 1");
    assertThat(dispatcher.count()).isEqualTo(2);
    assertThat(cache.stats().hits()).isEqualTo(1);
    assertThat(cache.stats().misses()).isEqualTo(2);
  }

  @Test
  void sampledRequestsAreSentEachTimeUnlessSeededOrAllowed() throws Exception {
    String url = serve(n -> ok("answer " + n));
    ResponseCache cache = closeLater(ResponseCache.inMemory());
    ModelClient c = cached(url, cache, null);

    c.chatBlocking(ask("q", 0.7));
    c.chatBlocking(ask("q", 0.7));
    c.chatBlocking(ask("q", null)); // the server's default temperature samples too
    c.chatBlocking(ask("q", null));
    assertThat(dispatcher.count()).isEqualTo(4);
    assertThat(cache.stats().bypassed()).isEqualTo(4);

    ChatRequest seeded = ask("q", 0.7).newBuilder().seed(42L).build();
    c.chatBlocking(seeded);
    c.chatBlocking(seeded);
    assertThat(dispatcher.count()).isEqualTo(5);

    ResponseCache permissive = closeLater(ResponseCache.builder().cacheSampled(true).build());
    ModelClient p = cached(url, permissive, null);
    p.chatBlocking(ask("z", 1.0));
    p.chatBlocking(ask("z", 1.0));
    assertThat(dispatcher.count()).isEqualTo(6);
  }

  @Test
  void failuresAreNotCached() throws Exception {
    String url =
        serve(n -> n == 0 ? status(500, "{\"error\":{\"message\":\"boom\"}}") : ok("fine"));
    ResponseCache cache = closeLater(ResponseCache.inMemory());
    ModelClient c = cached(url, cache, null);
    assertThat(catchThrowable(() -> c.chatBlocking(ask("q", 0.0))))
        .isInstanceOf(ServerErrorException.class);
    assertThat(c.chatBlocking(ask("q", 0.0)).text()).isEqualTo("fine");
    assertThat(c.chatBlocking(ask("q", 0.0)).text()).isEqualTo("fine");
    assertThat(dispatcher.count()).isEqualTo(2);
  }

  @Test
  void identicalRequestsInFlightShareOneCall() throws Exception {
    String url =
        serve(n -> ok("once").newBuilder().headersDelay(200, TimeUnit.MILLISECONDS).build());
    ResponseCache cache = closeLater(ResponseCache.inMemory());
    ModelClient c = cached(url, cache, null);
    List<CompletableFuture<ChatResponse>> calls = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      calls.add(c.chat(ask("same", 0.0)));
    }
    for (CompletableFuture<ChatResponse> f : calls) {
      assertThat(f.join().text()).isEqualTo("once");
    }
    assertThat(dispatcher.count()).isEqualTo(1);
  }

  @Test
  void oneCallerCancellingDoesNotCancelTheSharedCall() throws Exception {
    String url =
        serve(n -> ok("shared").newBuilder().headersDelay(300, TimeUnit.MILLISECONDS).build());
    ResponseCache cache = closeLater(ResponseCache.inMemory());
    ModelClient c = cached(url, cache, null);
    CompletableFuture<ChatResponse> first = c.chat(ask("same", 0.0));
    CompletableFuture<ChatResponse> second = c.chat(ask("same", 0.0));
    first.cancel(true);
    assertThat(second.join().text()).isEqualTo("shared");
    assertThat(c.chatBlocking(ask("same", 0.0)).text()).isEqualTo("shared");
    assertThat(dispatcher.count()).isEqualTo(1);
  }

  @Test
  void persistentEntriesSurviveARestart() throws Exception {
    String url = serve(n -> ok("answer " + n));
    Path file = dir.resolve("run/cache.mv.db");
    try (ResponseCache cache = ResponseCache.persistent(file)) {
      cached(url, cache, null).chatBlocking(ask("q", 0.0));
    }
    try (ResponseCache reopened = ResponseCache.persistent(file)) {
      ChatResponse r = cached(url, reopened, null).chatBlocking(ask("q", 0.0));
      assertThat(r.text()).isEqualTo("answer 0");
      assertThat(r.usage()).isEqualTo(new Usage(3, 2, 5, null, null));
      assertThat(reopened.stats().diskHits()).isEqualTo(1);
      assertThat(reopened.stats().diskEntries()).isEqualTo(1);
    }
    assertThat(dispatcher.count()).isEqualTo(1);
  }

  @Test
  void entriesSurviveKillMinus9() throws Exception {
    Path file = dir.resolve("killed.mv.db");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process child =
        new ProcessBuilder(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                CacheKillChild.class.getName(),
                file.toString(),
                "5")
            .redirectErrorStream(true)
            .start();
    try {
      BufferedReader out =
          new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
      String line;
      while ((line = out.readLine()) != null && !line.equals("STORED 5")) {
        // skip anything else the child prints (e.g. logging)
      }
      assertThat(line).isEqualTo("STORED 5");
    } finally {
      child.destroyForcibly(); // SIGKILL: no shutdown hooks, no close()
      child.waitFor(10, TimeUnit.SECONDS);
    }
    FixedModelClient mustNotBeCalled = new FixedModelClient(true);
    try (ResponseCache reopened = ResponseCache.persistent(file)) {
      ModelClient c = CachingModelClient.wrap(mustNotBeCalled, reopened, "kill-test");
      for (int i = 0; i < 5; i++) {
        ChatRequest r =
            ChatRequest.builder()
                .model("m")
                .temperature(0.0)
                .addMessage(ChatMessage.user("q" + i))
                .build();
        assertThat(c.chatBlocking(r).text()).isEqualTo("echo: q" + i);
      }
      assertThat(reopened.stats().diskEntries()).isEqualTo(5);
    }
    assertThat(mustNotBeCalled.calls.get()).isZero();
  }

  @Test
  void keysIgnoreTheApiKeyButNotTheModelOrBaseUrl() throws Exception {
    String url = serve(n -> ok("answer " + n));
    ResponseCache cache = closeLater(ResponseCache.inMemory());
    cached(url, cache, "sk-one").chatBlocking(ask("q", 0.0));
    cached(url, cache, "sk-two").chatBlocking(ask("q", 0.0));
    assertThat(dispatcher.count()).isEqualTo(1);

    cached(url, cache, "sk-one").chatBlocking(ask("q", 0.0).newBuilder().model("other").build());
    assertThat(dispatcher.count()).isEqualTo(2);

    String sameServerOtherPath = url.replace("/v1", "/v2");
    cached(sameServerOtherPath, cache, null).chatBlocking(ask("q", 0.0));
    assertThat(dispatcher.count()).isEqualTo(3);
  }

  @Test
  void canonicalKeyIgnoresMapOrderTimeoutAndTags() {
    Map<String, Object> a = new LinkedHashMap<>();
    a.put("x", 1);
    a.put("y", Map.of("p", 1, "q", 2));
    Map<String, Object> b = new LinkedHashMap<>();
    b.put("y", Map.of("q", 2, "p", 1));
    b.put("x", 1);
    ChatRequest r1 = ask("q", 0.0).newBuilder().extraBody(a).build();
    ChatRequest r2 =
        ask("q", 0.0)
            .newBuilder()
            .extraBody(b)
            .timeout(java.time.Duration.ofSeconds(3))
            .tag(CallContext.class, CallContext.forNode("n"))
            .build();
    assertThat(CacheKeys.key("ns", "m", r1)).isEqualTo(CacheKeys.key("ns", "m", r2)).hasSize(64);
    assertThat(CacheKeys.key("ns", "m", r1))
        .isNotEqualTo(CacheKeys.key("ns", "m", r1.newBuilder().topP(0.5).build()))
        .isNotEqualTo(CacheKeys.key("ns2", "m", r1))
        .isNotEqualTo(CacheKeys.key("ns", "m2", r1));
  }

  @Test
  void aFileInUseIsReportedClearly() {
    Path file = dir.resolve("locked.mv.db");
    try (ResponseCache first = ResponseCache.persistent(file)) {
      assertThatThrownBy(() -> ResponseCache.persistent(file))
          .isInstanceOf(ConfigurationException.class)
          .hasMessageContaining("cache.file")
          .hasMessageContaining("locked.mv.db");
      assertThat(first.stats().diskEntries()).isZero();
    }
  }
}
