package io.sygra.samples;

import io.sygra.core.Graph;
import io.sygra.core.run.OutputMapper;
import io.sygra.core.run.Pipeline;
import io.sygra.core.run.RunOptions;
import io.sygra.core.run.RunReport;
import io.sygra.core.run.Source;
import io.sygra.core.run.Sources;
import io.sygra.llm.LlmNode;
import io.sygra.llm.ModelClient;
import java.util.Map;

/**
 * The standard throughput workload: one LLM node that sends each record's {@code prompt} as the
 * user message and writes the reply to {@code answer}. With {@code --input} the records come from
 * that file (each needs a {@code prompt} field); without it, {@code --records N} (default 20)
 * records are generated with the prompt {@code "Echo record <id>"}.
 *
 * <p>It is the smallest graph that exercises the whole LLM path (template, request, HTTP,
 * resilience, parsing, state update, output), so {@code ./sygra run echo --base-url URL
 * --concurrency C} measures the library's own overhead against an endpoint. Offline it uses the
 * simulated model, like every sample.
 */
public final class EchoSample implements Sample {
  /** Records generated when neither {@code --records} nor {@code --input} is given. */
  static final long DEFAULT_RECORDS = 20;

  @Override
  public String name() {
    return "echo";
  }

  @Override
  public String description() {
    return "one LLM node: record prompt → answer (the standard throughput workload)";
  }

  /**
   * The echo graph: {@code START → echo → END}, prompt {@code {prompt}}, reply to {@code answer}.
   */
  public static Graph graph(ModelClient model) {
    return Graph.builder()
        .name("echo")
        .node("echo", LlmNode.builder().client(model).user("{prompt}").output("answer").build())
        .chain(Graph.START, "echo", Graph.END)
        .build();
  }

  /**
   * {@code n} records with ids {@code "0"} to {@code "n-1"} and the prompt {@code "Echo record
   * <id>"}. Ids are unique, so a run need not remember them to detect duplicates.
   */
  public static Source generated(long n) {
    return Sources.generate(n, i -> Map.of("prompt", "Echo record " + i));
  }

  /**
   * The echo pipeline for {@code ctx} against {@code model}, ready to build: the records of {@code
   * --input} (at most {@code --records} of them) or {@code --records} generated ones, into {@link
   * SampleContext#outDir()}, keeping {@code prompt} and {@code answer}. Harnesses add listeners.
   */
  public static Pipeline.Builder pipeline(SampleContext ctx, ModelClient model) {
    Source source =
        ctx.input().isPresent()
            ? Sources.file(ctx.input().get())
            : generated(ctx.records(DEFAULT_RECORDS));
    RunOptions options = ctx.runOptions();
    if (ctx.input().isPresent() && ctx.records().isPresent()) {
      options = options.toBuilder().limit(ctx.records().getAsLong()).build();
    }
    return Pipeline.builder()
        .graph(graph(model))
        .source(source)
        .runDirectory(ctx.outDir())
        .outputMapper(OutputMapper.builder().pick("prompt", "answer").build())
        .options(options);
  }

  @Override
  public RunReport run(SampleContext ctx) {
    try (ModelClient model = SampleModels.create(ctx)) {
      return ctx.run(pipeline(ctx, model).build());
    }
  }
}
