package io.sygra.benchmarks.fake;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * A fast, loopback-only fake of an OpenAI-compatible server, for benchmarks and reliability tests.
 *
 * <p>One event-loop thread ({@code java.nio} selector) serves thousands of keep-alive connections;
 * latencies and slow bodies are timers polled by that loop, never sleeping threads. Endpoints:
 *
 * <ul>
 *   <li>{@code POST /v1/chat/completions}: the standard chat-completion JSON, or with {@code
 *       "stream": true} server-sent events ending with a usage chunk (unless {@code
 *       stream_options.include_usage} is false) and {@code data: [DONE]}. The text starts with the
 *       first eight words of the last user message and is filled up to the configured token count
 *       with deterministic words (one word = one completion token); {@code max_tokens}/{@code
 *       max_completion_tokens} cut it with {@code finish_reason: "length"}. With {@code
 *       response_format} {@code json_schema} the content is a JSON object satisfying the schema
 *       (all declared properties filled, enums take their first value, numbers stay within bounds);
 *       with {@code json_object} it is {@code {"answer": text}}.
 *   <li>{@code POST /v1/embeddings}: deterministic unit vectors per input text ({@code dimensions}
 *       and {@code encoding_format: base64} honoured).
 *   <li>{@code GET /v1/models}; {@code GET /stats} (the {@link #stats()} snapshot as JSON; add
 *       {@code ?records=true} for per-record counts); {@code POST /admin/reset}; {@code POST
 *       /admin/dead?enabled=true|false}.
 * </ul>
 *
 * <p>Every response carries {@code x-request-id}. Reply content depends only on the request body,
 * so retries of one request get the same answer. Faults and latencies are drawn from the seed and
 * the request's arrival number, so counts are reproducible. The path prefix {@code /v1} is
 * optional.
 *
 * <p>Thread-safety: all methods may be called from any thread. {@link #stats()}, {@link #reset()}
 * and {@link #setDead(boolean)} run on the event loop and see a consistent state.
 *
 * <pre>{@code
 * try (FakeLlmServer server = FakeLlmServer.builder()
 *     .latency(Duration.ofMillis(20))
 *     .faults(FaultConfig.rateLimited(0.1, Duration.ofMillis(50)))
 *     .seed(42)
 *     .start()) {
 *   String baseUrl = server.baseUrl(); // http://127.0.0.1:PORT/v1
 *   ...
 *   assertThat(server.stats().faultCount(FaultKind.RATE_LIMITED)).isEqualTo(...);
 * }
 * }</pre>
 *
 * <p>Command line: {@code java -cp ... io.sygra.benchmarks.fake.FakeLlmServer --port 8089 --latency
 * 20ms --rate-429 0.2} prints the base URL on the first line of stdout and runs until killed; see
 * {@code --help}.
 */
public final class FakeLlmServer implements AutoCloseable {

  /** Request header that forces a fault on one request; values as in {@link Fault#parse}. */
  public static final String FORCE_FAULT_HEADER = "x-sygra-fake-fault";

  /** The default request header whose value identifies the record a request belongs to. */
  public static final String DEFAULT_RECORD_HEADER = "x-sygra-record-id";

  private final ServerConfig config;
  private final EventLoop loop;
  private final Thread thread;
  private final int port;
  private volatile boolean closed;

  private FakeLlmServer(ServerConfig config) throws IOException {
    this.config = config;
    this.loop = new EventLoop(config);
    this.port = loop.port();
    this.thread = new Thread(loop, "sygra-fake-llm-" + port);
    thread.setDaemon(true);
    thread.start();
  }

  /** A builder with the defaults listed on its methods. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The record key of a request without a record header: {@code "msg:"} and 16 hex digits of a hash
   * of the last user message's text (for embeddings: of the JSON text of {@code input}).
   */
  public static String recordKeyOf(String lastUserMessage) {
    return "msg:" + Hashing.hex(Hashing.hash(lastUserMessage));
  }

  /** The port bound on 127.0.0.1. */
  public int port() {
    return port;
  }

  /** {@code http://127.0.0.1:PORT/v1}, the base URL an OpenAI client expects. */
  public String baseUrl() {
    return "http://127.0.0.1:" + port + "/v1";
  }

  /** A consistent snapshot of the counters; after {@link #close()}, the final one. */
  public FakeServerStats stats() {
    return loop.stats();
  }

  /**
   * Zeroes every counter, forgets per-record counts and fail-first attempts, restarts the window
   * clock and the arrival numbering (so the same request sequence meets the same faults again). The
   * dead switch is left as it is.
   */
  public void reset() {
    checkOpen();
    loop.reset();
  }

  /** Turns the "dead endpoint" mode on (every request gets HTTP 500 at once) or off. */
  public void setDead(boolean dead) {
    checkOpen();
    loop.setDead(dead);
  }

  /** Whether the dead-endpoint mode is on. */
  public boolean isDead() {
    return loop.isDead();
  }

  /** CPU time used so far by the event-loop thread, or zero if the JVM cannot measure it. */
  public Duration eventLoopCpuTime() {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    if (!threads.isThreadCpuTimeSupported()) {
      return Duration.ZERO;
    }
    long nanos = threads.getThreadCpuTime(thread.getId());
    return nanos < 0 ? Duration.ZERO : Duration.ofNanos(nanos);
  }

  /** Stops the loop and closes every connection. Idempotent. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    loop.shutdown();
    try {
      if (!loop.awaitTermination(10, TimeUnit.SECONDS)) {
        throw new IllegalStateException("fake LLM server on port " + port + " did not stop in 10s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Blocks until the server is closed. */
  void awaitClose() throws InterruptedException {
    thread.join();
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("fake LLM server on port " + port + " is closed");
    }
  }

  @Override
  public String toString() {
    return "FakeLlmServer{"
        + baseUrl()
        + ", latency="
        + config.latency()
        + ", responseTokens="
        + (config.minTokens() == config.maxTokens()
            ? config.minTokens()
            : config.minTokens() + ".." + config.maxTokens())
        + ", faults="
        + config.faults()
        + ", failFirst="
        + config.failFirst()
        + ", seed="
        + config.seed()
        + ", maxConcurrency="
        + config.maxConcurrency()
        + ", window="
        + Durations.format(config.window())
        + ", dead="
        + isDead()
        + "}";
  }

  /**
   * Runs the server from the command line until the process is killed. Prints the base URL as the
   * first line of stdout. Use {@code --help} for the options.
   */
  public static void main(String[] args) throws Exception {
    Builder builder;
    try {
      builder = CommandLine.parse(args);
    } catch (CommandLine.HelpRequested e) {
      System.out.println(CommandLine.USAGE);
      return;
    } catch (IllegalArgumentException e) {
      System.err.println("error: " + e.getMessage());
      System.err.println(CommandLine.USAGE);
      System.exit(2);
      return;
    }
    FakeLlmServer server = builder.start();
    Runtime.getRuntime().addShutdownHook(new Thread(server::close, "sygra-fake-llm-shutdown"));
    System.out.println(server.baseUrl());
    System.out.flush();
    System.err.println(server);
    server.awaitClose();
  }

  /** Configures and starts a {@link FakeLlmServer}. Setters validate at once. Not thread-safe. */
  public static final class Builder {
    private int port;
    private LatencyModel latency = LatencyModel.none();
    private int minTokens = 16;
    private int maxTokens = 16;
    private List<FaultConfig> faults = List.of();
    private final List<FailFirst> failFirst = new ArrayList<>();
    private long seed = 1;
    private int maxConcurrency;
    private Duration window = Duration.ofMinutes(1);
    private String recordHeader = DEFAULT_RECORD_HEADER;
    private boolean trackRecords = true;
    private int embeddingDimensions = 256;
    private List<String> models = List.of("sygra-fake");
    private Duration streamInterval = Duration.ZERO;
    private boolean dead;
    private Clock clock = Clock.systemUTC();

    private Builder() {}

    /** The port on 127.0.0.1; default 0 (an ephemeral port, see {@link #port()}). */
    public Builder port(int port) {
      if (port < 0 || port > 65_535) {
        throw new IllegalArgumentException("port must be in 0..65535 but was " + port);
      }
      this.port = port;
      return this;
    }

    /** A fixed latency before each API reply; default zero. */
    public Builder latency(Duration latency) {
      this.latency = LatencyModel.fixed(latency);
      return this;
    }

    /** The latency distribution of API replies; default no latency. */
    public Builder latency(LatencyModel latency) {
      this.latency = Objects.requireNonNull(latency, "latency");
      return this;
    }

    /** Completion tokens (words) per text reply; default 16. */
    public Builder responseTokens(int tokens) {
      return responseTokens(tokens, tokens);
    }

    /** Completion tokens per text reply, uniform in [min, max], chosen by the body's hash. */
    public Builder responseTokens(int min, int max) {
      Validation.atLeast("responseTokens min", min, 0);
      if (max < min || max > 1_000_000) {
        throw new IllegalArgumentException(
            "responseTokens max must be in " + min + "..1000000 but was " + max);
      }
      this.minTokens = min;
      this.maxTokens = max;
      return this;
    }

    /**
     * The random faults, replacing earlier ones; default none. Rates are per API request and
     * mutually exclusive (see {@link FaultConfig}); their sum must not exceed 1.
     */
    public Builder faults(FaultConfig... faults) {
      return faults(Arrays.asList(faults));
    }

    /** As {@link #faults(FaultConfig...)}. */
    public Builder faults(List<FaultConfig> faults) {
      List<FaultConfig> copy = List.copyOf(faults);
      double sum = copy.stream().mapToDouble(FaultConfig::rate).sum();
      if (sum > 1.0 + 1e-9) {
        throw new IllegalArgumentException("fault rates must sum to at most 1 but sum to " + sum);
      }
      this.faults = copy;
      return this;
    }

    /** The first {@code attempts} requests of every record get {@code fault}. */
    public Builder failFirst(int attempts, Fault fault) {
      return failFirst(new FailFirst(attempts, fault, Set.of()));
    }

    /** The first {@code attempts} requests of each of {@code recordKeys} get {@code fault}. */
    public Builder failFirst(int attempts, Fault fault, String... recordKeys) {
      return failFirst(new FailFirst(attempts, fault, Set.of(recordKeys)));
    }

    /** Adds a deterministic failure rule; rules are checked in the order added. */
    public Builder failFirst(FailFirst rule) {
      failFirst.add(Objects.requireNonNull(rule, "rule"));
      return this;
    }

    /** Seed of fault and latency draws; default 1. */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /**
     * At most this many API requests are served at once (from the start of their latency to the end
     * of their reply); more wait in a FIFO queue. Zero (the default) means no limit.
     */
    public Builder maxConcurrency(int maxConcurrency) {
      this.maxConcurrency = Validation.atLeast("maxConcurrency", maxConcurrency, 0);
      return this;
    }

    /** The length of a counting window (a scaled-down "minute"); default 1 minute, min 1 ms. */
    public Builder window(Duration window) {
      Validation.positive("window", window);
      if (window.toMillis() < 1) {
        throw new IllegalArgumentException("window must be at least 1ms but was " + window);
      }
      this.window = window;
      return this;
    }

    /**
     * The request header whose value is the record key; default {@value #DEFAULT_RECORD_HEADER}.
     * Requests without it (or all requests, if {@code null}) are keyed by {@link
     * FakeLlmServer#recordKeyOf(String)} of the last user message.
     */
    public Builder recordHeader(String header) {
      if (header != null && header.isBlank()) {
        throw new IllegalArgumentException("recordHeader must not be blank");
      }
      this.recordHeader = header;
      return this;
    }

    /** Whether to count requests per record (memory grows with records); default true. */
    public Builder trackRecords(boolean trackRecords) {
      this.trackRecords = trackRecords;
      return this;
    }

    /** Default embedding dimensions when a request names none; default 256. */
    public Builder embeddingDimensions(int dimensions) {
      Validation.atLeast("embeddingDimensions", dimensions, 1);
      if (dimensions > 65_536) {
        throw new IllegalArgumentException(
            "embeddingDimensions must be <= 65536 but was " + dimensions);
      }
      this.embeddingDimensions = dimensions;
      return this;
    }

    /** Model ids listed by {@code /v1/models}; the first is used when a request names none. */
    public Builder models(String... models) {
      if (models.length == 0) {
        throw new IllegalArgumentException("models must not be empty");
      }
      for (String model : models) {
        if (model == null || model.isBlank()) {
          throw new IllegalArgumentException("models must not contain blank ids");
        }
      }
      this.models = List.of(models);
      return this;
    }

    /** Pause between SSE events of a streamed reply; default zero (all events at once). */
    public Builder streamInterval(Duration interval) {
      this.streamInterval = Validation.nonNegative("streamInterval", interval);
      return this;
    }

    /** Starts in dead-endpoint mode (HTTP 500 for everything); default false. */
    public Builder dead(boolean dead) {
      this.dead = dead;
      return this;
    }

    /** The clock of counting windows and {@code created} fields; default UTC system clock. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Binds 127.0.0.1 and starts the event loop.
     *
     * @throws UncheckedIOException if the port cannot be bound
     */
    public FakeLlmServer start() {
      ServerConfig config =
          new ServerConfig(
              port,
              latency,
              minTokens,
              maxTokens,
              faults,
              failFirst,
              seed,
              maxConcurrency,
              window,
              recordHeader,
              trackRecords,
              embeddingDimensions,
              models,
              streamInterval,
              dead,
              clock);
      try {
        return new FakeLlmServer(config);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot bind the fake LLM server to 127.0.0.1:" + port, e);
      }
    }
  }
}
