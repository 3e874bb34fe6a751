package io.sygra.samples;

import com.fasterxml.jackson.annotation.JsonProperty;
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
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Self-Refine (Madaan et al., 2023) as a graph: a model drafts an answer, a judge returns a
 * structured verdict (score, is_good, critique), and while the answer is not good the model
 * rewrites it from the critique, up to a maximum number of judged drafts. Converged records become
 * TRL SFT {@code messages}; each keeps its whole trajectory (every draft with its verdict) in
 * {@code provenance}. Records still not good after the last allowed draft are dropped with a reason
 * naming the iteration cap and the last score.
 *
 * <pre>
 * START → topic → question → draft → judge → record ─┬→ refine → judge (loop)
 *                                                     ├→ END (good)
 *                                                     └→ give_up (drop: max iterations)
 * </pre>
 *
 * <p>LLM calls per written record: 2 + 2k − 1 for k judged drafts (question, draft, k judgements, k
 * − 1 rewrites).
 */
public final class SelfRefineSample implements Sample {

  /** Default maximum number of judged drafts per record. */
  public static final int DEFAULT_MAX_ITERATIONS = 3;

  /** The judge's structured verdict. */
  public record Judgement(
      @Min(1) @Max(10) int score, @JsonProperty("is_good") boolean isGood, String critique) {}

  static final Key<Judgement> JUDGEMENT = Key.of("judgement", Judgement.class);
  static final Key<Integer> ITERATION = Key.integer("iteration");
  static final Key<String> ANSWER = Key.string("answer");

  static final Key<List<Map<String, Object>>> TRAJECTORY =
      Key.of("trajectory", new TypeReference<List<Map<String, Object>>>() {});

  private static final Pattern EARLIER_FEEDBACK = Pattern.compile("(?m)^Feedback \\d+: ");

  static final String JUDGE_MARKER = "Grade the draft answer below";
  static final String REFINE_MARKER = "Rewrite the answer so that it fixes every point";

  @Override
  public String name() {
    return "self-refine";
  }

  @Override
  public String description() {
    return "draft → structured judge (score, is_good, critique) → refine loop until good or max"
        + " iterations → TRL SFT with the trajectory";
  }

  /** The self-refine graph against {@code model}, with at most {@code maxIterations} drafts. */
  public static Graph graph(ModelClient model, int maxIterations) {
    if (maxIterations < 1) {
      throw new IllegalArgumentException("maxIterations must be >= 1, was " + maxIterations);
    }
    return Graph.builder()
        .name("self-refine")
        .node("topic", Nodes.sampler().sequential("topic", QuickstartSample.topics()).build())
        .node(
            "question",
            LlmNode.builder()
                .client(model)
                .system("You write one clear, self-contained question for a training set.")
                .user(QuickstartSample.QUESTION_MARKER + " {topic}. Reply with the question only.")
                .temperature(0.8)
                .maxTokens(120)
                .output("question")
                .build())
        .node(
            "draft",
            LlmNode.builder()
                .client(model)
                .system("You are a helpful, accurate and concise expert.")
                .user("{question}")
                .temperature(0.7)
                .maxTokens(400)
                .output("answer")
                .build())
        .node(
            "judge",
            LlmNode.builder()
                .client(model)
                .system(
                    "You review answers for a supervised fine-tuning dataset. Be strict: an answer"
                        + " is good only if it is correct, complete, clear and directly answers"
                        + " the question.")
                .user(
                    JUDGE_MARKER
                        + ".\n\nQuestion:\n{question}\n\nDraft answer:\n{answer}\n\n"
                        + "Feedback given on earlier drafts (check that it was addressed):\n"
                        + "{feedback_so_far}\n\n"
                        + "Score the draft from 1 to 10, say whether it is good enough to keep"
                        + " as is (is_good), and write a critique listing what to fix.")
                .temperature(0.0)
                .structuredOutput(JUDGEMENT)
                .build())
        .node("record", Nodes.lambda(SelfRefineSample::record))
        .node(
            "refine",
            LlmNode.builder()
                .client(model)
                .system("You are a helpful, accurate and concise expert.")
                .user(
                    "Question:\n{question}\n\nYour previous answer:\n{answer}\n\nCritique:\n"
                        + "{judgement.critique}\n\n"
                        + REFINE_MARKER
                        + " of the critique. Reply with the new answer only.")
                .temperature(0.7)
                .maxTokens(400)
                .output("answer")
                .build())
        .node(
            "give_up",
            Nodes.step(
                s ->
                    NodeResult.drop(
                        "not good after "
                            + maxIterations
                            + " iterations (last score "
                            + s.require(JUDGEMENT).score()
                            + ")")))
        .edge(Graph.START, "topic")
        .edge("topic", "question")
        .edge("question", "draft")
        .node("start_loop", Nodes.lambda(SelfRefineSample::startLoop))
        .edge("draft", "start_loop")
        .edge("start_loop", "judge")
        .edge("judge", "record")
        .conditionalEdge(
            "record",
            s -> {
              if (s.require(JUDGEMENT).isGood()) {
                return Graph.END;
              }
              // record() has already advanced the counter to the next draft's number.
              return s.require(ITERATION) > maxIterations ? "give_up" : "refine";
            },
            Set.of(Graph.END, "give_up", "refine"))
        .edge("refine", "judge")
        .edge("give_up", Graph.END)
        .stepLimit(10 + 3 * maxIterations)
        .build();
  }

