package io.sygra.samples;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.sygra.core.Graph;
import io.sygra.core.run.RunOptions;
import io.sygra.core.run.RunReport;
import io.sygra.llm.ModelClient;
import io.sygra.llm.SimulatedModelClient;
import io.sygra.quality.Judge;
import io.sygra.quality.QualityReport;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Generates the per-sample material of {@code samples/README.md}: each graph's Mermaid diagram (as
 * the library prints it), the first output record of an offline run, and the run's LLM calls per
 * written record and throughput. Run from the repository root:
 *
 * <pre>
 * java -cp samples/target/test-classes:samples/target/classes:$(cat cp.txt) io.sygra.samples.SampleDocs OUT_DIR
 * </pre>
 */
public final class SampleDocs {
  private SampleDocs() {}

  public static void main(String[] args) throws Exception {
    Path out = Path.of(args.length > 0 ? args[0] : "target/sample-docs");
    Files.createDirectories(out);
    ModelClient sim = SimulatedModelClient.builder().seed(1).build();
    Map<String, List<Graph>> graphs = new LinkedHashMap<>();
    graphs.put("quickstart", List.of(QuickstartSample.graph(sim)));
    graphs.put("self-refine", List.of(SelfRefineSample.graph(sim, 3)));
    graphs.put("evol-instruct", List.of(EvolInstructSample.graph(sim)));
    graphs.put(
        "dpo-multi-model",
        List.of(
            DpoMultiModelSample.graph(
                new DpoMultiModelSample.Candidate("a", sim, "model-a"),
                new DpoMultiModelSample.Candidate("b", sim, "model-b"),
                sim)));
    graphs.put(
        "oasst-curation",
        List.of(
            OasstCurationSample.graph(
                Judge.builder().client(sim).build(), QualityReport.create())));
    graphs.put(
        "augcon",
        List.of(
            AugConSample.cstGraph(sim),
            AugConSample.scorerPairsGraph(sim),
            AugConSample.graph(sim, new HeuristicQuestionScorer())));
    graphs.put("condor", List.of(CondorSample.graph(sim, 1), CondorTreeExpansion.graph(sim)));

    ObjectMapper pretty = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    StringBuilder summary = new StringBuilder();
    for (Map.Entry<String, List<Graph>> e : graphs.entrySet()) {
      String name = e.getKey();
      StringBuilder md = new StringBuilder();
      for (Graph g : e.getValue()) {
        md.append("Graph `").append(g.name()).append("`:\n\n```mermaid\n").append(g.toMermaid());
        md.append("```\n\n");
      }
      Path dir = out.resolve("runs").resolve(name);
      SampleContext ctx =
          SampleContext.builder()
              .outDir(dir)
              .env(Map.of())
              .out(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8))
              .progress(RunOptions.ProgressMode.NEVER)
              .input(input(name))
              .build();
      long t0 = System.nanoTime();
      RunReport r = Samples.find(name).orElseThrow().run(ctx);
      double secs = (System.nanoTime() - t0) / 1e9;
      long calls = calls(r);
      List<Map<String, Object>> records = SampleFiles.readJsonl(dir.resolve("output.jsonl"));
      md.append("Sample output record:\n\n```json\n")
          .append(pretty.writeValueAsString(truncate(showcase(name, records))))
          .append("\n```\n\n");
      String line =
          String.format(
              java.util.Locale.ROOT,
              "%s: input %d, written %d, dropped %d, failed %d, reconciles %s; LLM calls %d →"
                  + " %.2f per written record; %.1f s wall (%.0f written records/s)",
              name,
              r.input(),
              r.written(),
              r.dropped(),
              r.failed(),
              r.reconciles(),
              calls,
              (double) calls / Math.max(1, r.written()),
              secs,
              r.written() / secs);
      md.append(line).append("\n\nDrop reasons: ").append(r.dropReasons()).append('\n');
      summary.append(line).append('\n');
      Files.writeString(out.resolve(name + ".md"), md.toString());
    }
    Files.writeString(out.resolve("summary.txt"), summary.toString());
    System.out.print(summary);
  }

  private static Path input(String name) {
    Path fixtures = SampleTestSupport.fixtures();
    return switch (name) {
      case "augcon" -> fixtures.resolve("seeds/augcon_qa_examples_en.jsonl");
      case "condor" -> fixtures.resolve("seeds/condor_knowledge_tree_en.json");
      case "oasst-curation" -> fixtures.resolve("oasst/oasst_en100_trees_nulls_omitted.jsonl");
      default -> null;
    };
  }

  /** A record that shows the recipe at work (a refined one, a deeper tree node...). */
  @SuppressWarnings("unchecked")
  private static Map<String, Object> showcase(String name, List<Map<String, Object>> records) {
    for (Map<String, Object> r : records) {
      Map<String, Object> p = (Map<String, Object>) r.get("provenance");
      boolean good =
          switch (name) {
            case "self-refine" -> ((Number) p.get("iterations")).intValue() == 2;
            case "evol-instruct" -> ((Number) p.get("round")).intValue() == 2;
            case "augcon" -> ((Number) p.get("depth")).intValue() == 1;
            case "condor" ->
                !((List<Object>)
                        ((Map<String, Object>) ((List<Object>) p.get("critiques")).get(0))
                            .get("missingMarkers"))
                    .isEmpty();
            default -> true;
          };
      if (good) {
        return r;
      }
    }
    return records.get(0);
  }

  /** Requests answered by the simulated model(s) over all phases of the run. */
  static long calls(RunReport r) {
    long n = 0;
    if (r.extensions().get(SimulatedModelClient.SECTION) instanceof Map<?, ?> sims) {
      for (Object v : sims.values()) {
        if (v instanceof Map<?, ?> m && m.get("requests") instanceof Number k) {
          n += k.longValue();
        }
      }
    }
    return n;
  }

  @SuppressWarnings("unchecked")
  private static Object truncate(Object v) {
    if (v instanceof String s) {
      return s.length() > 240 ? s.substring(0, 237) + "..." : s;
    }
    if (v instanceof Map<?, ?> m) {
      Map<String, Object> out = new LinkedHashMap<>();
      m.forEach((k, x) -> out.put(String.valueOf(k), truncate(x)));
      return out;
    }
    if (v instanceof List<?> l) {
      List<Object> out = new ArrayList<>();
      for (Object x : l) {
        out.add(truncate(x));
      }
      return out;
    }
    return v;
  }
}
