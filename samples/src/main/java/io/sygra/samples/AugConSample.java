package io.sygra.samples;

import com.fasterxml.jackson.core.type.TypeReference;
import io.sygra.core.Graph;
import io.sygra.core.Key;
import io.sygra.core.NodeResult;
import io.sygra.core.Nodes;
import io.sygra.core.State;
import io.sygra.core.run.OutputMapper;
import io.sygra.core.run.Pipeline;
import io.sygra.core.run.RunReport;
import io.sygra.core.run.Source;
import io.sygra.core.run.Sources;
import io.sygra.llm.ChatRequest;
import io.sygra.llm.Embedder;
import io.sygra.llm.LlmNode;
import io.sygra.llm.ModelClient;
import io.sygra.llm.OpenAiCompatibleEmbedder;
import io.sygra.llm.SimulatedModelClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * AugCon (Quan, 2024): context-driven SFT data at every granularity, in three resumable phases.
 *
 * <ol>
 *   <li><b>Context-Split-Tree</b> ({@code cst/}): each input text is chunked (at most 500
 *       characters); for each chunk the model derives a question about the whole chunk and splits
 *       it into two sub-contexts, which are split again (breadth-first work queue inside the
 *       record) until a guard stops them ({@link ContextSplitTree}): children strictly shorter than
 *       their parent, longer than 20 characters, depth at most 4; an unparseable reply is shown
 *       back to the model, up to 3 attempts. The tree is planted again (up to 2 passes) while the
 *       chunk has fewer than 1.15 × its quota of questions.
 *   <li><b>Scorer</b> ({@code scorer/}, only with an embedding endpoint): for a sample of tree
 *       nodes, the same context is given to three degraded prompts (terse instruction, fewer
 *       examples, both); their questions are negatives against the full prompt's, and a pairwise
 *       logistic head ({@link PairwiseLogisticScorer}) is trained on embedding features. Without an
 *       embedder (the offline default) the {@link HeuristicQuestionScorer} ranks questions.
 *   <li><b>Select and answer</b> (the run directory): per chunk, questions are ranked by score,
 *       filtered greedily so no two kept questions exceed ROUGE-L 0.7 ({@link QuestionSelector}),
 *       and capped at the chunk's quota of floor(length / 35); each kept question is answered under
 *       AugCon's principles from its node's context, and the answer is stripped to a clean
 *       question–answer pair (no reasoning, no "according to the context").
 * </ol>
 *
 * <p>Input: {@code --input} JSONL (field {@code context} or {@code text}) or any text file
 * (paragraphs); default {@code ../shared/fixtures/seeds/augcon_qa_examples_en.jsonl}. Output: TRL
 * SFT {@code messages} with provenance (root chunk id, source record, node id, depth, parent,
 * score, scorer). {@code --records N} limits input texts (default 10). Embedder: {@code
 * SYGRA_EMBEDDING_MODEL} (with a real endpoint) selects an OpenAI-compatible {@code /embeddings}
 * model.
 */
public final class AugConSample implements Sample {

  /** Default input, relative to the repository root. */
  public static final String DEFAULT_INPUT = "../shared/fixtures/seeds/augcon_qa_examples_en.jsonl";

  /** Largest chunk, in characters (AugCon's maximum granularity). */
  public static final int MAX_CHUNK = 500;

  /** Guards of the tree. */
  public static final ContextSplitTree.Limits LIMITS = ContextSplitTree.Limits.defaults();

  /** Tree passes per chunk at most. */
  public static final int MAX_PASSES = 2;

  /** Tree nodes whose degraded-prompt questions train the scorer, at most. */
  public static final int SCORER_PAIRS = 60;

  static final ParseRetry CST_RETRY = ParseRetry.named("cst", LIMITS.maxParseAttempts());

  static final Key<List<Map<String, Object>>> FRONTIER =
      Key.of("frontier", new TypeReference<List<Map<String, Object>>>() {});
  static final Key<List<Map<String, Object>>> QUESTIONS =
      Key.of("questions", new TypeReference<List<Map<String, Object>>>() {});
  static final Key<List<Map<String, Object>>> TREE =
      Key.of("tree", new TypeReference<List<Map<String, Object>>>() {});
  static final Key<Map<String, Object>> STATS =
      Key.of("cst_stats", new TypeReference<Map<String, Object>>() {});

