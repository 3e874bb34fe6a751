package io.sygra.samples;

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
import io.sygra.llm.ChatResponse;
import io.sygra.llm.LlmNode;
import io.sygra.llm.ModelClient;
import io.sygra.llm.MultiLlmNode;
import io.sygra.llm.SimulatedModelClient;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * Multi-model preference data: two models answer each prompt in parallel (a {@link MultiLlmNode}),
 * a judge scores the pair twice, once in each order (two parallel branches), and the position-swap
 * check ({@link PairwiseVerdicts}) keeps a pair only when the verdict is consistent and not a tie.
 * Output: TRL DPO records ({@code prompt}, {@code chosen}, {@code rejected}) with {@code
 * score_chosen}, {@code score_rejected} and provenance; ties and flips are dropped with their
 * reason.
 *
 * <pre>
 * START → topic → question → candidates (model a ‖ model b) ─┬→ judge_ab ─┐
 *                                                            └→ judge_ba ─┴→ decide → END
 * </pre>
 *
 * <p>Models: offline, two simulated models with different seeds ({@code model-a}, {@code model-b}).
 * Against a real endpoint, candidate {@code a} is {@code --model}/{@code SYGRA_MODEL} and candidate
 * {@code b} is {@code SYGRA_MODEL_B}; without it, {@code b} is the same model sampled with another
 * seed at a higher temperature. The judge is model {@code a} (or {@code SYGRA_JUDGE_MODEL}). Five
 * LLM calls per input record.
 */
public final class DpoMultiModelSample implements Sample {

  /** The judge's scores for the response shown first and second. */
  public record PairScores(
      @Min(1) @Max(10) int score_1, @Min(1) @Max(10) int score_2, String reason) {}

  static final Key<PairScores> VERDICT_AB = Key.of("verdict_ab", PairScores.class);
  static final Key<PairScores> VERDICT_BA = Key.of("verdict_ba", PairScores.class);
  static final Key<Map<String, String>> ANSWERS = Key.mapOf("answers", String.class);

  static final String JUDGE_MARKER = "Compare the two responses to the user's question";

  @Override
  public String name() {
    return "dpo-multi-model";
  }

  @Override
  public String description() {
    return "two models answer in parallel → judge both orders (position swap) → TRL DPO"
        + " chosen/rejected with scores; ties dropped";
  }

  /** Candidate models: a label, a client and an optional model name. */
  public record Candidate(String label, ModelClient client, String model) {
    public Candidate {
      Objects.requireNonNull(label, "label");
      Objects.requireNonNull(client, "client");
    }
  }

  private static String judgePrompt(String first, String second) {
    return JUDGE_MARKER
        + ".\n\n[Question]\n{question}\n\n[Response 1]\n{answers."
        + first
        + "}\n[End of Response 1]\n\n[Response 2]\n{answers."
        + second
        + "}\n[End of Response 2]\n\nScore each response from 1 (useless) to 10 (excellent) for"
        + " helpfulness, correctness and clarity. Judge the content, not the length or the order"
        + " in which the responses appear. Give a one-sentence reason.";
  }

  /** The graph: candidates {@code a} and {@code b} answer, {@code judge} compares. */
  public static Graph graph(Candidate a, Candidate b, ModelClient judge) {
    if (!a.label().equals("a") || !b.label().equals("b")) {
      throw new IllegalArgumentException("candidates must be labelled 'a' and 'b'");
    }
    return Graph.builder()
        .name("dpo-multi-model")
        .node("topic", Nodes.sampler().sequential("topic", QuickstartSample.topics()).build())
        .node(
            "question",
            LlmNode.builder()
                .client(judge)
                .system("You write one clear, self-contained question for a training set.")
                .user(QuickstartSample.QUESTION_MARKER + " {topic}. Reply with the question only.")
                .temperature(0.8)
                .maxTokens(120)
                .output("question")
                .build())
        .node(
            "candidates",
            MultiLlmNode.builder()
                .model("a", a.client(), a.model())
                .model("b", b.client(), b.model())
                .system("You are a helpful assistant.")
                .user("{question}")
                .temperature(0.8)
                .maxTokens(400)
                .output("answers")
                .build())
        .node("judge_ab", judgeNode(judge, "a", "b", VERDICT_AB))
        .node("judge_ba", judgeNode(judge, "b", "a", VERDICT_BA))
        .node("decide", Nodes.step(DpoMultiModelSample::decide))
        .edge(Graph.START, "topic")
        .edge("topic", "question")
        .edge("question", "candidates")
        .edge("candidates", "judge_ab")
        .edge("candidates", "judge_ba")
        .edge("judge_ab", "decide")
        .edge("judge_ba", "decide")
        .edge("decide", Graph.END)
        .build();
  }

  private static LlmNode judgeNode(
      ModelClient judge, String first, String second, Key<PairScores> key) {
    return LlmNode.builder()
        .client(judge)
        .system("You are an impartial judge of answer quality.")
        .user(judgePrompt(first, second))
        .temperature(0.0)
        .structuredOutput(key)
        .build();
  }

  /** Applies the position-swap check; writes the winner and scores, or drops with the reason. */
  static NodeResult decide(State s) {
    PairScores ab = s.require(VERDICT_AB);
    PairScores ba = s.require(VERDICT_BA);
    PairwiseVerdicts.Decision d =
        PairwiseVerdicts.decide(ab.score_1(), ab.score_2(), ba.score_1(), ba.score_2());
    if (!d.kept()) {
      return NodeResult.drop(d.dropReason());
    }
    return NodeResult.of(
        s.with("winner", d.winner()).with("score_a", d.scoreA()).with("score_b", d.scoreB()));
  }

