package io.sygra.benchmarks.fake;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's single event-loop thread: accepts connections, parses requests, decides faults and
 * latencies, and writes replies. Delays are timers in a priority queue polled by the loop, so no
 * thread ever sleeps for a request. All state is confined to the loop thread; other threads talk to
 * it through {@link #call(Supplier)}.
 */
final class EventLoop implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(EventLoop.class);

  /** Timers due within this margin fire now, which bounds the error of a delay to about ±0.5 ms. */
  private static final long TIMER_SLACK_NANOS = 500_000L;

  private static final int STREAM_FAULT = 0;
  private static final int STREAM_LATENCY_1 = 1;
  private static final int STREAM_LATENCY_2 = 2;
  private static final byte[] SSE_DONE = "data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8);
  private static final byte[] CHUNKED_END = "0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);

  /** A pending delayed action. */
  static final class Timer implements Comparable<Timer> {
    final long deadline;
    final long order;
    final Runnable action;
    boolean cancelled;

    Timer(long deadline, long order, Runnable action) {
      this.deadline = deadline;
      this.order = order;
      this.action = action;
    }

    @Override
    public int compareTo(Timer other) {
      int c = Long.compare(deadline - other.deadline, 0);
      return c != 0 ? c : Long.compare(order, other.order);
    }
  }

  @FunctionalInterface
  private interface IoAction {
    void run() throws IOException;
  }

  private final ServerConfig config;
  private final Selector selector;
  private final ServerSocketChannel server;
  private final StatsRecorder stats;
  private final ReplyFactory replies;
  private final String recordHeader;
  private final PriorityQueue<Timer> timers = new PriorityQueue<>();
  private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
  private final ArrayDeque<Exchange> waiting = new ArrayDeque<>();
  private final CompletableFuture<Void> terminated = new CompletableFuture<>();

  private volatile boolean running = true;
  private volatile boolean dead;
  private volatile Thread thread;
  private volatile FakeServerStats finalStats;
  private long apiSequence;
  private long responseCounter;
  private long timerOrder;

  EventLoop(ServerConfig config) throws IOException {
    this.config = config;
    this.dead = config.dead();
    this.stats =
        new StatsRecorder(
            config.clock(), config.window(), config.trackRecords(), !config.failFirst().isEmpty());
    this.replies =
        new ReplyFactory(
            config.minTokens(), config.maxTokens(), config.embeddingDimensions(), config.models());
    this.recordHeader =
        config.recordHeader() == null ? null : config.recordHeader().toLowerCase(Locale.ROOT);
    this.selector = Selector.open();
    this.server = ServerSocketChannel.open();
    try {
      server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
      server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), config.port()), 4096);
      server.configureBlocking(false);
      server.register(selector, SelectionKey.OP_ACCEPT);
    } catch (IOException | RuntimeException e) {
      server.close();
      selector.close();
      throw e;
    }
  }

  int port() {
    return server.socket().getLocalPort();
  }

  Thread thread() {
    return thread;
  }

  boolean isDead() {
    return dead;
  }

  /** Runs {@code action} on the loop and returns its result (directly if already on the loop). */
  <T> T call(Supplier<T> action) {
    if (Thread.currentThread() == thread) {
      return action.get();
    }
    CompletableFuture<T> result = new CompletableFuture<>();
    tasks.add(
        () -> {
          try {
            result.complete(action.get());
          } catch (RuntimeException e) {
            result.completeExceptionally(e);
          }
        });
    selector.wakeup();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      try {
        return result.get(100, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for the fake server's loop", e);
      } catch (ExecutionException e) {
        throw new IllegalStateException("fake server loop task failed", e.getCause());
      } catch (TimeoutException e) {
        if (terminated.isDone()) {
          throw new ClosedException();
        }
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("the fake server's loop did not answer within 30s", e);
        }
      }
    }
  }

  /** The loop has stopped, so a task can no longer run on it. */
  static final class ClosedException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    ClosedException() {
      super("the fake server is closed");
    }
  }

  FakeServerStats stats() {
    FakeServerStats last = finalStats;
    if (last != null) {
      return last;
    }
    try {
      return call(() -> stats.snapshot(dead));
    } catch (ClosedException e) {
      return finalStats;
    }
  }

  void reset() {
    call(
        () -> {
          stats.reset();
          apiSequence = 0;
          return null;
        });
  }

  void setDead(boolean value) {
    call(
        () -> {
          dead = value;
          return null;
        });
  }

  void shutdown() {
    running = false;
    selector.wakeup();
  }

  boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
    try {
      terminated.get(timeout, unit);
      return true;
    } catch (ExecutionException e) {
      return true;
    } catch (TimeoutException e) {
      return false;
    }
  }

  @Override
  public void run() {
    thread = Thread.currentThread();
    try {
      while (running) {
        long timeout = selectTimeoutMillis();
        if (timeout < 0) {
          selector.selectNow(this::onSelected);
        } else {
          selector.select(this::onSelected, timeout);
        }
        runTasks();
        runTimers();
      }
    } catch (IOException | RuntimeException e) {
      LOG.error("fake LLM server loop failed; the server stops", e);
    } finally {
      finalStats = stats.snapshot(dead);
      for (SelectionKey key : new ArrayList<>(selector.keys())) {
        if (key.attachment() instanceof Connection c) {
          close(c);
        }
      }
      closeQuietly(server);
      closeQuietly(selector);
      running = false;
      terminated.complete(null);
    }
  }

  // ---------------------------------------------------------------- loop mechanics

  private long selectTimeoutMillis() {
    if (!tasks.isEmpty()) {
      return -1;
    }
    Timer next;
    while ((next = timers.peek()) != null && next.cancelled) {
      timers.poll();
    }
    if (next == null) {
      return 0; // block until I/O or a wakeup
    }
    long remaining = next.deadline - System.nanoTime();
    if (remaining <= TIMER_SLACK_NANOS) {
      return -1;
    }
    return Math.max(1, (remaining + 500_000L) / 1_000_000L);
  }

  private void runTasks() {
    Runnable task;
    while ((task = tasks.poll()) != null) {
      task.run();
    }
  }

  private void runTimers() {
    long now = System.nanoTime();
    Timer timer;
    while ((timer = timers.peek()) != null && timer.deadline - now <= TIMER_SLACK_NANOS) {
      timers.poll();
      if (!timer.cancelled) {
        timer.action.run();
      }
    }
  }

  private Timer schedule(Connection c, long delayNanos, IoAction action) {
    Timer timer = new Timer(System.nanoTime() + delayNanos, timerOrder++, () -> guarded(c, action));
    timers.add(timer);
    return timer;
  }

  private void onSelected(SelectionKey key) {
    if (key.isValid() && key.isAcceptable()) {
      accept();
      return;
    }
    Connection c = (Connection) key.attachment();
    guarded(
        c,
        () -> {
          if (key.isValid() && key.isWritable()) {
            c.onWritable();
          }
          if (!c.closed && key.isValid() && key.isReadable()) {
            if (c.read() < 0) {
              close(c); // the peer left; anything it was waiting for is cancelled
            } else {
              processInput(c);
            }
          }
        });
  }

  private void guarded(Connection c, IoAction action) {
    if (c.closed) {
      return;
    }
    try {
      action.run();
    } catch (HttpParser.HttpException e) {
      protocolError(c, e);
    } catch (IOException e) {
      close(c);
    } catch (RuntimeException e) {
      LOG.warn("fake LLM server: unexpected error on a connection; closing it", e);
      close(c);
    }
  }

  private void accept() {
    try {
      SocketChannel channel;
      while ((channel = server.accept()) != null) {
        channel.configureBlocking(false);
        channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        Connection c = new Connection(channel);
        c.key = channel.register(selector, SelectionKey.OP_READ, c);
        stats.connectionOpened();
      }
    } catch (IOException e) {
      // Typically too many open files: keep serving the connections we have.
      LOG.warn("fake LLM server: accept failed: {}", e.toString());
    }
  }

  private void close(Connection c) {
    if (c.closed) {
      return;
    }
    c.closed = true;
    if (c.exchange != null) {
      cancel(c.exchange);
      c.exchange = null;
    }
    stats.connectionClosed();
    c.key.cancel();
    closeQuietly(c.channel);
  }

  private static void closeQuietly(java.io.Closeable closeable) {
    try {
      closeable.close();
    } catch (IOException e) {
      // Nothing useful to do: the resource is gone either way.
    }
  }

  private void protocolError(Connection c, HttpParser.HttpException e) {
    if (c.exchange != null) {
      close(c);
      return;
    }
    try {
      byte[] body = replies.error(e.getMessage(), "invalid_request_error", null);
      stats.status(e.status);
      // Stop reading: whatever follows a broken request cannot be trusted.
      c.key.interestOps(c.key.interestOps() & ~SelectionKey.OP_READ);
      c.send(concat(head(e.status, "application/json", body.length, nextRequestId(), false), body));
      c.whenFlushed(() -> close(c));
    } catch (IOException | RuntimeException ignored) {
      close(c);
    }
  }

  private void processInput(Connection c) throws IOException {
    if (c.processing) {
      return; // the outer call picks up the next request
    }
    c.processing = true;
    try {
      while (!c.closed && c.exchange == null) {
        ParsedRequest request = c.nextRequest();
        if (request == null) {
          return;
        }
        handle(c, request);
      }
    } finally {
      c.processing = false;
    }
  }

  // ---------------------------------------------------------------- routing

  private void handle(Connection c, ParsedRequest request) throws IOException {
    Exchange x = new Exchange(c, request, nextRequestId());
    c.exchange = x;
    String method = request.method();
    String path = request.path();
    if (path.equals("/stats") || path.equals("/v1/stats")) {
      if (!method.equals("GET")) {
        methodNotAllowed(x);
        return;
      }
      String records = request.queryParameter("records");
      boolean includeRecords = records != null && !records.equals("false");
      sendJson(
          x, 200, stats.snapshot(dead).toJson(includeRecords).getBytes(StandardCharsets.UTF_8));
      return;
    }
    if (path.startsWith("/admin/")) {
      admin(x);
      return;
    }
    String route = path.startsWith("/v1/") ? path.substring(3) : path;
    stats.request(method + " " + path);
    if (dead) {
      sendError(x, 500, "The server is down (simulated dead endpoint).", "server_error", null);
      return;
    }
    switch (route) {
      case "/chat/completions" -> {
        if (method.equals("POST")) {
          api(x, Exchange.Endpoint.CHAT);
        } else {
          methodNotAllowed(x);
        }
      }
      case "/embeddings" -> {
        if (method.equals("POST")) {
          api(x, Exchange.Endpoint.EMBEDDINGS);
        } else {
          methodNotAllowed(x);
        }
      }
      case "/models" -> {
        if (method.equals("GET")) {
          sendJson(x, 200, replies.models(createdSeconds()));
        } else {
          methodNotAllowed(x);
        }
      }
      default ->
          sendError(
              x,
              404,
              "Unknown request URL: " + method + " " + path + " (fake LLM server)",
              "invalid_request_error",
              "unknown_url");
    }
  }

  private void admin(Exchange x) throws IOException {
    if (!x.request.method().equals("POST")) {
      methodNotAllowed(x);
      return;
    }
    switch (x.request.path()) {
      case "/admin/reset" -> {
        stats.reset();
        apiSequence = 0;
      }
      case "/admin/dead" -> {
        String enabled = x.request.queryParameter("enabled");
        dead = enabled == null || !enabled.equals("false");
      }
      default -> {
        sendError(x, 404, "Unknown admin URL: " + x.request.path(), "invalid_request_error", null);
        return;
      }
    }
    sendJson(x, 200, ("{\"ok\":true,\"dead\":" + dead + "}").getBytes(StandardCharsets.UTF_8));
  }

  private void methodNotAllowed(Exchange x) throws IOException {
    sendError(
        x,
        405,
        "Method " + x.request.method() + " is not allowed on " + x.request.path(),
        "invalid_request_error",
        null);
  }

  // ---------------------------------------------------------------- API requests

  private void api(Exchange x, Exchange.Endpoint endpoint) throws IOException {
    long sequence = apiSequence++;
    x.endpoint = endpoint;
    x.window = stats.apiRequest();
    JsonNode json;
    try {
      json = replies.mapper.readTree(x.request.body());
    } catch (IOException e) {
      sendError(
          x,
          400,
          "The request body is not valid JSON: " + e.getMessage(),
          "invalid_request_error",
          null);
      return;
    }
    String problem =
        json == null || !json.isObject()
            ? "the request body must be a JSON object"
            : endpoint == Exchange.Endpoint.CHAT
                ? ReplyFactory.validateChat(json)
                : ReplyFactory.validateEmbeddings(json);
    if (problem == null && endpoint == Exchange.Endpoint.EMBEDDINGS) {
      int dimensions = json.path("dimensions").asInt(config.embeddingDimensions());
      if (dimensions < 1 || dimensions > 65_536) {
        problem = "'dimensions' must be in 1..65536 but was " + dimensions;
      }
    }
    if (problem != null) {
      sendError(x, 400, problem, "invalid_request_error", null);
      return;
    }
    x.json = json;
    x.bodyHash = Hashing.hash(x.request.body());
    x.stream = endpoint == Exchange.Endpoint.CHAT && json.path("stream").asBoolean(false);
    x.includeUsage = json.path("stream_options").path("include_usage").asBoolean(true);
    String recordKey = recordKey(x.request, json, endpoint);
    long attempt = stats.recordAttempt(recordKey);
    Fault fault;
    try {
      fault = decideFault(x.request, sequence, recordKey, attempt);
    } catch (IllegalArgumentException e) {
      sendError(x, 400, e.getMessage(), "invalid_request_error", null);
      return;
    }
    x.fault = fault;
    x.latencyNanos =
        config
            .latency()
            .sampleNanos(
                Hashing.uniform(config.seed(), sequence, STREAM_LATENCY_1),
                Hashing.uniform(config.seed(), sequence, STREAM_LATENCY_2));
    if (fault != null) {
      stats.fault(fault.kind());
    }
    if (fault instanceof Fault.RateLimited limited) {
      long millis = limited.retryAfter().toMillis();
      sendError(
          x,
          429,
          "Rate limit reached for requests (simulated). Please try again in " + millis + "ms.",
          "requests",
          "rate_limit_exceeded",
          "retry-after",
          Long.toString((millis + 999) / 1000),
          "retry-after-ms",
          Long.toString(millis),
          "x-ratelimit-remaining-requests",
          "0");
      return;
    }
    if (fault instanceof Fault.ConnectionReset) {
      x.conn.resetAbruptly();
      close(x.conn);
      return;
    }
    acquireSlot(x);
  }

  private String recordKey(ParsedRequest request, JsonNode json, Exchange.Endpoint endpoint) {
    if (recordHeader != null) {
      String value = request.header(recordHeader);
      if (value != null) {
        return value;
      }
    }
    return endpoint == Exchange.Endpoint.CHAT
        ? FakeLlmServer.recordKeyOf(ReplyFactory.lastUserText(json))
        : FakeLlmServer.recordKeyOf(json.get("input").toString());
  }

  private Fault decideFault(ParsedRequest request, long sequence, String recordKey, long attempt) {
    String forced = request.header(FakeLlmServer.FORCE_FAULT_HEADER);
    if (forced != null) {
      return Fault.parse(forced);
    }
    for (FailFirst failFirst : config.failFirst()) {
      if (failFirst.applies(recordKey, attempt)) {
        return failFirst.fault();
      }
    }
    if (config.faults().isEmpty()) {
      return null;
    }
    double u = Hashing.uniform(config.seed(), sequence, STREAM_FAULT);
    double edge = 0;
    for (FaultConfig fault : config.faults()) {
      edge += fault.rate();
      if (u < edge) {
        return fault.fault();
      }
    }
    return null;
  }

  private void acquireSlot(Exchange x) {
    if (config.maxConcurrency() == 0 || stats.inFlight() < config.maxConcurrency()) {
      startService(x);
    } else {
      x.queued = true;
      waiting.add(x);
      stats.queuedChanged(1);
    }
  }

  private void releaseSlot(Exchange x) {
    if (!x.holdsSlot) {
      return;
    }
    x.holdsSlot = false;
    stats.slotReleased();
    while (!waiting.isEmpty()
        && (config.maxConcurrency() == 0 || stats.inFlight() < config.maxConcurrency())) {
      Exchange next = waiting.poll();
      next.queued = false;
      stats.queuedChanged(-1);
      startService(next);
    }
  }

  private void startService(Exchange x) {
    x.holdsSlot = true;
    stats.slotAcquired();
    // Always through the timer queue, even for zero latency, so completions never recurse.
    x.timer = schedule(x.conn, x.latencyNanos, () -> serve(x));
  }

  private void cancel(Exchange x) {
    x.cancelled = true;
    x.finished = true;
    if (x.timer != null) {
      x.timer.cancelled = true;
      x.timer = null;
    }
    if (x.queued) {
      x.queued = false;
      waiting.remove(x);
      stats.queuedChanged(-1);
    }
    releaseSlot(x);
  }

  private void serve(Exchange x) throws IOException {
    x.timer = null;
    if (x.cancelled) {
      return;
    }
    Fault fault = x.fault;
    if (fault instanceof Fault.Hang) {
      return; // holds its slot until the client gives up and closes the connection
    }
    if (fault instanceof Fault.LateAnswer late) {
      x.timer = schedule(x.conn, late.delay().toNanos(), () -> reply(x, null));
      return;
    }
    if (fault instanceof Fault.ServerError error) {
      sendError(
          x,
          error.status(),
          error.status() == 503
              ? "The server is overloaded or not ready yet (simulated)."
              : "The server had an error while processing your request (simulated).",
          "server_error",
          null);
      return;
    }
    reply(x, fault);
  }

  /** Sends the normal reply, or its malformed or slow variant. */
  private void reply(Exchange x, Fault fault) throws IOException {
    x.timer = null;
    if (x.cancelled) {
      return;
    }
    String id = x.requestId.substring("req_".length());
    long created = createdSeconds();
    boolean malformed = fault instanceof Fault.MalformedJson;
    byte[] head;
    byte[] body;
    List<byte[]> frames = null;
    if (x.endpoint == Exchange.Endpoint.CHAT) {
      ReplyFactory.ChatReply reply = replies.chat(x.json, x.bodyHash);
      stats.tokens(x.window, reply.promptTokens(), reply.completionTokens());
      if (x.stream) {
        List<byte[]> events = replies.chatChunks(reply, "chatcmpl-" + id, created, x.includeUsage);
        if (malformed) {
          byte[] cut = events.get(Math.min(1, events.size() - 1));
          events = List.of(events.get(0), Arrays.copyOf(cut, cut.length / 2));
        }
        frames = new ArrayList<>(events.size() + 1);
        for (byte[] event : events) {
          frames.add(chunkFrame(concat(bytes("data: "), event, bytes("\n\n"))));
        }
        frames.add(chunkFrame(SSE_DONE));
        head = head(200, "text/event-stream; charset=utf-8", -1, x.requestId, !x.closeAfter);
        body = null;
      } else {
        body = replies.chatCompletion(reply, "chatcmpl-" + id, created);
        head = null;
      }
    } else {
      ReplyFactory.EmbeddingReply reply = replies.embeddings(x.json);
      stats.tokens(x.window, reply.promptTokens(), 0);
      body = reply.json();
      head = null;
    }
    if (body != null) {
      if (malformed) {
        body = Arrays.copyOf(body, body.length / 2);
      }
      head = head(200, "application/json", body.length, x.requestId, !x.closeAfter);
    }
    List<byte[]> pieces = new ArrayList<>();
    long interval = 0;
    if (fault instanceof Fault.SlowBody slow) {
      byte[] all = body != null ? body : concat(concat(frames), CHUNKED_END);
      int n = Math.min(slow.pieces(), Math.max(1, all.length));
      pieces.add(head);
      for (int i = 0; i < n; i++) {
        pieces.add(Arrays.copyOfRange(all, i * all.length / n, (i + 1) * all.length / n));
      }
      interval = slow.interval().toNanos();
    } else if (body != null) {
      pieces.add(concat(head, body));
    } else if (!config.streamInterval().isZero()) {
      pieces.add(concat(head, frames.get(0)));
      for (int i = 1; i < frames.size(); i++) {
        pieces.add(i == frames.size() - 1 ? concat(frames.get(i), CHUNKED_END) : frames.get(i));
      }
      interval = config.streamInterval().toNanos();
    } else {
      pieces.add(concat(head, concat(frames), CHUNKED_END));
    }
    stats.status(200);
    sendPiece(x, pieces, 0, interval);
  }

  private void sendPiece(Exchange x, List<byte[]> pieces, int index, long interval)
      throws IOException {
    x.timer = null;
    if (x.cancelled) {
      return;
    }
    x.conn.send(pieces.get(index));
    if (index + 1 < pieces.size()) {
      x.timer = schedule(x.conn, interval, () -> sendPiece(x, pieces, index + 1, interval));
    } else {
      x.conn.whenFlushed(() -> finish(x));
    }
  }

  // ---------------------------------------------------------------- responses

  private void sendJson(Exchange x, int status, byte[] body, String... headers) throws IOException {
    stats.status(status);
    x.conn.send(
        concat(
            head(status, "application/json", body.length, x.requestId, !x.closeAfter, headers),
            body));
    x.conn.whenFlushed(() -> finish(x));
  }

  private void sendError(
      Exchange x, int status, String message, String type, String code, String... headers)
      throws IOException {
    sendJson(x, status, replies.error(message, type, code), headers);
  }

  /** Ends an exchange once its response is on the wire: frees its slot, then reads on. */
  private void finish(Exchange x) {
    if (x.finished) {
      return;
    }
    x.finished = true;
    releaseSlot(x);
    Connection c = x.conn;
    if (c.exchange == x) {
      c.exchange = null;
    }
    if (x.closeAfter) {
      close(c);
    } else {
      guarded(c, () -> processInput(c));
    }
  }

  private String nextRequestId() {
    return "req_" + Hashing.hex(++responseCounter);
  }

  private long createdSeconds() {
    return config.clock().millis() / 1000;
  }

  private static final String[] REASONS = new String[600];

  static {
    REASONS[200] = "OK";
    REASONS[400] = "Bad Request";
    REASONS[404] = "Not Found";
    REASONS[405] = "Method Not Allowed";
    REASONS[413] = "Payload Too Large";
    REASONS[429] = "Too Many Requests";
    REASONS[431] = "Request Header Fields Too Large";
    REASONS[500] = "Internal Server Error";
    REASONS[502] = "Bad Gateway";
    REASONS[503] = "Service Unavailable";
    REASONS[504] = "Gateway Timeout";
  }

  /** A response head; {@code contentLength < 0} means chunked transfer encoding. */
  private static byte[] head(
      int status,
      String contentType,
      long contentLength,
      String requestId,
      boolean keepAlive,
      String... headers) {
    StringBuilder sb = new StringBuilder(192);
    String reason = status < REASONS.length && REASONS[status] != null ? REASONS[status] : "Status";
    sb.append("HTTP/1.1 ").append(status).append(' ').append(reason).append("\r\n");
    sb.append("content-type: ").append(contentType).append("\r\n");
    if (contentLength >= 0) {
      sb.append("content-length: ").append(contentLength).append("\r\n");
    } else {
      sb.append("transfer-encoding: chunked\r\ncache-control: no-cache\r\n");
    }
    sb.append("x-request-id: ").append(requestId).append("\r\n");
    for (int i = 0; i + 1 < headers.length; i += 2) {
      sb.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
    }
    if (!keepAlive) {
      sb.append("connection: close\r\n");
    }
    sb.append("\r\n");
    return sb.toString().getBytes(StandardCharsets.ISO_8859_1);
  }

  private static byte[] chunkFrame(byte[] payload) {
    return concat(bytes(Integer.toHexString(payload.length) + "\r\n"), payload, bytes("\r\n"));
  }

  private static byte[] bytes(String ascii) {
    return ascii.getBytes(StandardCharsets.ISO_8859_1);
  }

  private static byte[] concat(byte[]... parts) {
    int length = 0;
    for (byte[] part : parts) {
      length += part.length;
    }
    byte[] all = new byte[length];
    int offset = 0;
    for (byte[] part : parts) {
      System.arraycopy(part, 0, all, offset, part.length);
      offset += part.length;
    }
    return all;
  }

  private static byte[] concat(List<byte[]> parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    parts.forEach(out::writeBytes);
    return out.toByteArray();
  }
}