  @Override
  public String name() {
    return "augcon";
  }

  @Override
  public String description() {
    return "AugCon: chunk → Context-Split-Tree (question + split, recursive) → score → ROUGE-L"
        + " diversity ≤ 0.7 → quota floor(len/35) → answer under principles → clean QA pairs";
  }

  // ---------------------------------------------------------------- phase 1: Context-Split-Tree

  /** Phase 1: chunk each input text and grow its Context-Split-Trees. */
  public static Graph cstGraph(ModelClient model) {
    return Graph.builder()
        .name("augcon-cst")
        .stepLimit(2000)
        .node("chunk", Nodes.fanOut(AugConSample::chunk))
        .node("plant", Nodes.step(AugConSample::plant))
        .node("pick", Nodes.lambda(AugConSample::pick))
        .node(
            "split",
            LlmNode.builder()
                .client(model)
                .user(AugConPrompts.cst(AugConPrompts.Variant.FULL, "{current.context}"))
                .history(CST_RETRY.feedbackKey())
                .temperature(0.85)
                .maxTokens(1024)
                .output("split_reply")
                .build())
        .node("parse", Nodes.lambda(AugConSample::parse))
        .edge(Graph.START, "chunk")
        .edge("chunk", "plant")
        .edge("plant", "pick")
        .edge("pick", "split")
        .edge("split", "parse")
        .conditionalEdge(
            "parse",
            s -> {
              if (CST_RETRY.retrying(s)) {
                return "split";
              }
              return s.require(FRONTIER).isEmpty() ? Graph.END : "pick";
            },
            Set.of("split", "pick", Graph.END))
        .build();
  }

  /** The chunks of an input record ({@code context} or {@code text}). */
  static List<State> chunk(State s) {
    Object text = s.has("context") ? s.get("context") : s.get("text");
    if (!(text instanceof String t) || t.isBlank()) {
      throw new IllegalArgumentException(
          "record " + s.id() + " has no non-empty 'context' or 'text' field");
    }
    List<State> out = new ArrayList<>();
    for (String c : TextChunker.chunk(t, MAX_CHUNK)) {
      out.add(State.of(Map.of("source_id", s.id(), "chunk", c)));
    }
    return out;
  }

  /** Sets the chunk's quota and plants its tree; a chunk too short for one question is dropped. */
  static NodeResult plant(State s) {
    String chunk = s.getString("chunk");
    int quota = ContextSplitTree.quota(chunk);
    if (quota == 0) {
      return NodeResult.drop("chunk shorter than 35 characters (quota 0)");
    }
    Map<String, Object> stats = new LinkedHashMap<>();
    stats.put("passes", 1);
    stats.put("splits", 0);
    stats.put("parseRetries", 0);
    stats.put("nodesGivenUp", 0);
    stats.put("guardStops", new LinkedHashMap<String, Object>());
    return NodeResult.of(
        s.with("quota", quota)
            .with("target", (int) Math.ceil(quota * 1.15))
            .with(FRONTIER, List.of(ContextSplitTree.root(chunk, 1).toMap()))
            .with(QUESTIONS, List.of())
            .with(TREE, List.of())
            .with(STATS, stats));
  }

  /** Takes the next node off the work queue. */
  static State pick(State s) {
    List<Map<String, Object>> frontier = s.require(FRONTIER);
    return CST_RETRY.reset(
        s.with("current", frontier.get(0)).with(FRONTIER, frontier.subList(1, frontier.size())));
  }

