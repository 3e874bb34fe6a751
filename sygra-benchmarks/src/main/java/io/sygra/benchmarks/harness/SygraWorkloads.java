package io.sygra.benchmarks.harness;

import io.sygra.core.Graph;
import io.sygra.core.Key;
import io.sygra.core.run.OutputMapper;
import io.sygra.core.run.Pipeline;
import io.sygra.core.run.RunOptions;
import io.sygra.core.run.RunReport;
import io.sygra.llm.LlmNode;
import io.sygra.llm.ModelClient;
import io.sygra.samples.EchoSample;
import io.sygra.samples.SampleContext;
import io.sygra.samples.SampleModels;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * SyGra for Java, run the way {@code ./sygra run echo --base-url URL --concurrency C} runs it: the
 * sample's model stack ({@link SampleModels#create}: metrics, response cache, resilience, the
 * OpenAI-compatible client) and a run directory with {@code output.jsonl}, checkpoints and {@code
 * report.json}.
 */
final class SygraWorkloads {
  private SygraWorkloads() {}

  static final String MODEL = "sygra-fake";

  /** The judge's verdict in the three-node graph. */
  public record Verdict(@Min(1) @Max(5) int score, String reason) {}

  static final Key<Verdict> VERDICT = Key.of("verdict", Verdict.class);

  /** {@code ./sygra run echo}: one LLM node. */
  static Workload echo() {
    return new Workload() {
      @Override
      public String name() {
        return "sygra-echo";
      }

      @Override
      public int callsPerRecord() {
        return 1;
      }

      @Override
      public Outcome run(String baseUrl, int records, int concurrency) throws IOException {
        return runIn(
            baseUrl,
            records,
            concurrency,
            (ctx, model) -> EchoSample.pipeline(ctx, model),
            "sygra-bench-echo");
      }
    };
  }

  /** The question → answer → structured judge graph over the echo prompts. */
  static Workload threeNode() {
    return new Workload() {
      @Override
      public String name() {
        return "sygra-3node";
      }

      @Override
      public int callsPerRecord() {
        return 3;
      }

      @Override
      public Outcome run(String baseUrl, int records, int concurrency) throws IOException {
        return runIn(
            baseUrl,
            records,
            concurrency,
            (ctx, model) ->
                Pipeline.builder()
                    .graph(threeNodeGraph(model))
                    .source(EchoSample.generated(records))
                    .runDirectory(ctx.outDir())
                    .outputMapper(
                        OutputMapper.builder()
                            .pick("prompt", "question", "answer", "verdict")
                            .build())
                    .options(ctx.runOptions()),
            "sygra-bench-3node");
      }
    };
  }

  /** question → answer → judge, each an LLM node; the judge returns a {@link Verdict}. */
  static Graph threeNodeGraph(ModelClient model) {
    return Graph.builder()
        .name("qa-judge")
        .node(
            "question",
            LlmNode.builder()
                .client(model)
                .system("You write one clear, self-contained question for a training set.")
                .user(
                    "Write one question a curious learner might ask about {prompt}. Reply with the"
                        + " question only.")
                .output("question")
                .build())
        .node(
            "answer",
            LlmNode.builder()
                .client(model)
                .system("You are a helpful, accurate and concise expert.")
                .user("{question}")
                .output("answer")
                .build())
        .node(
            "judge",
            LlmNode.builder()
                .client(model)
                .system("You grade answers for a supervised fine-tuning dataset. Be strict.")
                .user(
                    "Question:\n{question}\n\nAnswer:\n{answer}\n\nRate the answer from 1 (useless)"
                        + " to 5 (excellent) and give a one-sentence reason.")
                .structuredOutput(VERDICT)
                .build())
        .chain(Graph.START, "question", "answer", "judge", Graph.END)
        .build();
  }

  interface PipelineFactory {
    Pipeline.Builder create(SampleContext ctx, ModelClient model);
  }

  private static Workload.Outcome runIn(
      String baseUrl, int records, int concurrency, PipelineFactory factory, String prefix)
      throws IOException {
    Path dir = Files.createTempDirectory(prefix);
    try {
      SampleContext ctx =
          SampleContext.builder()
              .outDir(dir)
              .records((long) records)
              .concurrency(concurrency)
              .baseUrl(baseUrl)
              .model(MODEL)
              .env(Map.of())
              .out(new PrintStream(OutputStream.nullOutputStream()))
              .progress(RunOptions.ProgressMode.NEVER)
              .build();
      LatencyRecorder latency = new LatencyRecorder(records);
      RunReport report;
      try (ModelClient model = SampleModels.create(ctx)) {
        report = factory.create(ctx, model).listener(latency).build().run();
      }
      if (report.failed() > 0) {
        try (Stream<String> lines = Files.lines(dir.resolve("failed.jsonl"))) {
          System.err.println(
              "sygra: " + report.failed() + " failed; first: " + lines.findFirst().orElse(""));
        }
      }
      if (report.written() + report.failed() + report.dropped() != records) {
        throw new IllegalStateException(
            "run does not reconcile: " + records + " records, report " + report.summary());
      }
      return Workload.Outcome.of(records, (int) report.failed(), latency.latencies());
    } finally {
      deleteTree(dir);
    }
  }

  static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
