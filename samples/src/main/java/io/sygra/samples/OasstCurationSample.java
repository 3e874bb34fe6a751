package io.sygra.samples;

import io.sygra.core.Graph;
import io.sygra.core.State;
import io.sygra.core.run.OutputMapper;
import io.sygra.core.run.Pipeline;
import io.sygra.core.run.RunReport;
import io.sygra.core.run.Sinks;
import io.sygra.core.run.Sources;
import io.sygra.llm.ChatRequest;
import io.sygra.llm.ModelClient;
import io.sygra.llm.SimulatedModelClient;
import io.sygra.quality.Deduplicator;
import io.sygra.quality.Heuristics;
import io.sygra.quality.Judge;
import io.sygra.quality.QualityNodes;
import io.sygra.quality.QualityReport;
import io.sygra.quality.QualityRule;
import io.sygra.quality.QualityRules;
import io.sygra.schema.Conversation;
import io.sygra.schema.DpoPairs;
import io.sygra.schema.OasstFilter;
import io.sygra.schema.OasstReader;
import io.sygra.schema.OasstTree;
import io.sygra.schema.Preference;
import io.sygra.schema.SftPaths;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * OASST curation: OpenAssistant message trees become SFT conversations (every root-to-leaf path
 * ending in an assistant reply) and DPO pairs (best- vs worst-ranked replies), and both go through
 * the two-stage quality funnel: cheap heuristics (shape, language, diversity, repetition, refusals,
 * PII, OASST's human labels), exact and near-duplicate removal, then the LLM judge (category,
 * question quality, rubric scores; both-order preference for pairs) and a gate.
 *
 * <pre>
 * START → heuristics → dedup → judge → gate → END      (SFT in the run directory; DPO in dpo/)
 * </pre>
 *
 * <p>Outputs in the run directory: {@code output.jsonl} (TRL SFT {@code messages} with {@code
 * metadata}: the OASST tree and message ids, ranks, labels and the {@code quality} object), {@code
 * dpo.jsonl} (TRL DPO {@code prompt}/{@code chosen}/{@code rejected} with metadata), {@code
 * quality-report.json}/{@code .html} (the SFT funnel; the DPO funnel is in {@code dpo/}). Input:
 * {@code --input} OASST file (tree exports, message nodes or flat rows); default {@code
 * ../shared/fixtures/oasst/oasst_en100_trees_nulls_omitted.jsonl}. {@code --records N}: trees read
 * (default all).
 */
public final class OasstCurationSample implements Sample {

  /** Default input, relative to the repository root. */
  public static final String DEFAULT_INPUT =
      "../shared/fixtures/oasst/oasst_en100_trees_nulls_omitted.jsonl";

  /** Trees read by default (the fixture has 100; {@code --records N} reads N). */
  public static final long DEFAULT_TREES = 10;

  /** Lowest mean rubric score the gate keeps. */
  public static final double MIN_OVERALL = 2.5;

  static final String PREFERENCE_MARKER =
      "Two assistant responses to the same conversation follow.";

  @Override
  public String name() {
    return "oasst-curation";
  }

  @Override
  public String description() {
    return "OASST trees → SFT paths and DPO pairs → heuristics → dedup → LLM judge → gate →"
        + " TRL SFT + DPO with quality tags and the funnel report";
  }

  /** The quality rules applied after the judge. */
  public static QualityRules gateRules() {
    return QualityRules.judgeDefaults()
        .with(QualityRule.below("llm.low_overall", "llm.overall", MIN_OVERALL));
  }

  /** The curation graph: heuristics → dedup → judge → gate, all feeding {@code report}. */
  public static Graph graph(Judge judge, QualityReport report) {
    return graph(Heuristics.defaults(), judge, report);
  }

  /**
   * The curation graph with the given stage-1 heuristics (share one instance between graphs, so the
   * language detector's memory of recent turns spans them).
   */
  public static Graph graph(Heuristics heuristics, Judge judge, QualityReport report) {
    return Graph.builder()
        .name("oasst-curation")
        .node("heuristics", QualityNodes.heuristics(heuristics, report))
        .node("dedup", QualityNodes.dedup(Deduplicator.builder().exact().near().build(), report))
        .node("judge", QualityNodes.judge(judge, report))
        .node("gate", QualityNodes.gate(gateRules(), report))
        .chain(Graph.START, "heuristics", "dedup", "judge", "gate", Graph.END)
        .build();
  }

  /** What was read from the OASST file. */
  record Extracted(
      List<Map<String, Object>> sft, List<Map<String, Object>> dpo, Map<String, Object> stats) {}

  /** Reads up to {@code maxTrees} trees and turns them into SFT and DPO source records. */
  static Extracted extract(Path input, long maxTrees) {
    List<Map<String, Object>> sft = new ArrayList<>();
    List<Map<String, Object>> dpo = new ArrayList<>();
    AtomicLong rejected = new AtomicLong();
    long trees = 0;
    long kept = 0;
    long excluded = 0;
    long orphans = 0;
    Set<String> ids = new HashSet<>();
    try (OasstReader reader =
        OasstReader.open(input, OasstReader.Grouping.IN_MEMORY, r -> rejected.incrementAndGet())) {
      while (reader.hasNext() && trees < maxTrees) {
        OasstTree tree = reader.next();
        trees++;
        OasstTree.Selection sel = tree.select(OasstFilter.defaults());
        kept += sel.kept();
        excluded += sel.excluded();
        orphans += sel.orphans();
        for (Conversation c : sel.sftConversations(SftPaths.ALL)) {
          Map<String, Object> values = new LinkedHashMap<>(c.toState().values());
          values.put("id", unique(ids, "sft-" + lastId(values.get("message_ids"))));
          sft.add(values);
        }
        for (Preference p : sel.dpoPairs(DpoPairs.BEST_VS_WORST)) {
          Map<String, Object> values = new LinkedHashMap<>(p.toState().values());
          values.put(
              "id",
              unique(ids, "dpo-" + values.get("chosen_id") + "-" + values.get("rejected_id")));
          dpo.add(values);
        }
      }
    }
    Map<String, Object> stats = new LinkedHashMap<>();
    stats.put("input", input.toString());
    stats.put("trees", trees);
    stats.put("messagesKept", kept);
    stats.put("messagesExcluded", excluded);
    stats.put("orphans", orphans);
    stats.put("rejectedLines", rejected.get());
    stats.put("sftConversations", sft.size());
    stats.put("dpoPairs", dpo.size());
    return new Extracted(sft, dpo, stats);
  }