  /** Parses the split; records the question, queues the children, retries or gives up the node. */
  @SuppressWarnings("unchecked")
  static State parse(State s) {
    String reply = s.getString("split_reply");
    ContextSplitTree.Node node = ContextSplitTree.nodeOf(s.get("current"));
    Map<String, Object> stats = new LinkedHashMap<>(s.require(STATS));
    List<Map<String, Object>> frontier = new ArrayList<>(s.require(FRONTIER));
    List<Map<String, Object>> questions = new ArrayList<>(s.require(QUESTIONS));
    ContextSplitTree.Split split;
    try {
      split = ContextSplitTree.parse(reply);
    } catch (ContextSplitTree.ParseException e) {
      if (CST_RETRY.canRetry(s)) {
        stats.merge("parseRetries", 1, (a, b) -> ((Number) a).intValue() + 1);
        return CST_RETRY
            .retry(s, reply, e.getMessage(), ContextSplitTree.FORMAT)
            .with(STATS, stats);
      }
      stats.merge("nodesGivenUp", 1, (a, b) -> ((Number) a).intValue() + 1);
      List<Map<String, Object>> tree = new ArrayList<>(s.require(TREE));
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("node", node.id());
      entry.put("depth", node.depth());
      entry.put("parent", node.parent());
      entry.put("length", node.context().length());
      entry.put("question", null);
      entry.put("duplicate", false);
      entry.put("children", List.of());
      entry.put("stop", "reply unusable after " + CST_RETRY.maxAttempts() + " attempts");
      tree.add(entry);
      return replant(CST_RETRY.succeeded(s).with(TREE, tree), frontier, questions, stats);
    }
    stats.merge("splits", 1, (a, b) -> ((Number) a).intValue() + 1);
    ContextSplitTree.Outcome outcome = ContextSplitTree.expand(node, split, LIMITS);
    boolean duplicate =
        outcome.question() != null
            && questions.stream().anyMatch(q -> outcome.question().equals(q.get("question")));
    // Every split node, question or not, so the tree's shape can be checked and inspected.
    List<Map<String, Object>> tree = new ArrayList<>(s.require(TREE));
    Map<String, Object> entry = new LinkedHashMap<>();
    entry.put("node", node.id());
    entry.put("depth", node.depth());
    entry.put("parent", node.parent());
    entry.put("length", node.context().length());
    entry.put("question", outcome.question());
    entry.put("duplicate", duplicate);
    entry.put("children", outcome.children().stream().map(ContextSplitTree.Node::id).toList());
    entry.put("stop", outcome.stopReason());
    tree.add(entry);
    s = s.with(TREE, tree);
    if (outcome.question() != null && !duplicate) {
      Map<String, Object> q = new LinkedHashMap<>();
      q.put("node", node.id());
      q.put("question", outcome.question());
      q.put("context", node.context());
      q.put("depth", node.depth());
      q.put("parent", node.parent());
      questions.add(q);
    }
    if (outcome.stopReason() != null) {
      Map<String, Object> stops =
          new LinkedHashMap<>((Map<String, Object>) stats.get("guardStops"));
      stops.merge(outcome.stopReason(), 1, (a, b) -> ((Number) a).intValue() + 1);
      stats.put("guardStops", stops);
    }
    for (ContextSplitTree.Node child : outcome.children()) {
      frontier.add(child.toMap());
    }
    return replant(CST_RETRY.succeeded(s), frontier, questions, stats);
  }

  /** When the queue is empty and the pool is short of 1.15 × quota, plants another pass. */
  private static State replant(
      State s,
      List<Map<String, Object>> frontier,
      List<Map<String, Object>> questions,
      Map<String, Object> stats) {
    int passes = ((Number) stats.get("passes")).intValue();
    if (frontier.isEmpty()
        && questions.size() < ((Number) s.get("target")).intValue()
        && passes < MAX_PASSES) {
      stats.put("passes", passes + 1);
      frontier.add(ContextSplitTree.root(s.getString("chunk"), passes + 1).toMap());
    }
    return s.with(FRONTIER, frontier).with(QUESTIONS, questions).with(STATS, stats);
  }

  static OutputMapper cstOutput() {
    return OutputMapper.builder()
        .pick("source_id", "chunk", "quota", "questions", "tree", "cst_stats")
        .build();
  }

  // ---------------------------------------------------------------- phase 2: scorer pairs