  /** TRL DPO (conversational, explicit prompt) plus the scores and provenance. */
  public static OutputMapper output(String modelA, String modelB) {
    return OutputMapper.builder()
        .computed("prompt", s -> List.of(SampleRecords.message("user", s.getString("question"))))
        .computed("chosen", s -> assistant(s, winner(s)))
        .computed("rejected", s -> assistant(s, loser(s)))
        .computed("score_chosen", s -> score(s, winner(s)))
        .computed("score_rejected", s -> score(s, loser(s)))
        .computed(
            "provenance",
            s -> {
              Map<String, Object> p = new LinkedHashMap<>();
              p.put("sample", "dpo-multi-model");
              p.put("topic", s.getString("topic"));
              p.put("chosen_model", winner(s).equals("a") ? modelA : modelB);
              p.put("rejected_model", winner(s).equals("a") ? modelB : modelA);
              p.put("judge_a_first", s.get("verdict_ab"));
              p.put("judge_b_first", s.get("verdict_ba"));
              return p;
            })
        .build();
  }

  private static String winner(State s) {
    return s.getString("winner");
  }

  private static String loser(State s) {
    return winner(s).equals("a") ? "b" : "a";
  }

  private static List<Map<String, Object>> assistant(State s, String label) {
    return List.of(SampleRecords.message("assistant", s.require(ANSWERS).get(label)));
  }

  private static double score(State s, String label) {
    return ((Number) s.get("score_" + label)).doubleValue();
  }

  /**
   * Offline judge: each response gets a stable quality score from its text, so swapping the order
   * keeps the verdict, equal scores make ties, and for one question in eight the judge favours
   * whichever response is shown first, which the position-swap check catches.
   */
  static String simulatedJudgement(ChatRequest request) {
    String prompt = Offline.lastUser(request);
    String question = Offline.between(prompt, "[Question]\n", "\n\n[Response 1]");
    String r1 = Offline.between(prompt, "[Response 1]\n", "\n[End of Response 1]");
    String r2 = Offline.between(prompt, "[Response 2]\n", "\n[End of Response 2]");
    int s1 = 4 + SampleFiles.bucket(r1, 5);
    int s2 = 4 + SampleFiles.bucket(r2, 5);
    if (SampleFiles.bucket(question, 8) == 0) {
      s1 = Math.min(10, s2 + 2);
    }
    String reason =
        s1 == s2
            ? "Both responses are equally helpful."
            : "Response " + (s1 > s2 ? 1 : 2) + " is more complete and precise.";
    return "{\"score_1\": " + s1 + ", \"score_2\": " + s2 + ", \"reason\": \"" + reason + "\"}";
  }

  static SimulatedModelClient.Builder offline(SimulatedModelClient.Builder sim) {
    return sim.respondWhenPromptContains(
            QuickstartSample.QUESTION_MARKER, QuickstartSample::simulatedQuestion)
        .respondWhenPromptContains(JUDGE_MARKER, DpoMultiModelSample::simulatedJudgement);
  }

  /** A view of {@code client} that samples with its own seed and temperature (a second "model"). */
  static ModelClient reseeded(ModelClient client, long seed, double temperature) {
    return new ModelClient() {
      @Override
      public CompletableFuture<ChatResponse> chat(ChatRequest request) {
        return client.chat(request.newBuilder().seed(seed).temperature(temperature).build());
      }

      @Override
      public String provider() {
        return client.provider();
      }
    };
  }

  @Override
  public RunReport run(SampleContext ctx) {
    try (ModelClient main = SampleModels.create(ctx, DpoMultiModelSample::offline);
        ModelClient second =
            ctx.realEndpoint()
                ? null
                : SimulatedModelClient.builder()
                    .seed(SampleModels.SEED + 1)
                    .name("model-b")
                    .defaultModel("simulated-model-b")
                    .build()) {
      Candidate a;
      Candidate b;
      String nameA;
      String nameB;
      ModelClient judge = main;
      if (ctx.realEndpoint()) {
        String modelA = ctx.model().orElse(null);
        String modelB = blankToNull(ctx.env().get("SYGRA_MODEL_B"));
        a = new Candidate("a", main, modelA);
        nameA = modelA == null ? "default" : modelA;
        if (modelB != null) {
          b = new Candidate("b", main, modelB);
          nameB = modelB;
        } else {
          b = new Candidate("b", reseeded(main, 1234, 1.0), modelA);
          nameB = nameA + " (seed 1234, temperature 1.0)";
        }
        String judgeModel = blankToNull(ctx.env().get("SYGRA_JUDGE_MODEL"));
        if (judgeModel != null) {
          judge = withModel(main, judgeModel);
        }
      } else {
        a = new Candidate("a", main, "simulated-model-a");
        b = new Candidate("b", second, "simulated-model-b");
        nameA = "simulated-model-a";
        nameB = "simulated-model-b";
      }
      Pipeline p =
          Pipeline.builder()
              .graph(graph(a, b, judge))
              .source(Sources.generate(ctx.records(16)))
              .runDirectory(ctx.outDir())
              .outputMapper(output(nameA, nameB))
              .options(ctx.runOptions())
              .build();
      return ctx.run(p);
    }
  }

  private static ModelClient withModel(ModelClient client, String model) {
    return new ModelClient() {
      @Override
      public CompletableFuture<ChatResponse> chat(ChatRequest request) {
        return client.chat(request.newBuilder().model(model).build());
      }

      @Override
      public String provider() {
        return client.provider();
      }
    };
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
