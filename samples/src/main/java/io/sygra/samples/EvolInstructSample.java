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
import io.sygra.llm.ChatMessage;
import io.sygra.llm.ChatRequest;
import io.sygra.llm.LlmNode;
import io.sygra.llm.ModelClient;
import io.sygra.llm.SimulatedModelClient;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Evol-Instruct (WizardLM) as a graph. Each seed instruction branches into an in-depth path (two
 * rounds, each with one of: add constraints, deepen, concretize, increase reasoning steps) and an
 * in-breadth path (one round: a new, rarer instruction in the same domain). Every round evolves,
 * asks a judge whether the evolution added information, answers the evolved instruction, and runs
 * the elimination step ({@link EvolInstruct#eliminationReason}); a failed evolution is dropped with
 * its reason. Each surviving round is written (as WizardLM pools every epoch's survivors), and the
 * depth path continues from it to its next round.
 *
 * <pre>
 * START → branch (depth ‖ breadth) → plan → evolve → equal → answer → eliminate ─┬→ END
 *                                     ↑                                          │ (emit)
 *                                     └──────────── next round ─────────────────┘
 * </pre>
 *
 * <p>Input: the bundled seed list, or {@code --input} (JSONL/JSON/CSV with an {@code instruction}
 * field). Output: TRL SFT {@code messages} (evolved instruction, response) with the evolution
 * trajectory in {@code provenance}. Three LLM calls per round.
 */
public final class EvolInstructSample implements Sample {

  /** Rounds of the in-depth path. */
  public static final int DEPTH_ROUNDS = 2;

  /** Rounds of the in-breadth path. */
  public static final int BREADTH_ROUNDS = 1;

  static final Key<String> INSTRUCTION = Key.string("instruction");
  static final Key<String> PATH = Key.string("path");
  static final Key<Integer> ROUND = Key.integer("round");
  static final Key<Boolean> EMIT = Key.bool("emit");
  static final Key<List<Map<String, Object>>> TRAJECTORY =
      Key.of("trajectory", new TypeReference<List<Map<String, Object>>>() {});

  /** System prompt of the answer node (the offline model keys on it). */
  static final String ANSWER_SYSTEM =
      "You are a helpful assistant. Follow the instruction exactly.";

  @Override
  public String name() {
    return "evol-instruct";
  }

  @Override
  public String description() {
    return "evolve seed instructions in depth and breadth → equality check → answer → eliminate"
        + " failed evolutions → TRL SFT";
  }

  /** The Evol-Instruct graph against {@code model}; records need an {@code instruction}. */
  public static Graph graph(ModelClient model) {
    return Graph.builder()
        .name("evol-instruct")
        .inputs("instruction")
        .node(
            "branch",
            Nodes.withKeys(
                Nodes.fanOut(EvolInstructSample::branch),
                Set.of("instruction"),
                Set.of("seed", "path", "round", "trajectory", "emit")))
        .node(
            "plan",
            Nodes.withKeys(
                Nodes.lambda(EvolInstructSample::plan),
                Set.of("instruction", "path", "round"),
                Set.of("method", "evolve_prompt")))
        .node(
            "evolve",
            LlmNode.builder()
                .client(model)
                .user("{evolve_prompt}")
                .temperature(0.7)
                .maxTokens(300)
                .output("evolved")
                .build())
        .node(
            "equal",
            Nodes.withKeys(
                Nodes.lambda(
                    s ->
                        s.with(
                            "equality_prompt",
                            EvolInstruct.equalityPrompt(
                                s.require(INSTRUCTION), s.getString("evolved")))),
                Set.of("instruction", "evolved"),
                Set.of("equality_prompt")))
        .node(
            "equal_check",
            LlmNode.builder()
                .client(model)
                .user("{equality_prompt}")
                .temperature(0.0)
                .maxTokens(5)
                .output("equality")
                .build())
        .node(
            "answer",
            LlmNode.builder()
                .client(model)
                .system(ANSWER_SYSTEM)
                .user("{evolved}")
                .temperature(0.7)
                .maxTokens(500)
                .output("response")
                .build())
        .node(
            "eliminate",
            Nodes.withKeys(
                Nodes.step(EvolInstructSample::eliminate),
                Set.of("instruction", "evolved", "equality", "response", "path", "round"),
                Set.of("instruction", "round", "trajectory", "emit")))
        .edge(Graph.START, "branch")
        .edge("branch", "plan")
        .edge("plan", "evolve")
        .edge("evolve", "equal")
        .edge("equal", "equal_check")
        .edge("equal_check", "answer")
        .edge("answer", "eliminate")
        .conditionalEdge(
            "eliminate", s -> s.require(EMIT) ? Graph.END : "plan", Set.of(Graph.END, "plan"))
        .build();
  }

  /** One child per path: in-depth and in-breadth. */
  static List<State> branch(State s) {
    List<State> out = new ArrayList<>(2);
    for (String path : List.of("depth", "breadth")) {
      out.add(
          s.with("seed", s.require(INSTRUCTION))
              .with(PATH, path)
              .with(ROUND, 0)
              .with(TRAJECTORY, List.of())
              .with(EMIT, false));
    }
    return out;
  }

  /** The method of this round (depth methods rotate by record and round) and its prompt. */
  static State plan(State s) {
    int round = s.require(ROUND);
    EvolInstruct.Method method =
        "breadth".equals(s.require(PATH))
            ? EvolInstruct.Method.BREADTH
            : EvolInstruct.Method.DEPTH.get(
                SampleFiles.bucket(
                    s.getString("seed") + "#" + round, EvolInstruct.Method.DEPTH.size()));
    return s.with("method", method.id())
        .with("evolve_prompt", EvolInstruct.prompt(method, s.require(INSTRUCTION)));
  }

  /** Elimination: drop a failed evolution; otherwise record it, and emit or continue. */
  static NodeResult eliminate(State s) {
    String before = s.require(INSTRUCTION);
    String after = s.getString("evolved").strip();
    String reason =
        EvolInstruct.eliminationReason(
            before, after, s.getString("equality"), s.getString("response"));
    if (reason != null) {
      return NodeResult.drop(reason);
    }
    int round = s.require(ROUND) + 1;
    List<Map<String, Object>> trajectory = new ArrayList<>(s.require(TRAJECTORY));
    Map<String, Object> step = new LinkedHashMap<>();
    step.put("round", round);
    step.put("method", s.getString("method"));
    step.put("instruction", after);
    trajectory.add(step);
    State next = s.with(INSTRUCTION, after).with(ROUND, round).with(TRAJECTORY, trajectory);
    int rounds = "depth".equals(s.require(PATH)) ? DEPTH_ROUNDS : BREADTH_ROUNDS;
    if (round >= rounds) {
      return NodeResult.of(next.with(EMIT, true));
    }
    // Write this round's survivor and evolve a copy further.
    return NodeResult.fanOut(List.of(next.with(EMIT, true), next.with(EMIT, false)));
  }

  /** TRL SFT messages of the evolved instruction and its response, with the trajectory. */
  public static OutputMapper output() {
    return OutputMapper.builder()
        .computed(
            "messages",
            s ->
                List.of(
                    SampleRecords.message("user", s.require(INSTRUCTION)),
                    SampleRecords.message("assistant", s.getString("response"))))
        .computed(
            "provenance",
            s -> {
              Map<String, Object> p = new LinkedHashMap<>();
              p.put("sample", "evol-instruct");
              p.put("seed", s.getString("seed"));
              p.put("path", s.require(PATH));
              p.put("round", s.require(ROUND));
              p.put("trajectory", s.require(TRAJECTORY));
              return p;
            })
        .build();
  }

  // ---- offline shapes ----

  private static final Map<EvolInstruct.Method, String> ADDITIONS =
      Map.of(
          EvolInstruct.Method.ADD_CONSTRAINTS,
          " Keep it under 150 words and include one concrete example.",
          EvolInstruct.Method.DEEPEN,
          " Also explain why it matters and what the main trade-offs are.",
          EvolInstruct.Method.CONCRETIZE,
          " Use a specific real-world case from the last ten years.",
          EvolInstruct.Method.INCREASE_REASONING,
          " Reason step by step and state each intermediate conclusion.");

  /**
   * Offline evolver: appends a method-specific requirement (depth) or writes a rarer sibling
   * instruction (breadth). One evolution in ten leaks the prompt's label and one in ten returns the
   * instruction unchanged, so both elimination rules fire.
   */
  static String simulatedEvolution(ChatRequest request) {
    String prompt = Offline.lastUser(request);
    boolean breadth = prompt.startsWith(EvolInstruct.BREADTH_MARKER);
    String given =
        breadth
            ? Offline.between(prompt, "#Given Prompt#:\n", "\n#Created Prompt#:")
            : Offline.between(prompt, "#The Given Prompt#:\n", "\n#Rewritten Prompt#:");
    EvolInstruct.Method method = EvolInstruct.Method.BREADTH;
    for (EvolInstruct.Method m : EvolInstruct.Method.DEPTH) {
      if (!breadth && prompt.contains(m.instruction())) {
        method = m;
      }
    }
    switch (SampleFiles.bucket(given + method, 10)) {
      case 0:
        return "#Rewritten Prompt#: " + given + ADDITIONS.getOrDefault(method, "");
      case 1:
        return given;
      default:
        break;
    }
    if (breadth) {
      String topic = given.replaceAll("[.?!]+$", "");
      return "Describe a little-known aspect of the following task that most guides leave out: "
          + Character.toLowerCase(topic.charAt(0))
          + topic.substring(1)
          + ".";
    }
    return given + ADDITIONS.get(method);
  }

  /** Offline equality judge: equal exactly when the two prompts are the same text. */
  static String simulatedEquality(ChatRequest request) {
    String prompt = Offline.lastUser(request);
    String first = Offline.between(prompt, "The First Prompt: ", "\nThe Second Prompt: ");
    String second = Offline.between(prompt, "The Second Prompt: ", "\nYour Judgement");
    return first.strip().equals(second.strip()) ? "Equal" : "Not Equal";
  }

  static SimulatedModelClient.Builder offline(SimulatedModelClient.Builder sim) {
    return sim.respondWhenPromptContains(
            EvolInstruct.DEPTH_MARKER, EvolInstructSample::simulatedEvolution)
        .respondWhenPromptContains(
            EvolInstruct.BREADTH_MARKER, EvolInstructSample::simulatedEvolution)
        .respondWhenPromptContains(
            EvolInstruct.EQUALITY_MARKER, EvolInstructSample::simulatedEquality)
        // One evolved instruction in twelve gets an apology, exercising elimination rule 2.
        .responder(
            r ->
                r.messages().get(0).role() == ChatMessage.Role.SYSTEM
                    && ANSWER_SYSTEM.equals(r.messages().get(0).text())
                    && SampleFiles.bucket(Offline.lastUser(r), 12) == 0,
            r -> "Sorry, I can't help with that request.");
  }

  /** The bundled seed instructions. */
  static List<String> seeds() {
    try (InputStream in = EvolInstructSample.class.getResourceAsStream("evol-instruct-seeds.txt");
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      return r.lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The seed source: {@code --input}, or the bundled seeds cycled to the requested count. */
  static Source source(SampleContext ctx) {
    if (ctx.input().isPresent()) {
      Path in = SampleFiles.input(ctx, ctx.input().get().toString());
      return Sources.file(in);
    }
    List<String> seeds = seeds();
    long n = ctx.records(8);
    List<Map<String, Object>> records = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      records.add(Map.of("id", "seed-" + i, "instruction", seeds.get(i % seeds.size())));
    }
    return Sources.of(records);
  }

  @Override
  public RunReport run(SampleContext ctx) {
    try (ModelClient model = SampleModels.create(ctx, EvolInstructSample::offline)) {
      Pipeline p =
          Pipeline.builder()
              .graph(graph(model))
              .source(source(ctx))
              .runDirectory(ctx.outDir())
              .outputMapper(output())
              .options(
                  ctx.input().isPresent() && ctx.records().isPresent()
                      ? ctx.runOptions().toBuilder().limit(ctx.records(0)).build()
                      : ctx.runOptions())
              .build();
      return ctx.run(p);
    }
  }
}