  /** Phase 2: a degraded prompt's question for a tree node (the scorer's negative). */
  public static Graph scorerPairsGraph(ModelClient model) {
    return Graph.builder()
        .name("augcon-scorer-pairs")
        .inputs("context", "positive", "variant")
        .node(
            "prompt",
            Nodes.lambda(
                s ->
                    CST_RETRY.reset(
                        s.with(
                            "degraded_prompt",
                            AugConPrompts.cst(
                                AugConPrompts.Variant.valueOf(s.getString("variant")),
                                s.getString("context"))))))
        .node(
            "degraded",
            LlmNode.builder()
                .client(model)
                .user("{degraded_prompt}")
                .history(CST_RETRY.feedbackKey())
                .temperature(0.85)
                .maxTokens(1024)
                .output("split_reply")
                .build())
        .node(
            "parse",
            Nodes.step(
                s -> {
                  String reply = s.getString("split_reply");
                  try {
                    return NodeResult.of(
                        CST_RETRY
                            .succeeded(s)
                            .with("negative", ContextSplitTree.parse(reply).question()));
                  } catch (ContextSplitTree.ParseException e) {
                    return CST_RETRY.retryOrDrop(
                        s,
                        reply,
                        e.getMessage(),
                        ContextSplitTree.FORMAT,
                        "degraded reply unusable after " + CST_RETRY.maxAttempts() + " attempts");
                  }
                }))
        .edge(Graph.START, "prompt")
        .edge("prompt", "degraded")
        .edge("degraded", "parse")
        .conditionalEdge(
            "parse",
            s -> CST_RETRY.retrying(s) ? "degraded" : Graph.END,
            Set.of("degraded", Graph.END))
        .build();
  }

  /** Trains the pairwise head on the pairs of phase 2 (features from {@code embedder}). */
  static EmbeddingQuestionScorer trainScorer(Embedder embedder, List<Map<String, Object>> pairs) {
    List<String> texts = new ArrayList<>();
    for (Map<String, Object> p : pairs) {
      texts.add((String) p.get("context"));
      texts.add((String) p.get("positive"));
      texts.add((String) p.get("negative"));
    }
    float[][] vectors = EmbeddingQuestionScorer.embedAll(embedder, texts);
    List<PairwiseLogisticScorer.Pair> training = new ArrayList<>();
    for (int i = 0; i < pairs.size(); i++) {
      float[] c = vectors[3 * i];
      training.add(
          new PairwiseLogisticScorer.Pair(
              EmbeddingQuestionScorer.features(c, vectors[3 * i + 1]),
              EmbeddingQuestionScorer.features(c, vectors[3 * i + 2])));
    }
    return new EmbeddingQuestionScorer(
        embedder,
        PairwiseLogisticScorer.train(training, PairwiseLogisticScorer.Training.defaults()));
  }

  // ---------------------------------------------------------------- phase 3: select and answer

  /** Phase 3: score, select (diversity + quota), answer and strip, per chunk. */
  public static Graph graph(ModelClient model, QuestionScorer scorer) {
    return Graph.builder()
        .name("augcon")
        .inputs("chunk", "quota", "questions")
        .node("score", Nodes.async(s -> score(s, scorer)))
        .node("select", Nodes.step(AugConSample::select))
        .node("expand", Nodes.expand("selected", "item"))
        .node("unpack", Nodes.lambda(AugConSample::unpack))
        .node(
            "answer",
            LlmNode.builder()
                .client(model)
                .user(AugConPrompts.ANSWER)
                .temperature(0.2)
                .maxTokens(600)
                .output("answer_reply")
                .build())
        .node("strip", Nodes.step(AugConSample::strip))
        .chain(Graph.START, "score", "select", "expand", "unpack", "answer", "strip", Graph.END)
        .build();
  }

  private static CompletableFuture<State> score(State s, QuestionScorer scorer) {
    List<Map<String, Object>> questions = s.require(QUESTIONS);
    List<String> contexts = new ArrayList<>();
    List<String> texts = new ArrayList<>();
    for (Map<String, Object> q : questions) {
      contexts.add((String) q.get("context"));
      texts.add((String) q.get("question"));
    }
    CompletableFuture<List<Double>> scores =
        scorer instanceof EmbeddingQuestionScorer e
            ? e.scoreAsync(contexts, texts)
            : CompletableFuture.completedFuture(scorer.score(contexts, texts));
    return scores.thenApply(
        sc -> {
          List<Map<String, Object>> scored = new ArrayList<>();
          for (int i = 0; i < questions.size(); i++) {
            Map<String, Object> q = new LinkedHashMap<>(questions.get(i));
            q.put("score", Math.round(sc.get(i) * 1e4) / 1e4);
            scored.add(q);
          }
          return s.with(QUESTIONS, scored).with("scorer", scorer.name());
        });
  }