  /** Before the first judgement: iteration 1, empty trajectory, no earlier feedback. */
  static State startLoop(State s) {
    return s.with(ITERATION, 1).with(TRAJECTORY, List.of()).with("feedback_so_far", "none");
  }

  /** Appends the judged draft to the trajectory and prepares the next iteration. */
  static State record(State s) {
    Judgement j = s.require(JUDGEMENT);
    int iteration = s.require(ITERATION);
    List<Map<String, Object>> trajectory = new ArrayList<>(s.require(TRAJECTORY));
    Map<String, Object> step = new LinkedHashMap<>();
    step.put("iteration", iteration);
    step.put("answer", s.require(ANSWER));
    step.put("score", j.score());
    step.put("is_good", j.isGood());
    step.put("critique", j.critique());
    trajectory.add(step);
    StringBuilder feedback = new StringBuilder();
    for (Map<String, Object> t : trajectory) {
      feedback
          .append("Feedback ")
          .append(t.get("iteration"))
          .append(": ")
          .append(t.get("critique"))
          .append('\n');
    }
    State out = s.with(TRAJECTORY, trajectory).with("feedback_so_far", feedback.toString().strip());
    return j.isGood() ? out : out.with(ITERATION, iteration + 1);
  }

  /** TRL SFT messages with the final answer; provenance keeps the trajectory. */
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
              p.put("sample", "self-refine");
              p.put("topic", s.getString("topic"));
              p.put("iterations", s.require(ITERATION));
              p.put("final_score", s.require(JUDGEMENT).score());
              p.put("trajectory", s.require(TRAJECTORY));
              return p;
            })
        .build();
  }

  /**
   * Offline judge: questions fall into four deterministic groups: good at the first draft, good
   * after one rewrite, good after two, or never good (which exercises the iteration cap). The
   * iteration is read from the earlier feedback shown to the judge.
   */
  static String simulatedJudgement(ChatRequest request) {
    String prompt = Offline.lastUser(request);
    String question = Offline.between(prompt, "Question:\n", "\n\nDraft answer:");
    int iteration = 1 + (int) EARLIER_FEEDBACK.matcher(prompt).results().count();
    int goodAt =
        switch (SampleFiles.bucket(question, 4)) {
          case 0 -> Integer.MAX_VALUE;
          case 1 -> 2;
          case 2 -> 3;
          default -> 1;
        };
    boolean good = iteration >= goodAt;
    int score = good ? 8 + Math.min(2, iteration - 1) : Math.min(6, 3 + iteration);
    String critique =
        good
            ? "Correct and complete; the explanation is clear and directly answers the question."
            : switch (iteration) {
              case 1 ->
                  "The answer stays vague: define the key term first and add one concrete"
                      + " example.";
              case 2 -> "Better, but the steps are out of order and the conclusion is missing.";
              default -> "Still imprecise: a central claim is unsupported; state it with a reason.";
            };
    return "{\"score\": "
        + score
        + ", \"is_good\": "
        + good
        + ", \"critique\": \""
        + critique
        + "\"}";
  }

  /** The offline model: scripted questions and judgements, synthetic prose elsewhere. */
  static SimulatedModelClient.Builder offline(SimulatedModelClient.Builder sim) {
    return sim.respondWhenPromptContains(
            QuickstartSample.QUESTION_MARKER, QuickstartSample::simulatedQuestion)
        .respondWhenPromptContains(JUDGE_MARKER, SelfRefineSample::simulatedJudgement);
  }

  @Override
  public RunReport run(SampleContext ctx) {
    try (ModelClient model = SampleModels.create(ctx, SelfRefineSample::offline)) {
      Pipeline p =
          Pipeline.builder()
              .graph(graph(model, DEFAULT_MAX_ITERATIONS))
              .source(Sources.generate(ctx.records(12)))
              .runDirectory(ctx.outDir())
              .outputMapper(output())
              .options(ctx.runOptions())
              .build();
      return ctx.run(p);
    }
  }
}
