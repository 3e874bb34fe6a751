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
import io.sygra.core.run.Sources;
import io.sygra.llm.ChatRequest;
import io.sygra.llm.LlmNode;
import io.sygra.llm.ModelClient;
import io.sygra.llm.SimulatedModelClient;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Condor (Cao et al., 2025) as graphs. <b>Condor Void</b>: every leaf tag of a World Knowledge Tree
 * is crossed with seven task types; one call per tag × task writes an Easy, a Medium and a Hard
 * question between {@code [Question Start]…[Question End]} markers, which fan out into three
 * records, each answered. <b>Condor Refine</b>: a critique with {@code [Strength …]}, {@code
 * [Weakness …]} and {@code [Suggestion …]} sections, then a rewrite between {@code [Improved Answer
 * Start]…[Improved Answer End]}, for a number of rounds (default 1). Markers are parsed leniently
 * ({@link CondorMarkers}); an unusable reply is shown back to the model with the problem, up to
 * three attempts.
 *
 * <pre>
 * START → questions ⇄ parse_questions → split (×3) → answer → keep_original
 *       → critique ⇄ parse_critique → refine ⇄ parse_refine ─┬→ critique (next round)
 *                                                            └→ END
 * </pre>
 *
 * <p>Outputs in the run directory: {@code output.jsonl} (refined dataset, TRL SFT {@code messages}
 * with the tag, task type, difficulty, critiques and the original answer in {@code provenance}),
 * {@code void.jsonl} (the same questions with their pre-refinement answers), and {@code
 * stratified.jsonl} (a sample of half the refined records, balanced across tag × task type ×
 * difficulty). Input: {@code --input} tree JSON (default {@code
 * ../shared/fixtures/seeds/condor_knowledge_tree_en.json}), or a text file of seed domains, one per
 * line, which an LLM first expands into a tree ({@code tree/} phase, {@code knowledge-tree.json}).
 * {@code --records N}: tag × task calls (default 6, so 18 questions).
 */
public final class CondorSample implements Sample {

  /** Default knowledge tree, relative to the repository root. */
  public static final String DEFAULT_INPUT =
      "../shared/fixtures/seeds/condor_knowledge_tree_en.json";

  /** Default refinement rounds. */
  public static final int DEFAULT_ROUNDS = 1;

  /** Condor's seven task types, with the guidance given to the question writer. */
  public static final Map<String, String> TASK_TYPES = taskTypes();

