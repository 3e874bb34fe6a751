package io.sygra.llm;

import static io.sygra.llm.RecordingDispatcher.ok;
import static io.sygra.llm.RecordingDispatcher.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.sygra.core.ConfigurationException;
import io.sygra.llm.internal.client.TokenEstimator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import okhttp3.Call;
import okhttp3.EventListener;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Retry, circuit breakers, balancing, budgets and AIMD against MockWebServer. Error bodies are
 * synthetic. Timing assertions are lower bounds only (a wait that must have happened), never speed
 * targets.
 */
class ResilientModelClientTest {
  private static final String RATE_LIMITED =
      "{\"error\":{\"message\":\"Rate limit reached\",\"type\":\"requests\",\"code\":\"rate_limit_exceeded\"}}";
  private static final String SERVER_ERROR =
      "{\"error\":{\"message\":\"The server had an error\",\"type\":\"server_error\"}}";

  private final List<MockWebServer> servers = new ArrayList<>();
  private final List<AutoCloseable> clients = new ArrayList<>();

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable c : clients) {
      c.close();
    }
    servers.forEach(MockWebServer::close);
    recordingHttp.dispatcher().executorService().shutdown();
    recordingHttp.connectionPool().evictAll();
  }

  private RecordingDispatcher server(IntFunction<MockResponse> answer, List<String> urls)
      throws Exception {
    MockWebServer s = new MockWebServer();
    RecordingDispatcher d = new RecordingDispatcher(answer);
    s.setDispatcher(d);
    s.start();
    servers.add(s);
    urls.add(s.url("/v1").toString());
    return d;
  }

  /** Moments at which the client handed calls to OkHttp (EventListener.callStart, in enqueue). */
  private final List<Long> callStarts = new ArrayList<>();

  private final OkHttpClient recordingHttp =
      new OkHttpClient.Builder()
          .eventListener(
              new EventListener() {
                @Override
                public void callStart(Call call) {
                  synchronized (callStarts) {
                    callStarts.add(System.nanoTime());
                  }
                }
              })
          .build();

  private List<Long> callStarts() {
    synchronized (callStarts) {
      List<Long> copy = new ArrayList<>(callStarts);
      copy.sort(null);
      return copy;
    }
  }

  private OpenAiCompatibleClient endpoint(String url, String key) {
    OpenAiCompatibleClient.Builder b =
        OpenAiCompatibleClient.builder().baseUrl(url).model("m").okHttpClient(recordingHttp);
    if (key != null) {
      b.apiKey(Secret.of(key));
    }
    return b.build();
  }

  private ResilientModelClient resilient(
      ResilienceConfig config, BudgetRegistry budgets, String... urls) {
    ResilientModelClient.Builder b = ResilientModelClient.builder().config(config).budgets(budgets);
    for (String u : urls) {
      b.endpoint(endpoint(u, "sk-test"));
    }
    ResilientModelClient c = b.build();
    clients.add(c);
    return c;
  }

  private static ResilienceConfig.Builder fast() {
    return ResilienceConfig.builder().initialBackoff(Duration.ZERO).maxBackoff(Duration.ZERO);
  }

  private static ChatRequest hello() {
    return ChatRequest.builder().addMessage(ChatMessage.user("hello")).build();
  }

  @Test
  void retryWaitsAsLongAsRetryAfterSays() throws Exception {
    List<String> urls = new ArrayList<>();
    RecordingDispatcher d =
        server(n -> n == 0 ? status(429, RATE_LIMITED, "retry-after-ms: 300") : ok("fine"), urls);
    ResilientModelClient c = resilient(fast().build(), BudgetRegistry.create(), urls.get(0));

    ChatResponse r = c.chatBlocking(hello());

    assertThat(r.text()).isEqualTo("fine");
    List<Long> t = d.arrivals();
    assertThat(t).hasSize(2);
    // backoff is zero, so only the server's retry-after-ms can account for the gap
    assertThat(Duration.ofNanos(t.get(1) - t.get(0)))
        .isGreaterThanOrEqualTo(Duration.ofMillis(300));
  }

  @Test
  void retryAfterSecondsHeaderIsHonouredToo() throws Exception {
    List<String> urls = new ArrayList<>();
    RecordingDispatcher d =
        server(n -> n == 0 ? status(503, SERVER_ERROR, "Retry-After: 1") : ok("fine"), urls);
    ResilientModelClient c = resilient(fast().build(), BudgetRegistry.create(), urls.get(0));
    assertThat(c.chatBlocking(hello()).text()).isEqualTo("fine");
    List<Long> t = d.arrivals();
    assertThat(Duration.ofNanos(t.get(1) - t.get(0))).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void exponentialBackoffSpacesRetries() throws Exception {
    List<String> urls = new ArrayList<>();
    RecordingDispatcher d = server(n -> n < 2 ? status(500, SERVER_ERROR) : ok("fine"), urls);
    ResilienceConfig cfg =
        ResilienceConfig.builder()
            .initialBackoff(Duration.ofMillis(100))
            .backoffMultiplier(2)
            .jitter(0)
            .build();
    ResilientModelClient c = resilient(cfg, BudgetRegistry.create(), urls.get(0));
    assertThat(c.chatBlocking(hello()).text()).isEqualTo("fine");
    List<Long> t = d.arrivals();
    assertThat(Duration.ofNanos(t.get(1) - t.get(0)))
        .isGreaterThanOrEqualTo(Duration.ofMillis(100));
    assertThat(Duration.ofNanos(t.get(2) - t.get(1)))
        .isGreaterThanOrEqualTo(Duration.ofMillis(200));
  }

  @Test
  void givingUpReportsTheAttemptsMade() throws Exception {
    List<String> urls = new ArrayList<>();
    RecordingDispatcher d = server(n -> status(500, SERVER_ERROR), urls);
    ResilientModelClient c =
        resilient(fast().maxAttempts(3).build(), BudgetRegistry.create(), urls.get(0));
    Throwable t = catchThrowable(() -> c.chatBlocking(hello()));
    assertThat(t).isInstanceOf(ServerErrorException.class);
    assertThat(((ModelException) t).attempts()).isEqualTo(3);
    assertThat(d.count()).isEqualTo(3);
  }

  @Test
  void nonRetryableErrorsAreNotRetried() throws Exception {
    List<String> urls = new ArrayList<>();
    RecordingDispatcher d =
        server(
            n -> status(400, "{\"error\":{\"message\":\"bad\",\"code\":\"invalid_value\"}}"), urls);
    ResilientModelClient c = resilient(fast().build(), BudgetRegistry.create(), urls.get(0));
    Throwable t = catchThrowable(() -> c.chatBlocking(hello()));
    assertThat(t).isInstanceOf(BadRequestException.class);
    assertThat(((ModelException) t).attempts()).isEqualTo(1);
    assertThat(d.count()).isEqualTo(1);
  }

  @Test
  void quotaExhaustionIsNotRetried() throws Exception {
    List<String> urls = new ArrayList<>();
    RecordingDispatcher d =
        server(
            n ->
                status(
                    429,
                    "{\"error\":{\"message\":\"You exceeded your current quota\",\"type\":\"insufficient_quota\",\"code\":\"insufficient_quota\"}}"),
            urls);
    ResilientModelClient c = resilient(fast().build(), BudgetRegistry.create(), urls.get(0));
    assertThat(catchThrowable(() -> c.chatBlocking(hello())))
        .isInstanceOf(QuotaExceededException.class);
    assertThat(d.count()).isEqualTo(1);
  }

  @Test
  void aWaitLongerThanMaxRetryAfterFailsAtOnce() throws Exception {
    List<String> urls = new ArrayList<>();
    RecordingDispatcher d = server(n -> status(429, RATE_LIMITED, "retry-after: 3600"), urls);
    ResilientModelClient c =
        resilient(
            fast().maxRetryAfter(Duration.ofSeconds(5)).build(),
            BudgetRegistry.create(),
            urls.get(0));
    Throwable t = catchThrowable(() -> c.chatBlocking(hello()));
    assertThat(t).isInstanceOf(RateLimitException.class);
    assertThat(((RateLimitException) t).retryAfter()).isEqualTo(Duration.ofHours(1));
    assertThat(d.count()).isEqualTo(1);
  }

  @Test
  void openCircuitMovesTrafficToTheHealthyBaseUrl() throws Exception {
    List<String> urls = new ArrayList<>();
    RecordingDispatcher broken = server(n -> status(500, SERVER_ERROR), urls);
    RecordingDispatcher healthy = server(n -> ok("fine"), urls);
    MutableClock clock = new MutableClock();
    ResilienceConfig cfg =
        fast()
            .slidingWindowSize(4)
            .minimumNumberOfCalls(4)
            .failureRateThreshold(50)
            .openStateWait(Duration.ofMinutes(10))
            .clock(clock)
            .build();
    ResilientModelClient c = resilient(cfg, BudgetRegistry.create(), urls.get(0), urls.get(1));

    for (int i = 0; i < 20; i++) {
      assertThat(c.chatBlocking(hello()).text()).isEqualTo("fine");
    }

    assertThat(broken.count()).isEqualTo(4); // the breaker opened after its 4th failure
    assertThat(healthy.count()).isEqualTo(20);
    assertThat(c.endpointStatus().get(0).circuitState()).isEqualTo("OPEN");
    assertThat(c.endpointStatus().get(1).circuitState()).isEqualTo("CLOSED");
  }

  @Test
  void allCircuitsOpenFailsWithoutCallingAndHalfOpensAfterTheWait() throws Exception {
    List<String> urls = new ArrayList<>();
    boolean[] healed = {false};
    RecordingDispatcher d = server(n -> healed[0] ? ok("back") : status(502, SERVER_ERROR), urls);
    MutableClock clock = new MutableClock();
    ResilienceConfig cfg =
        fast()
            .maxAttempts(2)
            .slidingWindowSize(2)
            .minimumNumberOfCalls(2)
            .openStateWait(Duration.ofSeconds(30))
            .halfOpenCalls(1)
            .clock(clock)
            .build();
    ResilientModelClient c = resilient(cfg, BudgetRegistry.create(), urls.get(0));

    assertThat(catchThrowable(() -> c.chatBlocking(hello())))
        .isInstanceOf(ServerErrorException.class);
    assertThat(d.count()).isEqualTo(2);
    Throwable t = catchThrowable(() -> c.chatBlocking(hello()));
    assertThat(t).isInstanceOf(EndpointUnavailableException.class).hasMessageContaining("OPEN");
    assertThat(((ModelException) t).retryable()).isTrue();
    assertThat(d.count()).isEqualTo(2);

    healed[0] = true;
    clock.advance(Duration.ofSeconds(31));
    assertThat(c.chatBlocking(hello()).text()).isEqualTo("back");
    assertThat(c.endpointStatus().get(0).circuitState()).isEqualTo("CLOSED");
  }

  @Test
  void clientErrorsDoNotOpenTheCircuit() throws Exception {
    List<String> urls = new ArrayList<>();
    server(n -> status(400, "{\"error\":{\"message\":\"bad\"}}"), urls);
    ResilienceConfig cfg = fast().slidingWindowSize(2).minimumNumberOfCalls(2).build();
    ResilientModelClient c = resilient(cfg, BudgetRegistry.create(), urls.get(0));
    for (int i = 0; i < 5; i++) {
      assertThat(catchThrowable(() -> c.chatBlocking(hello())))
          .isInstanceOf(BadRequestException.class);
    }
    assertThat(c.endpointStatus().get(0).circuitState()).isEqualTo("CLOSED");
  }

  @Test
  void leastInFlightSpreadsConcurrentCallsOverBaseUrls() throws Exception {
    List<String> urls = new ArrayList<>();
    IntFunction<MockResponse> slow =
        n -> ok("x").newBuilder().headersDelay(150, TimeUnit.MILLISECONDS).build();
    RecordingDispatcher a = server(slow, urls);
    RecordingDispatcher b = server(slow, urls);
    ResilientModelClient c =
        resilient(fast().build(), BudgetRegistry.create(), urls.get(0), urls.get(1));
    List<CompletableFuture<ChatResponse>> calls = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      calls.add(c.chat(hello()));
    }
    CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).join();
    assertThat(a.count()).isEqualTo(5);
    assertThat(b.count()).isEqualTo(5);
  }

  @Test
  void requestsPerWindowAreNeverExceeded() throws Exception {
    List<String> urls = new ArrayList<>();
    RecordingDispatcher d = server(n -> ok("x"), urls);
    Duration window = Duration.ofMillis(500);
    ResilientModelClient c =
        resilient(fast().budget(3, 0, window).build(), BudgetRegistry.create(), urls.get(0));
    List<CompletableFuture<ChatResponse>> calls = new ArrayList<>();
    for (int i = 0; i < 9; i++) {
      calls.add(c.chat(hello()));
    }
    CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).join();
    assertAtMostPerWindow(d, 3, window);
  }

  @Test
  void tokensPerWindowAreNeverExceeded() throws Exception {
    List<String> urls = new ArrayList<>();
    ChatRequest req = hello().newBuilder().maxTokens(10).build();
    long estimate = TokenEstimator.prompt(req, "m") + 10;
    // the server reports exactly the estimate, so settling changes nothing: 2 calls per window
    RecordingDispatcher d = server(n -> ok("x", estimate - 10, 10), urls);
    Duration window = Duration.ofMillis(500);
    ResilientModelClient c =
        resilient(
            fast().budget(0, estimate * 2 + estimate / 2, window).build(),
            BudgetRegistry.create(),
            urls.get(0));
    List<CompletableFuture<ChatResponse>> calls = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      calls.add(c.chat(req));
    }
    CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).join();
    assertAtMostPerWindow(d, 2, window);
  }

  @Test
  void clientsWithTheSameKeyShareOneBudget() throws Exception {
    List<String> urls = new ArrayList<>();
    RecordingDispatcher d = server(n -> ok("x"), urls);
    BudgetRegistry shared = BudgetRegistry.create();
    Duration window = Duration.ofMillis(400);
    ResilienceConfig cfg = fast().budget(2, 0, window).build();
    ResilientModelClient first = resilient(cfg, shared, urls.get(0));
    ResilientModelClient second = resilient(cfg, shared, urls.get(0));
    List<CompletableFuture<ChatResponse>> calls = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      calls.add(first.chat(hello()));
      calls.add(second.chat(hello()));
    }
    CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).join();
    assertThat(shared.size()).isEqualTo(1);
    assertAtMostPerWindow(d, 2, window);
  }

  /**
   * Checks that in any window of the given length the client started at most {@code max} calls
   * (from OkHttp's callStart, a few ms after the reservation: the request is serialized between)
   * and the server saw at most {@code max} arrivals (with slack for the scheduling noise of a busy
   * test machine: without a budget all calls arrive at once).
   */
  private void assertAtMostPerWindow(RecordingDispatcher d, int max, Duration window) {
    assertSpacing(
        callStarts(), max, window.toNanos() - TimeUnit.MILLISECONDS.toNanos(25), "starts");
    assertSpacing(d.arrivals(), max, window.toNanos() / 2, "arrivals");
  }

  private static void assertSpacing(List<Long> times, int max, long minGap, String what) {
    for (int i = 0; i + max < times.size(); i++) {
      assertThat(times.get(i + max) - times.get(i))
          .as("%s %d and %d", what, i, i + max)
          .isGreaterThanOrEqualTo(minGap);
    }
  }

  @Test
  void concurrencyLimitHalvesOn429AndGrowsBackOnSuccess() throws Exception {
    List<String> urls = new ArrayList<>();
    server(n -> n == 0 ? status(429, RATE_LIMITED, "retry-after-ms: 10") : ok("x"), urls);
    ResilientModelClient c =
        resilient(fast().maxConcurrency(8).build(), BudgetRegistry.create(), urls.get(0));
    assertThat(c.endpointStatus().get(0).concurrencyLimit()).isEqualTo(8);

    c.chatBlocking(hello());
    assertThat(c.endpointStatus().get(0).concurrencyLimit()).isEqualTo(4);

    for (int i = 0; i < 40; i++) {
      c.chatBlocking(hello());
    }
    assertThat(c.endpointStatus().get(0).concurrencyLimit()).isEqualTo(8);
    assertThat(c.endpointStatus().get(0).inFlight()).isZero();
  }

  @Test
  void concurrencyLimitCapsCallsInFlight() throws Exception {
    List<String> urls = new ArrayList<>();
    int[] inFlight = {0};
    int[] peak = {0};
    Object lock = new Object();
    RecordingDispatcher d =
        server(
            n -> {
              synchronized (lock) {
                peak[0] = Math.max(peak[0], ++inFlight[0]);
              }
              try {
                Thread.sleep(60);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              synchronized (lock) {
                inFlight[0]--;
              }
              return ok("x");
            },
            urls);
    ResilientModelClient c =
        resilient(fast().maxConcurrency(3).build(), BudgetRegistry.create(), urls.get(0));
    List<CompletableFuture<ChatResponse>> calls = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      calls.add(c.chat(hello()));
    }
    CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).join();
    assertThat(d.count()).isEqualTo(12);
    assertThat(peak[0]).isLessThanOrEqualTo(3).isGreaterThanOrEqualTo(2);
  }

  @Test
  void cancellingACallCancelsItsHttpExchangeAndFreesThePermit() throws Exception {
    List<String> urls = new ArrayList<>();
    server(n -> ok("late").newBuilder().headersDelay(3, TimeUnit.SECONDS).build(), urls);
    java.util.concurrent.CountDownLatch canceled = new java.util.concurrent.CountDownLatch(1);
    OkHttpClient http =
        new OkHttpClient.Builder()
            .eventListener(
                new EventListener() {
                  @Override
                  public void canceled(Call call) {
                    canceled.countDown();
                  }
                })
            .build();
    ResilientModelClient c =
        ResilientModelClient.builder()
            .endpoint(
                OpenAiCompatibleClient.builder()
                    .baseUrl(urls.get(0))
                    .model("m")
                    .okHttpClient(http)
                    .build())
            .config(fast().build())
            .budgets(BudgetRegistry.create())
            .build();
    clients.add(c);
    ModelClient metered = ModelMetrics.create().wrap(c);
    CompletableFuture<ChatResponse> call = metered.chat(hello());
    for (int i = 0; i < 500 && c.endpointStatus().get(0).inFlight() == 0; i++) {
      Thread.sleep(5);
    }
    assertThat(c.endpointStatus().get(0).inFlight()).isEqualTo(1);
    call.cancel(true);
    assertThat(canceled.await(2, TimeUnit.SECONDS)).isTrue();
    for (int i = 0; i < 200 && c.endpointStatus().get(0).inFlight() > 0; i++) {
      Thread.sleep(10);
    }
    assertThat(c.endpointStatus().get(0).inFlight()).isZero();
    http.dispatcher().executorService().shutdown();
  }

  @Test
  void builderValidates() {
    assertThat(catchThrowable(() -> ResilientModelClient.builder().build()))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("endpoints");
    assertThat(catchThrowable(() -> ResilienceConfig.builder().maxAttempts(0)))
        .hasMessageContaining("maxAttempts")
        .hasMessageContaining("was 0");
    assertThat(catchThrowable(() -> ResilienceConfig.builder().jitter(1.5)))
        .hasMessageContaining("jitter");
    assertThat(
            catchThrowable(
                () -> ResilienceConfig.builder().minConcurrency(10).maxConcurrency(5).build()))
        .hasMessageContaining("minConcurrency");
    assertThat(catchThrowable(() -> ResilienceConfig.builder().budget(1, 1, Duration.ZERO)))
        .hasMessageContaining("budget.window");
  }
}