  /** Greedy diversity filter and quota over the ranked questions. */
  static NodeResult select(State s) {
    List<QuestionSelector.Candidate<Map<String, Object>>> candidates = new ArrayList<>();
    for (Map<String, Object> q : s.require(QUESTIONS)) {
      candidates.add(
          new QuestionSelector.Candidate<>(
              (String) q.get("question"), ((Number) q.get("score")).doubleValue(), q));
    }
    int quota = ((Number) s.get("quota")).intValue();
    QuestionSelector.Selection<Map<String, Object>> sel =
        QuestionSelector.select(candidates, quota, QuestionSelector.DEFAULT_MAX_ROUGE_L);
    if (sel.kept().isEmpty()) {
      return NodeResult.drop("no question derived from the chunk");
    }
    List<Map<String, Object>> kept = new ArrayList<>();
    for (QuestionSelector.Candidate<Map<String, Object>> c : sel.kept()) {
      kept.add(c.payload());
    }
    Map<String, Object> selection = new LinkedHashMap<>();
    selection.put("candidates", candidates.size());
    selection.put("kept", kept.size());
    selection.put("tooSimilar", sel.tooSimilar());
    selection.put("overQuota", sel.overQuota());
    return NodeResult.of(s.with("selected", kept).with("selection", selection));
  }

  @SuppressWarnings("unchecked")
  static State unpack(State s) {
    Map<String, Object> item = (Map<String, Object>) s.get("item");
    return s.with("question", item.get("question"))
        .with("context", item.get("context"))
        .with("node", item.get("node"))
        .with("depth", item.get("depth"))
        .with("parent", item.get("parent"))
        .with("score", item.get("score"))
        .without("questions")
        .without("item");
  }

  private static final Pattern ANSWER_LINE = Pattern.compile("(?im)^\\s*\\**answer\\**\\s*[:：]");
  private static final Pattern CONTEXT_PREFIX =
      Pattern.compile(
          "^(according to|based on|as (stated|mentioned|described) in|from|in) the (given |provided )?"
              + "(context( reference)?|passage|text|reference)[,:]?\\s*",
          Pattern.CASE_INSENSITIVE);

  /** Keeps only the final answer: no reasoning, no reference to the context. */
  static NodeResult strip(State s) {
    String reply = s.getString("answer_reply");
    Matcher m = ANSWER_LINE.matcher(reply);
    int start = -1;
    while (m.find()) {
      start = m.end();
    }
    if (start < 0) {
      return NodeResult.drop("answer reply has no 'Answer:' line");
    }
    String answer = reply.substring(start).strip();
    int sep = answer.indexOf("\n---");
    if (sep >= 0) {
      answer = answer.substring(0, sep).strip();
    }
    answer = CONTEXT_PREFIX.matcher(answer).replaceFirst("");
    if (answer.isEmpty()) {
      return NodeResult.drop("empty answer after stripping");
    }
    answer = Character.toUpperCase(answer.charAt(0)) + answer.substring(1);
    return NodeResult.of(s.with("answer", answer));
  }

  /** Clean question–answer pairs as TRL SFT messages, with the tree provenance. */
  public static OutputMapper output() {
    return OutputMapper.builder()
        .computed(
            "messages",
            s ->
                List.of(
                    SampleRecords.message("user", s.getString("question")),
                    SampleRecords.message("assistant", s.getString("answer"))))
        .computed(
            "provenance",
            s -> {
              Map<String, Object> p = new LinkedHashMap<>();
              p.put("sample", "augcon");
              p.put("root_id", s.id().substring(0, s.id().lastIndexOf('/')));
              p.put("source_id", s.get("source_id"));
              p.put("node", s.get("node"));
              p.put("depth", s.get("depth"));
              p.put("parent", s.get("parent"));
              p.put("context", s.get("context"));
              p.put("score", s.get("score"));
              p.put("scorer", s.get("scorer"));
              p.put("quota", s.get("quota"));
              return p;
            })
        .build();
  }

  // ---------------------------------------------------------------- offline shapes

  private static final Set<String> STOP =
      Set.of(
          "this", "that", "these", "those", "with", "from", "have", "been", "were", "which",
          "their", "there", "they", "them", "will", "would", "could", "should", "about", "into",
          "also", "such", "than", "then", "when", "where", "while", "what", "because", "however",
          "other", "some", "more", "most", "very", "being", "over", "under", "after", "before");

