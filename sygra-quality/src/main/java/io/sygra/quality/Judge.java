package io.sygra.quality;

import io.sygra.core.ConfigurationException;
import io.sygra.llm.ChatMessage;
import io.sygra.llm.ChatRequest;
import io.sygra.llm.ChatResponse;
import io.sygra.llm.ModelClient;
import io.sygra.llm.ModelException;
import io.sygra.llm.PromptTemplate;
import io.sygra.llm.StructuredOutput;
import io.sygra.llm.StructuredOutputException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Stage 2: an LLM judge for records that passed stage 1. For each record it makes up to four calls,
 * each asking for JSON that matches a schema (the provider's native structured output, or format
 * instructions in the prompt):
 *
 * <ol>
 *   <li><b>classify</b>: the category from the {@link Taxonomy}, instruction tags, and the quality
 *       of the question (1 to 5, with an explanation);
 *   <li><b>response</b>: the final response scored on the {@link Rubric} criteria of its category,
 *       each 1 to 5 or -1 (not applicable); {@code overall} is the mean of the applicable scores;
 *   <li><b>preference</b> (DPO pairs): which reply is better, asked twice with the replies in both
 *       orders (chosen as A, then chosen as B). When both answers agree the pair is labelled {@code
 *       chosen} (the data's preference is confirmed) or {@code rejected} (the judge prefers the
 *       other reply); when they disagree, or the judge says tie, it is a {@code tie}.
 * </ol>
 *
 * <p>The result is the {@code quality.llm} object: {@code category}, {@code instruction_tags},
 * {@code question {score, explanation}}, {@code response {category, criteria {name: {score,
 * explanation}}, overall}}, {@code overall}, {@code preference {ab, ba, label, consistent,
 * explanations}}, {@code model}, {@code calls}, {@code tokens}.
 *
 * <p><b>Failures are data, not scores.</b> A reply that cannot be parsed after {@link
 * Builder#maxAttempts(int)} tries (each re-ask names the problems), a refusal (a {@code
 * content_filter} stop, or a refusal instead of JSON), or a model error (after the client's own
 * retries) ends the judging of that record: {@code quality.llm.error} records {@code {stage, kind,
 * message}} with {@code kind} one of {@code unparseable}, {@code refused}, {@code model_error}, and
 * no score is invented. {@link QualityRules#judgeDefaults()} fails such records; leave that rule
 * out to keep them.
 *
 * <p>Thread-safe; calls never block a thread (the returned future completes when the judge's calls
 * do). Prompts are user-overridable {@link JudgePrompts}.
 */
public final class Judge {
  private final ModelClient client;
  private final String model;
  private final JudgePrompts prompts;
  private final Taxonomy taxonomy;
  private final Rubric rubric;
  private final boolean classify;
  private final boolean rateQuestion;
  private final boolean rateResponse;
  private final boolean comparePairs;
  private final Double temperature;
  private final Integer maxTokens;
  private final int maxAttempts;
  private final boolean nativeStructured;
  private final int maxTurnChars;

  private final PromptTemplate classifyTemplate;
  private final PromptTemplate responseTemplate;
  private final PromptTemplate preferenceTemplate;
  private final StructuredOutput<Object> classifySpec;
  private final StructuredOutput<Object> preferenceSpec;
  private final Map<String, StructuredOutput<Object>> responseSpecs = new LinkedHashMap<>();

  private final LongAdder judged = new LongAdder();
  private final LongAdder failures = new LongAdder();
  private final AtomicLong calls = new AtomicLong();

  private Judge(Builder b) {
    this.client = b.client;
    this.model = b.model;
    this.prompts = b.prompts;
    this.taxonomy = b.taxonomy;
    this.rubric = b.rubric;
    this.classify = b.classify;
    this.rateQuestion = b.rateQuestion;
    this.rateResponse = b.rateResponse;
    this.comparePairs = b.comparePairs;
    this.temperature = b.temperature;
    this.maxTokens = b.maxTokens;
    this.maxAttempts = b.maxAttempts;
    this.nativeStructured = b.nativeStructured;
    this.maxTurnChars = b.maxTurnChars;
    this.classifyTemplate = PromptTemplate.parse(prompts.classify());
    this.responseTemplate = PromptTemplate.parse(prompts.response());
    this.preferenceTemplate = PromptTemplate.parse(prompts.preference());
    this.classifySpec = StructuredOutput.of("judge_classify", classifySchema());
    this.preferenceSpec = StructuredOutput.of("judge_preference", preferenceSchema());
    for (String category : rubric.criteria().keySet()) {
      responseSpecs.put(
          category,
          StructuredOutput.of(
              "judge_response_" + category, responseSchema(rubric.criteriaFor(category))));
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The model client. */
  public ModelClient client() {
    return client;
  }

  /** Records judged so far (successfully or not). */
  public long judged() {
    return judged.sum();
  }

  /** Records whose judging failed (their {@code quality.llm.error} is set). */
  public long failures() {
    return failures.sum();
  }

  /** Model calls made so far, re-asks included. */
  public long calls() {
    return calls.get();
  }

  /** Settings, for fingerprints and reports. */
  public String describe() {
    return "judge(model="
        + (model == null ? client.provider() + " default" : model)
        + ", classify="
        + classify
        + ", question="
        + rateQuestion
        + ", response="
        + rateResponse
        + ", pairs="
        + comparePairs
        + ", categories="
        + taxonomy.names()
        + ", prompts="
        + Integer.toHexString(prompts.hashCode())
        + ")";
  }

  /** Judges and waits; see {@link #judge(QualitySample, Executor)}. */
  public Map<String, Object> judgeBlocking(QualitySample sample) {
    return judge(sample, ForkJoinPool.commonPool()).join();
  }

  /**
   * Judges one sample. The future completes with the {@code quality.llm} object; model errors,
   * unparseable replies and refusals are recorded in it under {@code error}, never thrown.
   *
   * @param executor where parsing and prompt rendering run (never the client's I/O threads)
   */
  public CompletableFuture<Map<String, Object>> judge(QualitySample sample, Executor executor) {
    Objects.requireNonNull(sample, "sample");
    Objects.requireNonNull(executor, "executor");
    judged.increment();
    Ctx ctx = new Ctx(sample, executor);
    CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
    if (classify || rateQuestion) {
      chain = chain.thenCompose(x -> classify(ctx));
    }
    chain =
        chain.thenCompose(
            x -> {
              List<CompletableFuture<Void>> parallel = new ArrayList<>(3);
              if (rateResponse && ctx.response != null) {
                parallel.add(response(ctx));
              }
              if (comparePairs
                  && sample.kind() == QualitySample.Kind.PAIR
                  && ctx.response != null) {
                parallel.add(preference(ctx));
              }
              return CompletableFuture.allOf(parallel.toArray(new CompletableFuture<?>[0]));
            });
    return chain.handle(
        (x, e) -> {
          Map<String, Object> llm = ctx.result(e);
          if (llm.containsKey("error")) {
            failures.increment();
          }
          return llm;
        });
  }

  // ---- stages ----

  private CompletableFuture<Void> classify(Ctx ctx) {
    Map<String, Object> vars = new LinkedHashMap<>();
    vars.put("conversation", ctx.conversation);
    vars.put("question", ctx.question);
    vars.put("categories", taxonomy.render());
    return ask(ctx, "classify", classifyTemplate.render(vars), classifySpec)
        .thenAccept(
            json -> {
              Map<?, ?> m = (Map<?, ?>) json;
              if (classify) {
                ctx.category = String.valueOf(m.get("category"));
                ctx.put("category", ctx.category);
                ctx.put("instruction_tags", m.get("instruction_tags"));
              }
              if (rateQuestion) {
                Map<String, Object> q = new LinkedHashMap<>();
                q.put("score", m.get("question_quality"));
                q.put("explanation", m.get("question_explanation"));
                ctx.put("question", q);
              }
            });
  }

  private CompletableFuture<Void> response(Ctx ctx) {
    String category = ctx.category != null ? ctx.category : Rubric.FALLBACK;
    List<Rubric.Criterion> criteria = rubric.criteriaFor(category);
    String routed = rubric.criteria().containsKey(category) ? category : Rubric.FALLBACK;
    Map<String, Object> vars = new LinkedHashMap<>();
    vars.put("conversation", ctx.conversation);
    vars.put("question", ctx.question);
    vars.put("response", clip(ctx.response));
    vars.put("category", category);
    vars.put("criteria", Rubric.render(criteria));
    return ask(ctx, "response", responseTemplate.render(vars), responseSpecs.get(routed))
        .thenAccept(
            json -> {
              Map<?, ?> m = (Map<?, ?>) json;
              Map<String, Object> scores = new LinkedHashMap<>();
              double sum = 0;
              int applicable = 0;
              for (Rubric.Criterion c : criteria) {
                Map<?, ?> one = (Map<?, ?>) m.get(c.name());
                int score = ((Number) one.get("score")).intValue();
                Map<String, Object> s = new LinkedHashMap<>();
                s.put("score", score);
                s.put("explanation", one.get("explanation"));
                scores.put(c.name(), s);
                if (score >= 1) {
                  sum += score;
                  applicable++;
                }
              }
              Map<String, Object> r = new LinkedHashMap<>();
              r.put("category", routed);
              r.put("criteria", scores);
              if (applicable > 0) {
                double overall = Math.round(sum / applicable * 1000) / 1000.0;
                r.put("overall", overall);
                ctx.put("overall", overall);
              }
              ctx.put("response", r);
            });
  }

  private CompletableFuture<Void> preference(Ctx ctx) {
    String chosen = clip(ctx.response);
    String rejected = clip(ctx.rejected);
    CompletableFuture<Object> ab =
        ask(ctx, "preference", preferencePrompt(ctx, chosen, rejected), preferenceSpec);
    CompletableFuture<Object> ba =
        ask(ctx, "preference", preferencePrompt(ctx, rejected, chosen), preferenceSpec);
    return ab.thenCombine(
        ba,
        (x, y) -> {
          String first = side((Map<?, ?>) x, true);
          String second = side((Map<?, ?>) y, false);
          boolean consistent = first.equals(second);
          Map<String, Object> p = new LinkedHashMap<>();
          p.put("ab", first);
          p.put("ba", second);
          p.put("consistent", consistent);
          p.put("label", consistent ? first : "tie");
          p.put(
              "explanations",
              List.of(
                  String.valueOf(((Map<?, ?>) x).get("explanation")),
                  String.valueOf(((Map<?, ?>) y).get("explanation"))));
          ctx.put("preference", p);
          return null;
        });
  }

  private String preferencePrompt(Ctx ctx, String a, String b) {
    Map<String, Object> vars = new LinkedHashMap<>();
    vars.put("conversation", ctx.conversation);
    vars.put("question", ctx.question);
    vars.put("response_a", a);
    vars.put("response_b", b);
    return preferenceTemplate.render(vars);
  }

  /** Maps a winner letter to the side of the data: chosen, rejected or tie. */
  private static String side(Map<?, ?> reply, boolean chosenIsA) {
    String w = String.valueOf(reply.get("winner"));
    if (w.equalsIgnoreCase("tie")) {
      return "tie";
    }
    boolean a = w.equalsIgnoreCase("A");
    return a == chosenIsA ? "chosen" : "rejected";
  }

  // ---- calls ----

  /** Asks for structured output, re-asking on unusable replies; fails with a {@link Failure}. */
  private CompletableFuture<Object> ask(
      Ctx ctx, String stage, String prompt, StructuredOutput<Object> spec) {
    List<ChatMessage> messages = new ArrayList<>(4);
    messages.add(ChatMessage.system(prompts.system()));
    messages.add(
        ChatMessage.user(nativeStructured ? prompt : prompt + "\n\n" + spec.formatInstructions()));
    ChatRequest.Builder b = ChatRequest.builder().model(model).messages(messages);
    if (temperature != null) {
      b.temperature(temperature);
    }
    if (maxTokens != null) {
      b.maxTokens(maxTokens);
    }
    if (nativeStructured) {
      b.responseFormat(spec.responseFormat());
    }
    return attempt(ctx, stage, b.build(), spec, 1);
  }

  private CompletableFuture<Object> attempt(
      Ctx ctx, String stage, ChatRequest request, StructuredOutput<Object> spec, int attempt) {
    CompletableFuture<ChatResponse> f;
    try {
      f = client.chat(request);
    } catch (RuntimeException e) {
      f = CompletableFuture.failedFuture(e);
    }
    calls.incrementAndGet();
    ctx.calls.incrementAndGet();
    return f.handle(
            (resp, e) -> {
              if (e != null) {
                Throwable c = unwrap(e);
                throw new Failure(stage, "model_error", describe(c), null);
              }
              return resp;
            })
        .thenComposeAsync(
            resp -> {
              ctx.tokens.addAndGet(resp.usage().totalTokens());
              if ("content_filter".equals(resp.finishReason())) {
                throw new Failure(
                    stage,
                    "refused",
                    "the provider stopped the reply (content_filter)",
                    resp.text());
              }
              StructuredOutputException problem;
              try {
                return CompletableFuture.completedFuture(spec.parseJson(resp.text()));
              } catch (StructuredOutputException ex) {
                problem = ex;
              }
              String text = resp.text() == null ? "" : resp.text();
              if (attempt >= maxAttempts) {
                if (looksLikeRefusal(text)) {
                  throw new Failure(stage, "refused", "the judge refused to rate", text);
                }
                throw new Failure(
                    stage,
                    "unparseable",
                    "no usable JSON after "
                        + attempt
                        + " attempt(s): "
                        + String.join("; ", problem.problems()),
                    text);
              }
              ChatRequest next =
                  request
                      .newBuilder()
                      .addMessage(ChatMessage.assistant(text))
                      .addMessage(
                          ChatMessage.user(
                              "Your reply could not be used: "
                                  + String.join("; ", problem.problems())
                                  + ". Reply again with JSON only, matching the requested"
                                  + " schema."))
                      .build();
              return attempt(ctx, stage, next, spec, attempt + 1);
            },
            ctx.executor);
  }

  private static final RefusalTagger REFUSALS = RefusalTagger.create();

  private static boolean looksLikeRefusal(String text) {
    QualitySample s =
        QualitySample.of("", List.of(new QualitySample.Turn("assistant", text, null)));
    return Boolean.TRUE.equals(REFUSALS.tag(s).get("refusal"));
  }

  private static String describe(Throwable c) {
    if (c instanceof ModelException me) {
      StringBuilder sb = new StringBuilder(me.provider());
      if (me.httpStatus() > 0) {
        sb.append(" HTTP ").append(me.httpStatus());
      }
      sb.append(": ").append(me.getMessage());
      return sb.toString();
    }
    return String.valueOf(c);
  }

  private static Throwable unwrap(Throwable t) {
    while (t instanceof CompletionException && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  private String clip(String s) {
    if (s == null || s.length() <= maxTurnChars) {
      return s;
    }
    return s.substring(0, maxTurnChars) + "\n[... truncated for judging ...]";
  }

  /** The judge of one record failed at {@code stage}. */
  private static final class Failure extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final String stage;
    final String kind;
    final String raw;

    Failure(String stage, String kind, String message, String raw) {
      super(message, null, false, false);
      this.stage = stage;
      this.kind = kind;
      this.raw = raw;
    }
  }

  /** Per-record state of one judging. */
  private final class Ctx {
    final QualitySample sample;
    final Executor executor;
    final String conversation;
    final String question;
    final String response;
    final String rejected;
    final Map<String, Object> out = new LinkedHashMap<>();
    final AtomicLong calls = new AtomicLong();
    final AtomicLong tokens = new AtomicLong();
    volatile String category;

    Ctx(QualitySample sample, Executor executor) {
      this.sample = sample;
      this.executor = executor;
      List<QualitySample.Turn> turns = sample.turns();
      int last = -1;
      for (int i = turns.size() - 1; i >= 0; i--) {
        if (turns.get(i).isAssistant()) {
          last = i;
          break;
        }
      }
      List<QualitySample.Turn> before = last < 0 ? turns : turns.subList(0, last);
      StringBuilder sb = new StringBuilder();
      String q = "";
      for (QualitySample.Turn t : before) {
        if (sb.length() > 0) {
          sb.append("\n\n");
        }
        sb.append(t.role().toUpperCase(Locale.ROOT)).append(": ").append(clip(t.content()));
        if (t.role().equals("user")) {
          q = t.content();
        }
      }
      this.conversation = sb.toString();
      this.question = clip(q);
      this.response = last < 0 ? null : turns.get(last).content();
      StringBuilder rej = new StringBuilder();
      for (QualitySample.Turn t : sample.rejected()) {
        if (rej.length() > 0) {
          rej.append("\n\n");
        }
        rej.append(t.content());
      }
      this.rejected = rej.toString();
    }

    synchronized void put(String key, Object value) {
      out.put(key, value);
    }

    synchronized Map<String, Object> result(Throwable e) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("model", model != null ? model : client.provider());
      // Stable key order regardless of which parallel call finished first.
      for (String k :
          List.of(
              "category", "instruction_tags", "question", "response", "overall", "preference")) {
        if (out.containsKey(k)) {
          m.put(k, out.get(k));
        }
      }
      if (e != null) {
        Throwable c = unwrap(e);
        Map<String, Object> err = new LinkedHashMap<>();
        if (c instanceof Failure f) {
          err.put("stage", f.stage);
          err.put("kind", f.kind);
          err.put("message", f.getMessage());
          if (f.raw != null) {
            err.put("raw", f.raw.length() > 2000 ? f.raw.substring(0, 2000) + "…" : f.raw);
          }
        } else {
          err.put("stage", "judge");
          err.put("kind", "internal");
          err.put("message", String.valueOf(c));
        }
        // A failed judging leaves no score behind, not even from a stage that succeeded.
        m.remove("overall");
        m.remove("response");
        m.remove("preference");
        m.remove("question");
        m.put("error", err);
      }
      m.put("calls", calls.get());
      m.put("tokens", tokens.get());
      return m;
    }
  }

  // ---- schemas ----

  private Map<String, Object> classifySchema() {
    Map<String, Object> props = new LinkedHashMap<>();
    List<String> required = new ArrayList<>();
    if (classify) {
      props.put("category", Map.of("type", "string", "enum", taxonomy.names()));
      props.put(
          "instruction_tags",
          Map.of("type", "array", "items", Map.of("type", "string"), "maxItems", 5));
      required.add("category");
      required.add("instruction_tags");
    }
    if (rateQuestion) {
      props.put("question_quality", Map.of("type", "integer", "minimum", 1, "maximum", 5));
      props.put("question_explanation", Map.of("type", "string"));
      required.add("question_quality");
      required.add("question_explanation");
    }
    if (props.isEmpty()) {
      props.put("category", Map.of("type", "string"));
      required.add("category");
    }
    return object(props, required);
  }

  private static Map<String, Object> responseSchema(List<Rubric.Criterion> criteria) {
    Map<String, Object> props = new LinkedHashMap<>();
    List<String> required = new ArrayList<>();
    for (Rubric.Criterion c : criteria) {
      Map<String, Object> one = new LinkedHashMap<>();
      one.put("score", Map.of("type", "integer", "enum", List.of(-1, 1, 2, 3, 4, 5)));
      one.put("explanation", Map.of("type", "string"));
      Map<String, Object> schema = object(one, List.of("score", "explanation"));
      schema.put("description", c.description());
      props.put(c.name(), schema);
      required.add(c.name());
    }
    return object(props, required);
  }

  private static Map<String, Object> preferenceSchema() {
    Map<String, Object> props = new LinkedHashMap<>();
    props.put("winner", Map.of("type", "string", "enum", List.of("A", "B", "tie")));
    props.put("explanation", Map.of("type", "string"));
    return object(props, List.of("winner", "explanation"));
  }

  private static Map<String, Object> object(Map<String, Object> props, List<String> required) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("type", "object");
    m.put("properties", props);
    m.put("required", required);
    m.put("additionalProperties", false);
    return m;
  }

  /** Configures a {@link Judge}; setters validate at once. */
  public static final class Builder {
    private ModelClient client;
    private String model;
    private JudgePrompts prompts = JudgePrompts.defaults();
    private Taxonomy taxonomy = Taxonomy.defaults();
    private Rubric rubric = Rubric.defaults();
    private boolean classify = true;
    private boolean rateQuestion = true;
    private boolean rateResponse = true;
    private boolean comparePairs = true;
    private Double temperature = 0.0;
    private Integer maxTokens;
    private int maxAttempts = 2;
    private boolean nativeStructured = true;
    private int maxTurnChars = 12_000;

    private Builder() {}

    /** The model client (required). */
    public Builder client(ModelClient client) {
      this.client = Objects.requireNonNull(client, "client");
      return this;
    }

    /** The judge model's name; null uses the client's default model. */
    public Builder model(String model) {
      ConfigurationException.check(
          model == null || !model.isBlank(), "model", "must be non-blank, was '" + model + "'");
      this.model = model;
      return this;
    }

    /** The prompt templates (default {@link JudgePrompts#defaults()}). */
    public Builder prompts(JudgePrompts prompts) {
      this.prompts = Objects.requireNonNull(prompts, "prompts");
      return this;
    }

    /** The categories and tags (default {@link Taxonomy#defaults()}). */
    public Builder taxonomy(Taxonomy taxonomy) {
      this.taxonomy = Objects.requireNonNull(taxonomy, "taxonomy");
      return this;
    }

    /** The response criteria by category (default {@link Rubric#defaults()}). */
    public Builder rubric(Rubric rubric) {
      this.rubric = Objects.requireNonNull(rubric, "rubric");
      return this;
    }

    /** Assign a category and instruction tags (default true). */
    public Builder classify(boolean on) {
      this.classify = on;
      return this;
    }

    /** Rate the question (default true). */
    public Builder rateQuestion(boolean on) {
      this.rateQuestion = on;
      return this;
    }

    /** Score the final response on the rubric (default true). */
    public Builder rateResponse(boolean on) {
      this.rateResponse = on;
      return this;
    }

    /** Judge DPO pairs in both orders (default true). */
    public Builder comparePairs(boolean on) {
      this.comparePairs = on;
      return this;
    }

    /** Sampling temperature in [0, 2], or null for the server default (default 0). */
    public Builder temperature(Double temperature) {
      ConfigurationException.check(
          temperature == null || (temperature >= 0 && temperature <= 2),
          "temperature",
          "must be in [0, 2], was " + temperature);
      this.temperature = temperature;
      return this;
    }

    /** Reply token limit per call, or null for none (default none). */
    public Builder maxTokens(Integer maxTokens) {
      ConfigurationException.check(
          maxTokens == null || maxTokens >= 16, "maxTokens", "must be >= 16, was " + maxTokens);
      this.maxTokens = maxTokens;
      return this;
    }

    /** Replies tried per call before the record's judging fails as unparseable (default 2). */
    public Builder maxAttempts(int attempts) {
      ConfigurationException.check(
          attempts >= 1 && attempts <= 10, "maxAttempts", "must be in [1, 10], was " + attempts);
      this.maxAttempts = attempts;
      return this;
    }

    /**
     * Send the schema as {@code response_format: json_schema} (default true); false appends format
     * instructions to the prompt, for servers without structured output.
     */
    public Builder nativeStructuredOutput(boolean on) {
      this.nativeStructured = on;
      return this;
    }

    /** Characters of each turn shown to the judge; longer turns are cut (default 12,000). */
    public Builder maxTurnChars(int chars) {
      ConfigurationException.check(chars >= 200, "maxTurnChars", "must be >= 200, was " + chars);
      this.maxTurnChars = chars;
      return this;
    }

    /**
     * Builds.
     *
     * @throws ConfigurationException when no client is set or every stage is off. (Taxonomy
     *     categories without criteria of their own are scored on the {@code generic} criteria.)
     */
    public Judge build() {
      ConfigurationException.check(client != null, "client", "is required");
      ConfigurationException.check(
          classify || rateQuestion || rateResponse || comparePairs,
          "judge",
          "every stage is turned off; turn on at least one");
      return new Judge(this);
    }
  }
}