  private static String lastId(Object messageIds) {
    if (messageIds instanceof List<?> l && !l.isEmpty()) {
      return String.valueOf(l.get(l.size() - 1));
    }
    return "unknown";
  }

  private static String unique(Set<String> seen, String id) {
    String out = id;
    for (int i = 2; !seen.add(out); i++) {
      out = id + "-" + i;
    }
    return out;
  }

  /** TRL SFT: {@code messages} plus every other value (OASST ids, labels, quality) as metadata. */
  public static OutputMapper sftOutput() {
    return OutputMapper.builder()
        .pick("messages")
        .computed("metadata", s -> metadata(s, Set.of("messages")))
        .build();
  }

  /** TRL DPO: {@code prompt}, {@code chosen}, {@code rejected} plus metadata. */
  public static OutputMapper dpoOutput() {
    return OutputMapper.builder()
        .pick("prompt", "chosen", "rejected")
        .computed("metadata", s -> metadata(s, Set.of("prompt", "chosen", "rejected")))
        .build();
  }

  private static Map<String, Object> metadata(State s, Set<String> exclude) {
    Map<String, Object> m = new LinkedHashMap<>();
    s.values()
        .forEach(
            (k, v) -> {
              if (!exclude.contains(k) && !k.equals("id")) {
                m.put(k, v);
              }
            });
    return m;
  }

  /**
   * Offline preference judge: prefers the reply with the richer vocabulary (more distinct words),
   * whichever position it is shown in, and calls equal ones a tie; so both-order checks agree, and
   * pairs whose human ranking disagrees are flagged as inverted.
   */
  static String simulatedPreference(ChatRequest request) {
    String prompt = Offline.lastUser(request);
    String a = Offline.between(prompt, "<response_a>\n", "\n</response_a>");
    String b = Offline.between(prompt, "<response_b>\n", "\n</response_b>");
    long ra = new HashSet<>(RougeL.tokens(a)).size();
    long rb = new HashSet<>(RougeL.tokens(b)).size();
    String winner = ra == rb ? "tie" : ra > rb ? "A" : "B";
    return "{\"winner\": \""
        + winner
        + "\", \"explanation\": \""
        + (winner.equals("tie")
            ? "Both responses are equally informative."
            : "Response " + winner + " covers the request in more detail.")
        + "\"}";
  }

  static SimulatedModelClient.Builder offline(SimulatedModelClient.Builder sim) {
    return sim.respondWhenPromptContains(
        PREFERENCE_MARKER, OasstCurationSample::simulatedPreference);
  }

  @Override
  public RunReport run(SampleContext ctx) {
    Path input = SampleFiles.input(ctx, DEFAULT_INPUT);
    Extracted data = extract(input, ctx.records(DEFAULT_TREES));
    try (ModelClient model = SampleModels.create(ctx, OasstCurationSample::offline)) {
      Judge judge = Judge.builder().client(model).build();
      // One instance for both phases: DPO prompts are prefixes of the SFT paths, and the language
      // tagger remembers the turns it has just detected.
      Heuristics heuristics = Heuristics.defaults();
      PhaseReports phases = new PhaseReports();
      phases.note("oasst", data.stats());

      QualityReport dpoReport = QualityReport.create();
      Path dpoDir = ctx.outDir().resolve("dpo");
      RunReport dpo =
          ctx.run(
              Pipeline.builder()
                  .graph(graph(heuristics, judge, dpoReport))
                  .source(Sources.of(data.dpo()))
                  .runDirectory(dpoDir)
                  .outputMapper(dpoOutput())
                  .export(Sinks.jsonl(ctx.outDir().resolve("dpo.jsonl")))
                  .options(ctx.runOptions())
                  .build());
      // The funnel covers the records this invocation processed; a resumed run that had nothing
      // left to do keeps the report of the run that did the work.
      if (!dpo.nothingNew()) {
        dpoReport.write(dpoDir);
      }
      phases.add("dpo", "dpo", dpo);

      QualityReport sftReport = QualityReport.create();
      RunReport sft =
          ctx.run(
              Pipeline.builder()
                  .graph(graph(heuristics, judge, sftReport))
                  .source(Sources.of(data.sft()))
                  .runDirectory(ctx.outDir())
                  .outputMapper(sftOutput())
                  .contributor(phases)
                  .contributor(sections -> sections.put("judgeCalls", judge.calls()))
                  .options(ctx.runOptions())
                  .build());
      if (!sft.nothingNew()) {
        sftReport.write(ctx.outDir());
      }
      ctx.out()
          .println(
              "oasst-curation: SFT "
                  + sft.written()
                  + "/"
                  + sft.input()
                  + " kept (output.jsonl), DPO "
                  + dpo.written()
                  + "/"
                  + dpo.input()
                  + " kept (dpo.jsonl); funnel in quality-report.html");
      return sft;
    }
  }
}