  private static Map<String, String> taskTypes() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("Daily Chat", "casual conversation in which the user shares an experience and asks back");
    m.put("Role-play", "the assistant is asked to play a specific role and act in it");
    m.put("Knowledge QA", "a question asking to explain or outline factual knowledge");
    m.put(
        "Given Material Processing",
        "the question includes a short material (a passage, a list, a description) and asks to"
            + " rewrite, expand, summarise or extract from it");
    m.put(
        "Response Format Control",
        "a request with explicit constraints on the form of the answer (length, words to avoid,"
            + " structure)");
    m.put("Viewpoint Discussion", "a question asking for analysis or an opinion on an issue");
    m.put("Creative Writing", "a request to write a story, poem, anecdote or other creative text");
    return Collections.unmodifiableMap(m);
  }

  static final Key<List<Map<String, Object>>> CRITIQUES =
      Key.of("critiques", new TypeReference<List<Map<String, Object>>>() {});
  static final Key<Integer> ROUND = Key.integer("round");

  static final String QUESTION_MARKER = "You only need to create Questions.";
  static final String CRITIQUE_MARKER = "You need to write a critique for this response";
  static final String REFINE_MARKER = "Please help modify the model's answer based on the";
  static final String SUBPATH_MARKER = "For the topic path I have given";

  static final ParseRetry QUESTIONS_RETRY = ParseRetry.named("questions", 3);
  static final ParseRetry CRITIQUE_RETRY = ParseRetry.named("critique", 3);
  static final ParseRetry REFINE_RETRY = ParseRetry.named("refine", 3);

  static final String QUESTION_FORMAT =
      "[Easy][Question Start]Question[Question End]\n\n"
          + "[Medium][Question Start]Question[Question End]\n\n"
          + "[Hard][Question Start]Question[Question End]";
  static final String CRITIQUE_FORMAT =
      "[Critique Start]\n\n[Strength Start]Strength[Strength End]\n\n"
          + "[Weakness Start]Weakness[Weakness End]\n\n"
          + "[Suggestion Start]Suggestion[Suggestion End]\n\n[Critique End]";
  static final String REFINE_FORMAT = "[Improved Answer Start]Your answer[Improved Answer End]";

  @Override
  public String name() {
    return "condor";
  }

  @Override
  public String description() {
    return "knowledge tree tag × 7 task types → Easy/Medium/Hard questions → answer → critique →"
        + " rewrite (self-reflection) → refined + pre-refinement SFT, stratified sample";
  }

  /** The Condor Void + Refine graph against {@code model}, with {@code rounds} refine rounds. */
  public static Graph graph(ModelClient model, int rounds) {
    if (rounds < 1) {
      throw new IllegalArgumentException("rounds must be >= 1, was " + rounds);
    }
    return Graph.builder()
        .name("condor")
        .inputs("domain", "topic", "tag", "task_type", "task_description")
        .stepLimit(30 + 12 * rounds)
        .node("start", Nodes.lambda(QUESTIONS_RETRY::reset))
        .node(
            "questions",
            LlmNode.builder()
                .client(model)
                .user(
                    "Now we need to create high-quality SFT data for LLM training, so we need you"
                        + " to produce a batch of such data. "
                        + QUESTION_MARKER
                        + " I will give you a theme. You need to create three Questions of"
                        + " different difficulty levels based on this theme.\n"
                        + "Your Questions must meet the following requirements:\n"
                        + "1. You must strictly create only three Questions at a time. These three"
                        + " Questions must be in the domain of [[{domain}]] and the Questions"
                        + " should align with the given theme of [[{tag}]] (a part of"
                        + " [[{topic}]]).\n"
                        + "2. The Questions must be of the task type [[{task_type}]]:"
                        + " {task_description}.\n"
                        + "3. The Questions you create must have context and sufficient"
                        + " information; they should not be abrupt and directly ask the"
                        + " question.\n"
                        + "4. Your reply must strictly follow the format below. Your Questions"
                        + " need to be included between [Question Start] and [Question End], and"
                        + " the difficulty level should be indicated at the beginning, as in the"
                        + " following format:\n\n"
                        + QUESTION_FORMAT
                        + "\n\n5. Your Questions of different difficulty levels should be distinct"
                        + " and actually reflect the different levels of difficulty.\n\n"
                        + "Now it's your turn. Please provide the three Questions of different"
                        + " difficulty levels you created about the theme of [[{tag}]] for"
                        + " [[{domain}]], according to the requirements. Do not be confined by the"
                        + " theme; your Questions only need to be related to the theme. You can"
                        + " use your rich imagination, but you must have your own new"
                        + " expression:")
                .history(QUESTIONS_RETRY.feedbackKey())
                .temperature(0.9)
                .maxTokens(800)
                .output("questions_reply")
                .build())
        .node("parse_questions", Nodes.step(CondorSample::parseQuestions))
        .node("split", Nodes.expand("question_list", "item"))
        .node("unpack", Nodes.lambda(CondorSample::unpack))
        .node(
            "answer",
            LlmNode.builder()
                .client(model)
                .user("{question}")
                .temperature(0.7)
                .maxTokens(600)
                .output("answer")
                .build())
        .node(
            "keep_original",
            Nodes.lambda(
                s ->
                    CRITIQUE_RETRY
                        .reset(s)
                        .with("original_answer", s.getString("answer"))
                        .with(ROUND, 0)
                        .with(CRITIQUES, List.of())))
        .node(
            "critique",
            LlmNode.builder()
                .client(model)
                .user(
                    "There is now a user's question and a model's response. "
                        + CRITIQUE_MARKER
                        + ", pointing out the strengths and weaknesses of the model's answer to"
                        + " help the model improve its response.\n\n"
                        + "Your critique must strictly adhere to the following format:\n\n"
                        + CRITIQUE_FORMAT
                        + "\n\nThat is, you must place the strength, weakness, and suggestion in"
                        + " their respective sections.\n\n"
                        + "Here is the user's question and the model's response:\n"
                        + "[Question Start]{question}[Question End]\n"
                        + "[Answer Start]{answer}[Answer End]\n\n"
                        + "Now it's your turn. Please provide your Critique as required:")
                .history(CRITIQUE_RETRY.feedbackKey())
                .temperature(0.3)
                .maxTokens(600)
                .output("critique_reply")
                .build())
        .node("parse_critique", Nodes.step(CondorSample::parseCritique))
        .node(
            "refine",
            LlmNode.builder()
                .client(model)
                .user(
                    "Now there is a user's question, a model's answer, and the user's feedback. "
                        + REFINE_MARKER
                        + " user's feedback to make it better.\n"
                        + "Your improved answer must strictly adhere to the following format:\n"
                        + REFINE_FORMAT
                        + "\nThat is, you must place your answer between [Improved Answer Start]"
                        + " and [Improved Answer End].\n"
                        + "Below is the user's question, the model's answer, and the feedback:\n"
                        + "[Question Start]{question}[Question End]\n"
                        + "[Answer Start]{answer}[Answer End]\n"
                        + "[Feedback Start]{feedback}[Feedback End]\n"
                        + "Now it's your turn, please provide your improved answer as required:")
                .history(REFINE_RETRY.feedbackKey())
                .temperature(0.3)
                .maxTokens(800)
                .output("refine_reply")
                .build())
        .node("parse_refine", Nodes.step(s -> parseRefine(s, rounds)))
        .edge(Graph.START, "start")
        .edge("start", "questions")
        .edge("questions", "parse_questions")
        .conditionalEdge(
            "parse_questions",
            s -> QUESTIONS_RETRY.retrying(s) ? "questions" : "split",
            Set.of("questions", "split"))
        .edge("split", "unpack")
        .edge("unpack", "answer")
        .edge("answer", "keep_original")
        .edge("keep_original", "critique")
        .edge("critique", "parse_critique")
        .conditionalEdge(
            "parse_critique",
            s -> CRITIQUE_RETRY.retrying(s) ? "critique" : "refine",
            Set.of("critique", "refine"))
        .edge("refine", "parse_refine")
        .conditionalEdge(
            "parse_refine",
            s -> {
              if (REFINE_RETRY.retrying(s)) {
                return "refine";
              }
              return s.require(ROUND) < rounds ? "critique" : Graph.END;
            },
            Set.of("refine", "critique", Graph.END))
        .build();
  }

  /** Parses the three questions; retries with feedback, or drops after the last attempt. */
  static NodeResult parseQuestions(State s) {
    String reply = s.getString("questions_reply");
    try {
      CondorMarkers.Questions q = CondorMarkers.parseQuestions(reply);
      List<Map<String, Object>> items = new ArrayList<>();
      for (CondorMarkers.Question x : q.questions()) {
        items.add(Map.of("difficulty", x.difficulty(), "question", x.text()));
      }
      return NodeResult.of(
          QUESTIONS_RETRY
              .succeeded(s)
              .with("question_list", items)
              .with("question_missing_markers", q.missingMarkers()));
    } catch (CondorMarkers.ParseException e) {
      return QUESTIONS_RETRY.retryOrDrop(
          s,
          reply,
          e.getMessage(),
          QUESTION_FORMAT,
          "question synthesis unusable after " + QUESTIONS_RETRY.maxAttempts() + " attempts");
    }
  }

  /** One record per question: difficulty and question text at the top level. */
  @SuppressWarnings("unchecked")
  static State unpack(State s) {
    Map<String, Object> item = (Map<String, Object>) s.get("item");
    return s.with("difficulty", item.get("difficulty"))
        .with("question", item.get("question"))
        .without("item")
        .without("questions_reply")
        .without(QUESTIONS_RETRY.feedbackKey());
  }

  /** Parses the critique leniently into feedback for the rewrite. */
  static NodeResult parseCritique(State s) {
    String reply = s.getString("critique_reply");
    try {
      CondorMarkers.Critique c = CondorMarkers.parseCritique(reply);
      return NodeResult.of(
          REFINE_RETRY
              .reset(CRITIQUE_RETRY.succeeded(s))
              .with("feedback", c.feedback())
              .with("critique", c.toMap()));
    } catch (CondorMarkers.ParseException e) {
      return CRITIQUE_RETRY.retryOrDrop(
          s,
          reply,
          e.getMessage(),
          CRITIQUE_FORMAT,
          "critique unusable after " + CRITIQUE_RETRY.maxAttempts() + " attempts");
    }
  }

  /** Takes the improved answer and records the round. */
  @SuppressWarnings("unchecked")
  static NodeResult parseRefine(State s, int rounds) {
    String reply = s.getString("refine_reply");
    try {
      CondorMarkers.ImprovedAnswer a = CondorMarkers.parseImprovedAnswer(reply);
      int round = s.require(ROUND) + 1;
      List<Map<String, Object>> critiques = new ArrayList<>(s.require(CRITIQUES));
      Map<String, Object> step = new LinkedHashMap<>((Map<String, Object>) s.get("critique"));
      step.put("round", round);
      step.put("answerMissingMarkers", a.missingMarkers());
      critiques.add(step);
      State next =
          REFINE_RETRY
              .succeeded(s)
              .with("answer", a.text())
              .with(ROUND, round)
              .with(CRITIQUES, critiques);
      return NodeResult.of(round < rounds ? CRITIQUE_RETRY.reset(next) : next);
    } catch (CondorMarkers.ParseException e) {
      return REFINE_RETRY.retryOrDrop(
          s,
          reply,
          e.getMessage(),
          REFINE_FORMAT,
          "rewrite unusable after " + REFINE_RETRY.maxAttempts() + " attempts");
    }
  }

  /** The refined dataset: TRL SFT messages plus provenance (with the original answer). */
  public static OutputMapper output() {
    return OutputMapper.builder()
        .computed("messages", s -> messages(s, s.getString("answer")))
        .computed(
            "provenance",
            s -> {
              Map<String, Object> p = new LinkedHashMap<>();
              p.put("sample", "condor");
              p.put("domain", s.getString("domain"));
              p.put("topic", s.getString("topic"));
              p.put("tag", s.getString("tag"));
              p.put("task_type", s.getString("task_type"));
              p.put("difficulty", s.getString("difficulty"));
              p.put("rounds", s.require(ROUND));
              p.put("question_missing_markers", s.get("question_missing_markers"));
              p.put("critiques", s.require(CRITIQUES));
              p.put("original_answer", s.getString("original_answer"));
              return p;
            })
        .build();
  }

  private static List<Map<String, Object>> messages(State s, String answer) {
    return List.of(
        SampleRecords.message("user", s.getString("question")),
        SampleRecords.message("assistant", answer));
  }

  /** Tag × task-type calls in a fixed shuffled order, so the first N cover many domains. */
  static List<Map<String, Object>> combinations(KnowledgeTree tree, long seed) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (KnowledgeTree.Leaf leaf : tree.leaves()) {
      for (Map.Entry<String, String> task : TASK_TYPES.entrySet()) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("domain", leaf.domain());
        m.put("topic", leaf.topic());
        m.put("tag", leaf.tag());
        m.put("task_type", task.getKey());
        m.put("task_description", task.getValue());
        out.add(m);
      }
    }
    Collections.shuffle(out, new Random(seed));
    return out;
  }

  /**
   * Writes {@code void.jsonl} (each refined record's question with its pre-refinement answer) and
   * {@code stratified.jsonl} (half the refined records, balanced across tag × task × difficulty).
   */
  @SuppressWarnings("unchecked")
  static Map<String, Object> writeDatasets(Path dir) {
    List<Map<String, Object>> refined = SampleFiles.readJsonl(dir.resolve("output.jsonl"));
    List<Map<String, Object>> pre = new ArrayList<>(refined.size());
    for (Map<String, Object> r : refined) {
      Map<String, Object> p = (Map<String, Object>) r.get("provenance");
      List<Map<String, Object>> msgs = (List<Map<String, Object>>) r.get("messages");
      Map<String, Object> v = new LinkedHashMap<>();
      v.put("id", r.get("id"));
      v.put(
          "messages",
          List.of(msgs.get(0), SampleRecords.message("assistant", p.get("original_answer"))));
      Map<String, Object> vp = new LinkedHashMap<>(p);
      vp.remove("critiques");
      vp.remove("original_answer");
      vp.put("stage", "void");
      v.put("provenance", vp);
      pre.add(v);
    }
    SampleFiles.writeJsonl(dir.resolve("void.jsonl"), pre);
    int size = (refined.size() + 1) / 2;
    List<Map<String, Object>> sample =
        StratifiedSampler.sample(
            refined,
            r -> {
              Map<String, Object> p = (Map<String, Object>) r.get("provenance");
              return p.get("tag") + "|" + p.get("task_type") + "|" + p.get("difficulty");
            },
            size,
            SampleModels.SEED);
    SampleFiles.writeJsonl(dir.resolve("stratified.jsonl"), sample);
    return Map.of("void", pre.size(), "refined", refined.size(), "stratified", sample.size());
  }

  // ---- offline shapes ----

  private static final Map<String, String> QUESTION_SHAPES =
      Map.of(
          "Daily Chat",
          "I have been reading about %s lately and it made me curious. Have you come across %s"
              + " before, and what did you find most surprising about it?",
          "Role-play",
          "You are a seasoned consultant on %s. A client who knows little about %s asks you for"
              + " advice in a first meeting; play the consultant and respond.",
          "Knowledge QA",
          "People often mention %s without explaining it. Can you outline what %s involves and"
              + " why it matters?",
          "Given Material Processing",
          "Here is a short note: \"%s is changing quickly.\" Expand it into a full paragraph"
              + " about %s, adding two concrete details.",
          "Response Format Control",
          "Write exactly three bullet points about %s, each under fifteen words, without using"
              + " the word 'important', and relate them to %s.",
          "Viewpoint Discussion",
          "Some argue that %s is overrated. What is your view on %s, and what evidence would"
              + " change your mind?",
          "Creative Writing",
          "Write a short, light-hearted anecdote in which %s plays a surprising role, set in a"
              + " world where %s is part of daily life.");

  private static final List<String> LEVEL_ADDITIONS =
      List.of(
          "",
          " Please consider at least two different situations.",
          " Please weigh the trade-offs, cite the constraints involved, and justify each step.");

  /**
   * Offline question writer: three questions shaped by the task type. Its first reply to one call
   * in six forgets the Hard question (a parse failure that is retried with feedback); one in five
   * omits a closing marker (parsed leniently).
   */
  static String simulatedQuestions(ChatRequest request) {
    String prompt = Offline.firstUser(request);
    String tag = Offline.between(prompt, "given theme of [[", "]] (a part of");
    String task = Offline.between(prompt, "task type [[", "]]:");
    String shape = QUESTION_SHAPES.getOrDefault(task, QUESTION_SHAPES.get("Knowledge QA"));
    boolean retry = request.messages().size() > 1;
    int bucket = SampleFiles.bucket(tag + task, 30);
    StringBuilder sb = new StringBuilder();
    int n = !retry && bucket % 6 == 0 ? 2 : 3;
    for (int i = 0; i < n; i++) {
      String q = String.format(shape, tag, tag.toLowerCase()) + LEVEL_ADDITIONS.get(i);
      sb.append('[').append(CondorMarkers.DIFFICULTIES.get(i)).append("][Question Start]");
      sb.append(q);
      if (!(i == 1 && bucket % 5 == 1)) {
        sb.append("[Question End]");
      }
      sb.append("\n\n");
    }
    return sb.toString().strip();
  }

  /**
   * Offline critic: all three sections; one critique in three lacks the outer wrapper and one in
   * four lacks the closing weakness marker.
   */
  static String simulatedCritique(ChatRequest request) {
    String prompt = Offline.firstUser(request);
    String question = Offline.between(prompt, "[Question Start]", "[Question End]");
    int b =
        SampleFiles.bucket(
            question + Offline.between(prompt, "[Answer Start]", "[Answer End]"), 12);
    String strength = "The answer addresses the question directly and stays on topic.";
    String weakness =
        "It remains general: it gives no concrete example and does not explain the reasoning"
            + " behind its claims.";
    String suggestion =
        "Add one concrete, realistic example and explain step by step why the advice holds.";
    StringBuilder sb = new StringBuilder();
    boolean wrapped = b % 3 != 0;
    if (wrapped) {
      sb.append("[Critique Start]\n\n");
    }
    sb.append("[Strength Start]").append(strength).append("[Strength End]\n\n");
    sb.append("[Weakness Start]").append(weakness);
    sb.append(b % 4 == 1 ? "\n\n" : "[Weakness End]\n\n");
    sb.append("[Suggestion Start]").append(suggestion).append("[Suggestion End]");
    if (wrapped) {
      sb.append("\n\n[Critique End]");
    }
    return sb.toString();
  }

  /**
   * Offline rewriter: the answer plus a concrete example, as the critique asks; one rewrite in
   * three lacks the closing marker and one in five the opening one.
   */
  static String simulatedRefinement(ChatRequest request) {
    String prompt = Offline.firstUser(request);
    String answer = Offline.between(prompt, "[Answer Start]", "[Answer End]");
    String question = Offline.between(prompt, "[Question Start]", "[Question End]");
    int b = SampleFiles.bucket(question + answer, 15);
    String improved =
        answer
            + "\n\nFor example, consider a concrete case: when the situation described in the"
            + " question arises, the first step is to identify the constraint that matters most,"
            + " because every later choice depends on it.";
    String open = b % 5 == 1 ? "" : "[Improved Answer Start]";
    String close = b % 3 == 0 ? "" : "[Improved Answer End]";
    return open + improved + close;
  }

  /** Offline tree expansion: three sub-paths per path, as a Python list. */
  static String simulatedSubpaths(ChatRequest request) {
    String prompt = Offline.lastUser(request);
    String path = Offline.between(prompt, "Here is the given topic path: ", ". Please provide");
    String last = path.contains("-") ? path.substring(path.lastIndexOf('-') + 1) : path;
    return "[\"" + last + " Basics\", \"" + last + " in Practice\", \"" + last + " Trends\"]";
  }

  static SimulatedModelClient.Builder offline(SimulatedModelClient.Builder sim) {
    // Keyed on the first user message: a retry's last user message is the correction.
    return sim.responder(
            Offline.firstUserContains(QUESTION_MARKER), CondorSample::simulatedQuestions)
        .responder(Offline.firstUserContains(CRITIQUE_MARKER), CondorSample::simulatedCritique)
        .responder(Offline.firstUserContains(REFINE_MARKER), CondorSample::simulatedRefinement)
        .responder(Offline.firstUserContains(SUBPATH_MARKER), CondorSample::simulatedSubpaths);
  }

  @Override
  public RunReport run(SampleContext ctx) {
    Path input = SampleFiles.input(ctx, DEFAULT_INPUT);
    try (ModelClient model = SampleModels.create(ctx, CondorSample::offline)) {
      PhaseReports phases = new PhaseReports();
      KnowledgeTree tree;
      if (input.getFileName().toString().endsWith(".json")) {
        tree = KnowledgeTree.read(input);
      } else {
        tree = CondorTreeExpansion.expand(ctx, model, input, phases);
      }
      List<Map<String, Object>> all = combinations(tree, SampleModels.SEED);
      List<Map<String, Object>> chosen = all.subList(0, (int) Math.min(all.size(), ctx.records(6)));
      Pipeline p =
          Pipeline.builder()
              .graph(graph(model, DEFAULT_ROUNDS))
              .source(Sources.of(chosen))
              .runDirectory(ctx.outDir())
              .outputMapper(output())
              .contributor(phases)
              .options(ctx.runOptions())
              .build();
      RunReport r = ctx.run(p);
      Map<String, Object> counts = writeDatasets(ctx.outDir());
      ctx.out()
          .println(
              "condor: refined "
                  + counts.get("refined")
                  + ", pre-refinement (void.jsonl) "
                  + counts.get("void")
                  + ", stratified sample (stratified.jsonl) "
                  + counts.get("stratified"));
      return r;
    }
  }
}
