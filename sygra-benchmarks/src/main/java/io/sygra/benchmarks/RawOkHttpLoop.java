package io.sygra.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sygra.benchmarks.fake.Durations;
import io.sygra.benchmarks.fake.FakeLlmServer;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.OperatingSystemMXBean;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.ConnectionPool;
import okhttp3.Dispatcher;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * The floor of client overhead for chat completions: a bare OkHttp async loop with exactly {@code
 * C} requests in flight, no semaphore (C calls are started, and each callback starts the next).
 * Each request carries a small JSON body built with Jackson, like an LLM node sends, and each
 * response is parsed with Jackson to extract {@code choices[0].message.content}, so the loop does
 * the essential work every client must do and nothing else. Throughput of a real pipeline is judged
 * against this.
 *
 * <p>Usage: {@code RawOkHttpLoop.run("http://127.0.0.1:8089/v1", 100_000, 64)}, or from the command
 * line (see {@link #main(String[])}).
 */
public final class RawOkHttpLoop {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final MediaType JSON = MediaType.get("application/json");

  private RawOkHttpLoop() {}

  /**
   * What one run measured.
   *
   * @param requests requests issued
   * @param concurrency requests kept in flight
   * @param errors requests that failed (I/O error, non-2xx status, or no content in the reply)
   * @param elapsed wall time from the first call to the last callback
   * @param recordsPerSecond successful requests per second of wall time
   * @param p50 median latency (call start to parsed reply)
   * @param p99 99th-percentile latency
   * @param max the slowest request
   * @param cpuTime CPU time of the whole process during the run (all threads)
   * @param peakHeapBytes the sum of the heap memory pools' peak usage during the run
   */
  public record Result(
      int requests,
      int concurrency,
      int errors,
      Duration elapsed,
      double recordsPerSecond,
      Duration p50,
      Duration p99,
      Duration max,
      Duration cpuTime,
      long peakHeapBytes) {

    /** Validates. */
    public Result {
      Objects.requireNonNull(elapsed, "elapsed");
      Objects.requireNonNull(p50, "p50");
      Objects.requireNonNull(p99, "p99");
      Objects.requireNonNull(max, "max");
      Objects.requireNonNull(cpuTime, "cpuTime");
    }

    /** Process CPU time per request, in microseconds. */
    public double cpuMicrosPerRequest() {
      return requests == 0 ? 0 : cpuTime.toNanos() / 1000.0 / requests;
    }

    @Override
    public String toString() {
      return String.format(
          Locale.ROOT,
          "requests=%d concurrency=%d errors=%d elapsed=%.3fs records/s=%.0f p50=%.2fms"
              + " p99=%.2fms max=%.2fms cpu=%.3fs (%.1fus/request) peakHeap=%.1fMB",
          requests,
          concurrency,
          errors,
          elapsed.toNanos() / 1e9,
          recordsPerSecond,
          p50.toNanos() / 1e6,
          p99.toNanos() / 1e6,
          max.toNanos() / 1e6,
          cpuTime.toNanos() / 1e9,
          cpuMicrosPerRequest(),
          peakHeapBytes / 1048576.0);
    }
  }

  /**
   * Sends {@code n} chat-completion requests to {@code baseUrl + "/chat/completions"} with exactly
   * {@code c} in flight and measures them. Blocks until all have completed (at most 10 minutes).
   *
   * @param baseUrl an OpenAI-compatible base URL such as {@code http://127.0.0.1:8089/v1}
   * @param n the number of requests, at least 1
   * @param c the number in flight, at least 1
   * @throws IllegalStateException if the run does not complete within 10 minutes
   */
  public static Result run(String baseUrl, int n, int c) {
    Objects.requireNonNull(baseUrl, "baseUrl");
    if (n < 1) {
      throw new IllegalArgumentException("n must be >= 1 but was " + n);
    }
    if (c < 1) {
      throw new IllegalArgumentException("c must be >= 1 but was " + c);
    }
    // Parsed once, as a client holding its endpoint would.
    HttpUrl url = HttpUrl.get(baseUrl.replaceAll("/+$", "") + "/chat/completions");
    // C worker threads fed by a queue: a finishing call's thread picks up the next call itself,
    // instead of handing it to another thread as the default (SynchronousQueue) executor does.
    AtomicInteger threadNumber = new AtomicInteger();
    ExecutorService executor =
        Executors.newFixedThreadPool(
            c,
            runnable -> {
              Thread thread =
                  new Thread(runnable, "raw-okhttp-loop-" + threadNumber.incrementAndGet());
              thread.setDaemon(true);
              return thread;
            });
    Dispatcher dispatcher = new Dispatcher(executor);
    dispatcher.setMaxRequests(c);
    dispatcher.setMaxRequestsPerHost(c);
    OkHttpClient client =
        new OkHttpClient.Builder()
            .dispatcher(dispatcher)
            .connectionPool(new ConnectionPool(c, 5, TimeUnit.MINUTES))
            .connectTimeout(Duration.ofSeconds(10))
            .readTimeout(Duration.ofSeconds(60))
            .retryOnConnectionFailure(false)
            .build();
    try {
      return new Loop(client, url, n, c).run();
    } finally {
      dispatcher.executorService().shutdown();
      client.connectionPool().evictAll();
    }
  }

  /** One run's state: the issue counter and the per-request latencies. */
  private static final class Loop {
    private final OkHttpClient client;
    private final HttpUrl url;
    private final int n;
    private final int c;
    private final long[] latencies;
    private final AtomicInteger issued = new AtomicInteger();
    private final AtomicInteger errors = new AtomicInteger();
    private final AtomicLong contentChars = new AtomicLong();
    private final CountDownLatch done;

    Loop(OkHttpClient client, HttpUrl url, int n, int c) {
      this.client = client;
      this.url = url;
      this.n = n;
      this.c = c;
      this.latencies = new long[n];
      this.done = new CountDownLatch(n);
    }

    Result run() {
      List<MemoryPoolMXBean> heapPools =
          ManagementFactory.getMemoryPoolMXBeans().stream()
              .filter(pool -> pool.getType() == MemoryType.HEAP && pool.isValid())
              .toList();
      heapPools.forEach(MemoryPoolMXBean::resetPeakUsage);
      long cpuStart = processCpuNanos();
      long start = System.nanoTime();
      for (int i = 0; i < Math.min(c, n); i++) {
        startNext();
      }
      try {
        if (!done.await(10, TimeUnit.MINUTES)) {
          client.dispatcher().cancelAll();
          throw new IllegalStateException(
              "RawOkHttpLoop: " + done.getCount() + " of " + n + " requests still open after 10m");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        client.dispatcher().cancelAll();
        throw new IllegalStateException("RawOkHttpLoop interrupted", e);
      }
      long elapsed = System.nanoTime() - start;
      long cpu = processCpuNanos() - cpuStart;
      long peakHeap = heapPools.stream().mapToLong(pool -> pool.getPeakUsage().getUsed()).sum();
      long[] sorted = latencies.clone();
      Arrays.sort(sorted);
      int ok = n - errors.get();
      return new Result(
          n,
          c,
          errors.get(),
          Duration.ofNanos(elapsed),
          ok / (elapsed / 1e9),
          Duration.ofNanos(percentile(sorted, 0.50)),
          Duration.ofNanos(percentile(sorted, 0.99)),
          Duration.ofNanos(sorted[sorted.length - 1]),
          Duration.ofNanos(Math.max(0, cpu)),
          peakHeap);
    }

    private void startNext() {
      int index = issued.getAndIncrement();
      if (index >= n) {
        return;
      }
      Request request;
      try {
        request =
            new Request.Builder().url(url).post(RequestBody.create(body(index), JSON)).build();
      } catch (IOException e) {
        complete(index, System.nanoTime(), false);
        return;
      }
      long start = System.nanoTime();
      client
          .newCall(request)
          .enqueue(
              new Callback() {
                @Override
                public void onResponse(Call call, Response response) {
                  boolean ok = false;
                  try (ResponseBody body = response.body()) {
                    if (response.isSuccessful()) {
                      JsonNode json = MAPPER.readTree(body.byteStream());
                      String content =
                          json.path("choices").path(0).path("message").path("content").asText(null);
                      if (content != null) {
                        contentChars.addAndGet(content.length());
                        ok = true;
                      }
                    }
                  } catch (IOException | RuntimeException e) {
                    ok = false;
                  }
                  complete(index, start, ok);
                }

                @Override
                public void onFailure(Call call, IOException e) {
                  complete(index, start, false);
                }
              });
    }

    private void complete(int index, long start, boolean ok) {
      latencies[index] = System.nanoTime() - start;
      if (!ok) {
        errors.incrementAndGet();
      }
      done.countDown();
      startNext();
    }

    /** The kind of body an LLM node sends: a system prompt, a user prompt, sampling options. */
    private static byte[] body(int index) throws IOException {
      ObjectNode root = MAPPER.createObjectNode();
      root.put("model", "sygra-fake");
      ArrayNode messages = root.putArray("messages");
      messages
          .addObject()
          .put("role", "system")
          .put("content", "You are a careful assistant that writes concise, factual answers.");
      messages
          .addObject()
          .put("role", "user")
          .put(
              "content",
              "Record "
                  + index
                  + ": explain the main idea of topic "
                  + index
                  + " in two sentences.");
      root.put("temperature", 0.7);
      root.put("max_tokens", 256);
      return MAPPER.writeValueAsBytes(root);
    }
  }

  private static long percentile(long[] sorted, double q) {
    int index = (int) Math.ceil(q * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
  }

  private static long processCpuNanos() {
    OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
      return sun.getProcessCpuTime();
    }
    return 0;
  }

  /**
   * Command line: {@code RawOkHttpLoop [--base-url URL] [--requests N] [--concurrency C] [--warmup
   * N] [--latency 20ms] [--response-tokens N]}. Without {@code --base-url} it starts an in-process
   * {@link FakeLlmServer} with the given latency and reply size and reports the client's CPU time
   * (process CPU minus the server loop's). Runs a warm-up pass first (default {@code min(N, 20000)}
   * requests), then the measured pass; prints the result.
   */
  public static void main(String[] args) {
    String baseUrl = null;
    int requests = 100_000;
    int concurrency = 64;
    int warmup = -1;
    Duration latency = Duration.ZERO;
    int responseTokens = 16;
    for (int i = 0; i < args.length; i++) {
      String option = args[i];
      if (option.equals("--help")) {
        System.out.println(
            "Usage: RawOkHttpLoop [--base-url URL] [--requests N] [--concurrency C] [--warmup N]"
                + " [--latency 20ms] [--response-tokens N]");
        return;
      }
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException("option " + option + " needs a value");
      }
      String value = args[++i];
      switch (option) {
        case "--base-url" -> baseUrl = value;
        case "--requests" -> requests = Integer.parseInt(value);
        case "--concurrency" -> concurrency = Integer.parseInt(value);
        case "--warmup" -> warmup = Integer.parseInt(value);
        case "--latency" -> latency = Durations.parse(value);
        case "--response-tokens" -> responseTokens = Integer.parseInt(value);
        default -> throw new IllegalArgumentException("unknown option " + option);
      }
    }
    if (warmup < 0) {
      warmup = Math.min(requests, 20_000);
    }
    FakeLlmServer server = null;
    if (baseUrl == null) {
      server =
          FakeLlmServer.builder()
              .latency(latency)
              .responseTokens(responseTokens)
              .trackRecords(false)
              .start();
      baseUrl = server.baseUrl();
    }
    try {
      if (warmup > 0) {
        System.out.println("warmup:   " + run(baseUrl, warmup, concurrency));
      }
      System.gc();
      Duration serverCpuBefore = server == null ? Duration.ZERO : server.eventLoopCpuTime();
      Result result = run(baseUrl, requests, concurrency);
      System.out.println("measured: " + result);
      if (server != null) {
        Duration serverCpu = server.eventLoopCpuTime().minus(serverCpuBefore);
        Duration clientCpu = result.cpuTime().minus(serverCpu);
        System.out.printf(
            Locale.ROOT,
            "in-process server loop cpu=%.3fs, client cpu=%.3fs (%.1fus/request)%n",
            serverCpu.toNanos() / 1e9,
            clientCpu.toNanos() / 1e9,
            clientCpu.toNanos() / 1000.0 / requests);
      }
      if (!latency.isZero()) {
        double ideal = concurrency / (latency.toNanos() / 1e9);
        System.out.printf(
            Locale.ROOT,
            "ideal C/L = %.0f records/s; achieved %.1f%%%n",
            ideal,
            100.0 * result.recordsPerSecond() / ideal);
      }
    } finally {
      if (server != null) {
        server.close();
      }
    }
  }
}
