package io.sygra.llm;

import io.sygra.core.ConfigurationException;
import io.sygra.core.run.ReportContributor;
import io.sygra.llm.internal.LenientJson;
import io.sygra.llm.internal.NodeJson;
import io.sygra.llm.internal.ReplyPrompts;
import io.sygra.llm.internal.SchemaSampler;
import io.sygra.llm.internal.TextSynth;
import io.sygra.llm.internal.TokenCounter;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An offline model for samples, tests and dry runs: deterministic for a given seed and request, no
 * network, realistic shapes.
 *
 * <ul>
 *   <li><b>Scripted replies</b>: the first {@link Builder#responder responder} whose predicate
 *       matches the request supplies the reply text (judge JSON, markers a recipe looks for...).
 *   <li><b>Tool calls</b>: when tools are offered (and {@code tool_choice} is not {@code none}) and
 *       no tool result follows the last user message, it calls the tool that best matches the
 *       prompt (or the one {@code tool_choice} names), with arguments that satisfy the tool's
 *       parameter schema. After tool results, it answers in text citing them.
 *   <li><b>Structured output</b>: for {@code response_format: json_schema}, or format instructions
 *       written by {@link StructuredOutput#formatInstructions()}, it replies with JSON that
 *       satisfies the schema (required properties, types, enums, bounds, array sizes).
 *   <li><b>Text</b>: a few plausible sentences built from the prompt's content words; about {@code
 *       0.6 × max_tokens} words when {@code max_tokens} is set (40 to 80 otherwise); stop sequences
 *       are honoured.
 * </ul>
 *
 * <p>Usage is counted with a real tokenizer (cl100k_base). Optional {@link Builder#latency latency}
 * is simulated with a scheduler; no thread ever sleeps. As a {@link ReportContributor} it announces
 * {@link #NOTICE} before a run and adds a {@code simulatedModel} report section.
 *
 * <p>Thread-safe. Responses depend only on the seed and the request's model, messages, tools, tool
 * choice, response format, max tokens, temperature, seed and stop sequences.
 */
public final class SimulatedModelClient implements ModelClient, ReportContributor {
  /** The notice printed before a run that uses this client. */
  public static final String NOTICE =
      "SIMULATED MODEL: offline, deterministic output — not from a real LLM (set"
          + " OPENAI_API_KEY/SYGRA_BASE_URL for a real endpoint)";

  /** The report section this client adds. */
  public static final String SECTION = "simulatedModel";

  private static final Pattern SCHEMA_BLOCK =
      Pattern.compile(
          Pattern.quote(ReplyPrompts.SCHEMA_MARKER) + "\\s*```json\\s*\\n(.*?)\\n```",
          Pattern.DOTALL);

  private static final Pattern ASKS_FOR_QUESTION =
      Pattern.compile(
          "\\b(write|generate|ask|create|pose|propose|formulate)\\b[^.?!\\n]*\\bquestion",
          Pattern.CASE_INSENSITIVE);

  private record Responder(Predicate<ChatRequest> when, Function<ChatRequest, String> reply) {}

  private final long seed;
  private final String name;
  private final String defaultModel;
  private final List<Responder> responders;
  private final Duration minLatency;
  private final Duration maxLatency;
  private final ScheduledExecutorService scheduler;
  private final boolean ownsScheduler;

  private final LongAdder requests = new LongAdder();
  private final LongAdder scripted = new LongAdder();
  private final LongAdder toolCallReplies = new LongAdder();
  private final LongAdder jsonReplies = new LongAdder();
  private final LongAdder promptTokens = new LongAdder();
  private final LongAdder completionTokens = new LongAdder();

  private SimulatedModelClient(Builder b) {
    this.seed = b.seed;
    this.name = b.name;
    this.defaultModel = b.defaultModel;
    this.responders = List.copyOf(b.responders);
    this.minLatency = b.minLatency;
    this.maxLatency = b.maxLatency;
    boolean needsScheduler = !maxLatency.isZero();
    if (b.scheduler != null) {
      this.scheduler = b.scheduler;
      this.ownsScheduler = false;
    } else if (needsScheduler) {
      this.scheduler =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread t = new Thread(r, "sygra-simulated-model");
                t.setDaemon(true);
                return t;
              });
      this.ownsScheduler = true;
    } else {
      this.scheduler = null;
      this.ownsScheduler = false;
    }
  }

  /** A simulated model with seed 0 and no latency. */
  public static SimulatedModelClient create() {
    return builder().build();
  }

  /** A new builder. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Answers {@code request}: the future is already complete, or completes on the scheduler after
   * the simulated latency. A throwing responder fails it with a non-retryable {@link
   * ModelException}.
   */
  @Override
  public CompletableFuture<ChatResponse> chat(ChatRequest request) {
    Objects.requireNonNull(request, "request");
    ChatResponse r;
    try {
      r = respond(request);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(
          new ModelException(
              provider(), modelOf(request), -1, null, "simulated reply failed: " + e, false, e));
    }
    if (r.latency().isZero()) {
      return CompletableFuture.completedFuture(r);
    }
    CompletableFuture<ChatResponse> f = new CompletableFuture<>();
    scheduler.schedule((Runnable) () -> f.complete(r), r.latency().toNanos(), TimeUnit.NANOSECONDS);
    return f;
  }

  /** Computes the reply for {@code request}, without latency. Deterministic. */
  ChatResponse respond(ChatRequest request) {
    SplittableRandom rng = new SplittableRandom(hash(request));
    String model = modelOf(request);
    String lastUser = lastText(request, ChatMessage.Role.USER);
    List<String> words = TextSynth.topicWords(lastUser, 12);
    if (words.isEmpty()) {
      words = TextSynth.topicWords(allText(request), 12);
    }
    String text = null;
    List<ToolCall> calls = List.of();
    String finish = "stop";
    Responder scriptedBy = null;
    for (Responder r : responders) {
      if (r.when().test(request)) {
        scriptedBy = r;
        break;
      }
    }
    if (scriptedBy != null) {
      text =
          Objects.requireNonNull(
              scriptedBy.reply().apply(request), "a simulated-model responder returned null");
      scripted.increment();
    } else if (wantsToolCall(request)) {
      calls = List.of(toolCall(request, rng, lastUser, words));
      finish = "tool_calls";
      toolCallReplies.increment();
    } else {
      Map<String, Object> schema = requestedSchema(request);
      if (schema != null) {
        Object value = new SchemaSampler(schema, rng, words).sample();
        text = NodeJson.write(value);
        jsonReplies.increment();
      } else if (request.responseFormat() instanceof ResponseFormat.JsonObject) {
        Map<String, Object> obj = new LinkedHashMap<>();
        obj.put("answer", prose(request, rng, words));
        text = NodeJson.write(obj);
        jsonReplies.increment();
      } else if (hasToolResult(request)) {
        text = afterTools(request, rng, words);
      } else if (lastUser != null && ASKS_FOR_QUESTION.matcher(lastUser).find()) {
        text = TextSynth.question(rng, words);
      } else {
        text = prose(request, rng, words);
      }
    }
    if (text != null) {
      text = applyStop(text, request.stop());
    }
    long prompt = promptTokens(request);
    long completion = completionTokens(text, calls);
    requests.increment();
    promptTokens.add(prompt);
    completionTokens.add(completion);
    Duration latency = latency(rng);
    String requestId = "sim-" + Long.toHexString(rng.nextLong() & 0xffffffffffffL);
    return new ChatResponse(
        text,
        calls,
        finish,
        null,
        new Usage(prompt, completion, prompt + completion, null, null),
        model,
        requestId,
        latency,
        provider());
  }

  private String modelOf(ChatRequest request) {
    return request.model() == null ? defaultModel : request.model();
  }

  private boolean wantsToolCall(ChatRequest request) {
    if (request.tools().isEmpty() || "none".equals(request.toolChoice())) {
      return false;
    }
    return !hasToolResult(request);
  }

  /** True when a tool result follows the last user message. */
  private static boolean hasToolResult(ChatRequest request) {
    List<ChatMessage> ms = request.messages();
    for (int i = ms.size() - 1; i >= 0; i--) {
      ChatMessage.Role role = ms.get(i).role();
      if (role == ChatMessage.Role.TOOL) {
        return true;
      }
      if (role == ChatMessage.Role.USER) {
        return false;
      }
    }
    return false;
  }

  private ToolCall toolCall(
      ChatRequest request, SplittableRandom rng, String lastUser, List<String> words) {
    List<ToolDefinition> tools = request.tools();
    ToolDefinition chosen = null;
    String choice = request.toolChoice();
    if (choice != null && !choice.equals("auto") && !choice.equals("required")) {
      for (ToolDefinition t : tools) {
        if (t.name().equals(choice)) {
          chosen = t;
        }
      }
    }
    if (chosen == null) {
      String prompt = lastUser == null ? "" : lastUser.toLowerCase(Locale.ROOT);
      int best = -1;
      for (ToolDefinition t : tools) {
        int score = 0;
        for (String w :
            TextSynth.topicWords(t.name().replace('_', ' ') + " " + t.description(), 20)) {
          if (prompt.contains(w)) {
            score++;
          }
        }
        if (score > best) {
          best = score;
          chosen = t;
        }
      }
      if (best == 0) {
        chosen = tools.get(rng.nextInt(tools.size()));
      }
    }
    Object args = new SchemaSampler(chosen.parameters(), rng, words).sample();
    String id = "call_" + Long.toHexString(rng.nextLong() & 0xffffffffffL);
    return new ToolCall(id, chosen.name(), NodeJson.write(args));
  }

  /** The JSON schema the request asks for natively or through format instructions, or null. */
  @SuppressWarnings("unchecked")
  private static Map<String, Object> requestedSchema(ChatRequest request) {
    if (request.responseFormat() instanceof ResponseFormat.JsonSchema js) {
      return js.schema();
    }
    List<ChatMessage> ms = request.messages();
    for (int i = ms.size() - 1; i >= 0; i--) {
      String t = ms.get(i).text();
      if (t == null || !t.contains(ReplyPrompts.SCHEMA_MARKER)) {
        continue;
      }
      Matcher m = SCHEMA_BLOCK.matcher(t);
      if (m.find()) {
        try {
          Object schema = LenientJson.read(m.group(1), LenientJson.Root.OBJECT);
          return (Map<String, Object>) schema;
        } catch (LenientJson.Problem p) {
          return null;
        }
      }
    }
    return null;
  }

  private static String prose(ChatRequest request, SplittableRandom rng, List<String> words) {
    int target;
    if (request.maxTokens() == null) {
      target = 40 + rng.nextInt(41);
    } else {
      target = (int) Math.max(1, Math.min(400, Math.round(request.maxTokens() * 0.6)));
    }
    String text = TextSynth.paragraph(rng, words, target);
    if (request.maxTokens() != null) {
      // Never exceed the token budget, whatever the words tokenize to.
      while (TokenCounter.count(text) > request.maxTokens() && text.length() > 1) {
        int space = text.lastIndexOf(' ');
        text = space > 0 ? text.substring(0, space) : text.substring(0, text.length() - 1);
      }
    }
    return text;
  }

  private static String afterTools(ChatRequest request, SplittableRandom rng, List<String> words) {
    StringBuilder sb = new StringBuilder();
    List<ChatMessage> ms = request.messages();
    int n = 0;
    for (ChatMessage m : ms) {
      if (m.role() == ChatMessage.Role.TOOL && m.text() != null) {
        if (n++ > 0) {
          sb.append(' ');
        }
        String tool = m.name() == null ? "tool" : m.name();
        sb.append("According to ")
            .append(tool)
            .append(": ")
            .append(TextSynth.excerpt(m.text(), 25));
        if (sb.charAt(sb.length() - 1) != '.') {
          sb.append('.');
        }
      }
    }
    sb.append(' ').append(TextSynth.sentence(rng, words));
    return sb.toString();
  }

  private static String applyStop(String text, List<String> stop) {
    int cut = text.length();
    for (String s : stop) {
      int i = s.isEmpty() ? -1 : text.indexOf(s);
      if (i >= 0 && i < cut) {
        cut = i;
      }
    }
    return text.substring(0, cut);
  }

  private static String lastText(ChatRequest request, ChatMessage.Role role) {
    List<ChatMessage> ms = request.messages();
    for (int i = ms.size() - 1; i >= 0; i--) {
      if (ms.get(i).role() == role && ms.get(i).text() != null) {
        return ms.get(i).text();
      }
    }
    return null;
  }

  private static String allText(ChatRequest request) {
    StringBuilder sb = new StringBuilder();
    for (ChatMessage m : request.messages()) {
      if (m.text() != null) {
        sb.append(m.text()).append('\n');
      }
    }
    return sb.toString();
  }

  /** Prompt tokens as OpenAI counts chat input: 3 per message + content, 3 for the reply primer. */
  private static long promptTokens(ChatRequest request) {
    long n = 3;
    for (ChatMessage m : request.messages()) {
      n +=
          3
              + TokenCounter.count(m.text())
              + (m.name() == null ? 0 : 1 + TokenCounter.count(m.name()));
      for (ToolCall tc : m.toolCalls()) {
        n += 3 + TokenCounter.count(tc.name()) + TokenCounter.count(tc.arguments());
      }
      n += m.isMultimodal() ? 85 : 0; // a low-detail image, as OpenAI bills it
    }
    for (ToolDefinition t : request.tools()) {
      n +=
          8
              + TokenCounter.count(t.name())
              + TokenCounter.count(t.description())
              + TokenCounter.count(NodeJson.write(t.parameters()));
    }
    if (request.responseFormat() instanceof ResponseFormat.JsonSchema js) {
      n += TokenCounter.count(NodeJson.write(js.schema()));
    }
    return n;
  }

  private static long completionTokens(String text, List<ToolCall> calls) {
    long n = TokenCounter.count(text);
    for (ToolCall c : calls) {
      n += 3 + TokenCounter.count(c.name()) + TokenCounter.count(c.arguments());
    }
    return Math.max(1, n);
  }

  private Duration latency(SplittableRandom rng) {
    if (maxLatency.isZero()) {
      return Duration.ZERO;
    }
    long lo = minLatency.toNanos();
    long hi = maxLatency.toNanos();
    return Duration.ofNanos(hi == lo ? lo : lo + Math.floorMod(rng.nextLong(), hi - lo + 1));
  }

  /** A 64-bit hash of the seed and the parts of the request that shape the reply. */
  private long hash(ChatRequest r) {
    Map<String, Object> m = new TreeMap<>();
    m.put("seed", seed);
    m.put("model", modelOf(r));
    List<Object> msgs = new ArrayList<>();
    for (ChatMessage cm : r.messages()) {
      Map<String, Object> x = new LinkedHashMap<>();
      x.put("r", cm.role().wireName());
      x.put("t", cm.text());
      x.put("n", cm.name());
      x.put("id", cm.toolCallId());
      List<Object> calls = new ArrayList<>();
      cm.toolCalls().forEach(c -> calls.add(List.of(c.id(), c.name(), c.arguments())));
      x.put("c", calls);
      msgs.add(x);
    }
    m.put("messages", msgs);
    List<Object> tools = new ArrayList<>();
    r.tools().forEach(t -> tools.add(List.of(t.name(), t.description(), t.parameters())));
    m.put("tools", tools);
    m.put("toolChoice", r.toolChoice());
    m.put("format", formatKey(r.responseFormat()));
    m.put("maxTokens", r.maxTokens());
    m.put("temperature", r.temperature());
    m.put("requestSeed", r.seed());
    m.put("stop", r.stop());
    try {
      byte[] d =
          MessageDigest.getInstance("SHA-256")
              .digest(NodeJson.canonical(m).getBytes(StandardCharsets.UTF_8));
      long h = 0;
      for (int i = 0; i < 8; i++) {
        h = (h << 8) | (d[i] & 0xff);
      }
      return h;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Object formatKey(ResponseFormat f) {
    if (f == null) {
      return null;
    }
    if (f instanceof ResponseFormat.JsonSchema js) {
      return List.of("json_schema", js.name(), js.schema());
    }
    return f.getClass().getSimpleName();
  }

  @Override
  public String provider() {
    return "simulated";
  }

  /** Stops the latency scheduler when this client created it. */
  @Override
  public void close() {
    if (ownsScheduler) {
      scheduler.shutdownNow();
    }
  }

  @Override
  public List<String> notices() {
    return List.of(NOTICE);
  }

  /** Adds {@code simulatedModel: {name: {requests, scripted, toolCalls, json, tokens...}}}. */
  @Override
  public void contribute(Map<String, Object> sections) {
    Map<String, Object> merged = new TreeMap<>();
    if (sections.get(SECTION) instanceof Map<?, ?> existing) {
      existing.forEach((k, v) -> merged.put(String.valueOf(k), v));
    }
    Map<String, Object> mine = new LinkedHashMap<>();
    mine.put("seed", seed);
    mine.put("requests", requests.sum());
    mine.put("scriptedReplies", scripted.sum());
    mine.put("toolCallReplies", toolCallReplies.sum());
    mine.put("jsonReplies", jsonReplies.sum());
    mine.put("promptTokens", promptTokens.sum());
    mine.put("completionTokens", completionTokens.sum());
    merged.put(name, mine);
    sections.put(SECTION, merged);
  }

  /** Requests answered so far. */
  public long requests() {
    return requests.sum();
  }

  @Override
  public String toString() {
    return "SimulatedModelClient[" + name + ", seed=" + seed + "]";
  }

  /** Builds a {@link SimulatedModelClient}. Not thread-safe. */
  public static final class Builder {
    private long seed;
    private String name = "simulated";
    private String defaultModel = "simulated-model";
    private final List<Responder> responders = new ArrayList<>();
    private Duration minLatency = Duration.ZERO;
    private Duration maxLatency = Duration.ZERO;
    private ScheduledExecutorService scheduler;

    private Builder() {}

    /** The seed (default 0): the same seed and request give the same reply. */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /** The name under which the report lists this client (default {@code simulated}). */
    public Builder name(String name) {
      ConfigurationException.check(
          name != null && !name.isBlank(), "name", "must be non-blank, was '" + name + "'");
      this.name = name;
      return this;
    }

    /** The model name reported when a request names none (default {@code simulated-model}). */
    public Builder defaultModel(String model) {
      ConfigurationException.check(
          model != null && !model.isBlank(),
          "defaultModel",
          "must be non-blank, was '" + model + "'");
      this.defaultModel = model;
      return this;
    }

    /**
     * Adds a scripted reply: when {@code when} matches a request (responders are tried in the order
     * added), {@code reply} supplies the reply text, used as is. The function must be deterministic
     * for the client to stay so.
     */
    public Builder responder(Predicate<ChatRequest> when, Function<ChatRequest, String> reply) {
      responders.add(
          new Responder(
              Objects.requireNonNull(when, "when"), Objects.requireNonNull(reply, "reply")));
      return this;
    }

    /** Adds a scripted reply for requests whose last user message contains {@code marker}. */
    public Builder respondWhenPromptContains(String marker, Function<ChatRequest, String> reply) {
      ConfigurationException.check(
          marker != null && !marker.isEmpty(), "marker", "must be non-empty");
      return responder(
          r -> {
            String last = lastText(r, ChatMessage.Role.USER);
            return last != null && last.contains(marker);
          },
          reply);
    }

    /** A fixed simulated latency per call (default none). */
    public Builder latency(Duration latency) {
      return latency(latency, latency);
    }

    /** A simulated latency per call, drawn deterministically from [min, max]. */
    public Builder latency(Duration min, Duration max) {
      Objects.requireNonNull(min, "min");
      Objects.requireNonNull(max, "max");
      ConfigurationException.check(
          !min.isNegative() && max.compareTo(min) >= 0,
          "latency",
          "needs 0 <= min <= max, was [" + min + ", " + max + "]");
      this.minLatency = min;
      this.maxLatency = max;
      return this;
    }

    /**
     * The scheduler that completes delayed replies (default: a daemon thread owned by the client,
     * stopped by {@link SimulatedModelClient#close()}).
     */
    public Builder scheduler(ScheduledExecutorService scheduler) {
      this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
      return this;
    }

    /** Builds the client. */
    public SimulatedModelClient build() {
      return new SimulatedModelClient(this);
    }
  }
}