  /** Up to {@code n} distinctive words of {@code text}, longest first, in a stable order. */
  static List<String> keywords(String text, int n) {
    List<String> words = new ArrayList<>();
    for (String w : RougeL.tokens(text)) {
      if (w.length() >= 4 && !STOP.contains(w) && !words.contains(w)) {
        words.add(w);
      }
    }
    words.sort((a, b) -> b.length() != a.length() ? b.length() - a.length() : a.compareTo(b));
    return words.subList(0, Math.min(n, words.size()));
  }

  private static final List<String> GOOD_SHAPES =
      List.of(
          "What does the passage explain about %s and %s?",
          "Why is %s important in relation to %s?",
          "How are %s and %s connected in this account?",
          "What role does %s play with respect to %s?",
          "What can be learned about %s from the description of %s?");

  /**
   * Offline CST splitter: a question built from the context's distinctive words and a split at the
   * sentence (or word) boundary nearest the middle. The first reply for one context in seven lacks
   * {@code Context 2} (exercising the parse retry); one in eleven returns a sub-context as long as
   * its parent (exercising the guard). The degraded prompts get vaguer questions.
   */
  static String simulatedSplit(ChatRequest request) {
    String prompt = Offline.firstUser(request);
    String context = Offline.between(prompt, "\n\nContext: ", "\n\nQuestion: ");
    boolean terse = prompt.startsWith(AugConPrompts.TERSE_INSTRUCTION);
    boolean fewer = !prompt.contains(AugConPrompts.EXAMPLES.get(1).substring(0, 40));
    List<String> kw = keywords(context, 2);
    String a = kw.isEmpty() ? "it" : kw.get(0);
    String b = kw.size() < 2 ? "the text" : kw.get(1);
    String question;
    if (terse && fewer) {
      question = "What is this?";
    } else if (terse) {
      question = "Is the text about " + a + "?";
    } else if (fewer) {
      question = "What about " + a + "?";
    } else {
      question =
          String.format(GOOD_SHAPES.get(SampleFiles.bucket(context, GOOD_SHAPES.size())), a, b);
    }
    String[] halves = TextChunker.halve(context);
    boolean retry = request.messages().size() > 1;
    if (!retry && SampleFiles.bucket(context, 7) == 0) {
      return question + "\n\nContext 1: " + context;
    }
    if (SampleFiles.bucket(context, 11) == 1 || halves[1].isEmpty()) {
      return question + "\n\nContext 1: " + context + "\n\nContext 2: " + halves[0];
    }
    return question + "\n\nContext 1: " + halves[0] + "\n\nContext 2: " + halves[1];
  }

  /** Offline answerer: reasoning, then an answer that leans on the context (stripped later). */
  static String simulatedAnswer(ChatRequest request) {
    String prompt = Offline.lastUser(request);
    String context = Offline.between(prompt, "\n\nContext: ", "\nQuestion: ");
    String first = Offline.firstSentence(context);
    return " find the relevant part of the context. The context reference says that "
        + lowerFirst(first)
        + "\nAnswer: According to the context, "
        + lowerFirst(context.strip());
  }

  private static String lowerFirst(String s) {
    return s.isEmpty() ? s : Character.toLowerCase(s.charAt(0)) + s.substring(1);
  }

  static SimulatedModelClient.Builder offline(SimulatedModelClient.Builder sim) {
    return sim.responder(
            r -> {
              String p = Offline.firstUser(r);
              return p.startsWith(AugConPrompts.FULL_INSTRUCTION)
                  || p.startsWith(AugConPrompts.TERSE_INSTRUCTION);
            },
            AugConSample::simulatedSplit)
        .respondWhenPromptContains(AugConPrompts.PRINCIPLES_MARKER, AugConSample::simulatedAnswer);
  }

  // ---------------------------------------------------------------- running

  /** The input texts: JSONL records as they are, other files split into paragraphs. */
  static Source source(Path input) {
    String name = input.getFileName().toString().toLowerCase(Locale.ROOT);
    if (name.endsWith(".jsonl") || name.endsWith(".ndjson") || name.endsWith(".json")) {
      return Sources.file(input);
    }
    List<Map<String, Object>> paragraphs = new ArrayList<>();
    try {
      String text = Files.readString(input, StandardCharsets.UTF_8);
      for (String para : text.split("\\R\\s*\\R")) {
        if (!para.isBlank()) {
          paragraphs.add(Map.of("text", para.strip().replaceAll("\\s*\\R\\s*", " ")));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + input, e);
    }
    return Sources.of(paragraphs);
  }

  @Override
  public RunReport run(SampleContext ctx) {
    Optional<Embedder> embedder = Optional.empty();
    if (ctx.realEndpoint() && ctx.env().get("SYGRA_EMBEDDING_MODEL") != null) {
      // The embeddings endpoint defaults to the chat endpoint, --base-url included.
      Map<String, String> env = new java.util.HashMap<>(ctx.env());
      ctx.baseUrl().ifPresent(u -> env.put("SYGRA_BASE_URL", u));
      embedder = Optional.of(OpenAiCompatibleEmbedder.fromEnv(env));
    }
    try {
      return run(ctx, embedder);
    } finally {
      embedder.ifPresent(Embedder::close);
    }
  }

  /** Runs the three phases; {@code embedder} enables the trained scorer. */
  public static RunReport run(SampleContext ctx, Optional<Embedder> embedder) {
    Path input = SampleFiles.input(ctx, DEFAULT_INPUT);
    try (ModelClient model = SampleModels.create(ctx, AugConSample::offline)) {
      PhaseReports phases = new PhaseReports();
      Path cstDir = ctx.outDir().resolve("cst");
      RunReport cst =
          ctx.run(
              Pipeline.builder()
                  .graph(cstGraph(model))
                  .source(source(input))
                  .runDirectory(cstDir)
                  .outputMapper(cstOutput())
                  .options(ctx.runOptions().toBuilder().limit(ctx.records(10)).build())
                  .build());
      phases.add("cst", "cst", cst);
      List<Map<String, Object>> chunks = SampleFiles.readJsonl(cstDir.resolve("output.jsonl"));

      QuestionScorer scorer = new HeuristicQuestionScorer();
      if (embedder.isPresent()) {
        List<Map<String, Object>> pairInputs = scorerInputs(chunks);
        Path pairsDir = ctx.outDir().resolve("scorer");
        RunReport pairs =
            ctx.run(
                Pipeline.builder()
                    .graph(scorerPairsGraph(model))
                    .source(Sources.of(pairInputs))
                    .runDirectory(pairsDir)
                    .outputMapper(
                        OutputMapper.builder()
                            .pick("context", "positive", "negative", "variant")
                            .build())
                    .options(ctx.runOptions())
                    .build());
        phases.add("scorer-pairs", "scorer", pairs);
        List<Map<String, Object>> trained = SampleFiles.readJsonl(pairsDir.resolve("output.jsonl"));
        if (trained.isEmpty()) {
          throw new IllegalStateException(
              "no scorer training pair was produced; see " + pairsDir.resolve("report.json"));
        }
        EmbeddingQuestionScorer e = trainScorer(embedder.get(), trained);
        Map<String, Object> summary = new LinkedHashMap<>(e.head().summary());
        summary.put("pairs", trained.size());
        summary.put("embedder", embedder.get().provider() + "/" + embedder.get().model());
        phases.note("scorer-training", summary);
        SampleFiles.writeJson(
            pairsDir.resolve("head.json"),
            Map.of("summary", summary, "weights", e.head().weights()));
        scorer = e;
      }
      RunReport r =
          ctx.run(
              Pipeline.builder()
                  .graph(graph(model, scorer))
                  .source(Sources.jsonl(cstDir.resolve("output.jsonl")))
                  .runDirectory(ctx.outDir())
                  .outputMapper(output())
                  .contributor(phases)
                  .options(ctx.runOptions())
                  .build());
      return r;
    }
  }

  /** Up to {@link #SCORER_PAIRS} tree nodes, each with a degraded variant in rotation. */
  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> scorerInputs(List<Map<String, Object>> chunks) {
    List<Map<String, Object>> out = new ArrayList<>();
    int i = 0;
    for (Map<String, Object> chunk : chunks) {
      for (Map<String, Object> q : (List<Map<String, Object>>) chunk.get("questions")) {
        if (out.size() >= SCORER_PAIRS) {
          return out;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", "pair-" + out.size());
        m.put("context", q.get("context"));
        m.put("positive", q.get("question"));
        m.put("variant", AugConPrompts.Variant.DEGRADED.get(i++ % 3).name());
        out.add(m);
      }
    }
    return out;
  }
}
