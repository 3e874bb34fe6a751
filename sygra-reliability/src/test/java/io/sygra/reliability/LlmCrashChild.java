package io.sygra.reliability;

import io.sygra.core.run.Pipeline;
import io.sygra.core.run.RunOptions;
import io.sygra.core.run.RunReport;
import io.sygra.core.run.Sources;
import io.sygra.llm.BudgetRegistry;
import io.sygra.llm.ModelClient;
import io.sygra.llm.ModelClients;
import io.sygra.llm.ResilienceConfig;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The process {@link CrashRecoveryTest} kills: the 3,000-record, two-call LLM pipeline against the
 * fake server running in the test's JVM. Arguments: base URL, input file, run directory. Prints
 * {@code RECONCILES} when the run completes with reconciling counts.
 */
public final class LlmCrashChild {
  private LlmCrashChild() {}

  static ResilienceConfig resilience() {
    return ResilienceConfig.builder()
        .maxAttempts(10)
        .initialBackoff(Duration.ofMillis(10))
        .maxBackoff(Duration.ofMillis(200))
        .build();
  }

  static RunOptions options() {
    return RunOptions.builder()
        .concurrency(64)
        .checkpointInterval(Duration.ofMillis(10))
        .progress(RunOptions.ProgressMode.NEVER)
        .build();
  }

  /** Runs the pipeline to completion (or until the process is killed). */
  static RunReport run(String baseUrl, Path input, Path dir) {
    try (ModelClient model =
        ModelClients.builder()
            .endpoint(LlmPipelines.endpoint(baseUrl, Duration.ofSeconds(5)))
            .resilience(resilience())
            .budgets(BudgetRegistry.create())
            .build()) {
      return Pipeline.builder()
          .graph(LlmPipelines.graph(model, false))
          .source(Sources.jsonl(input))
          .runDirectory(dir)
          .options(options())
          .build()
          .run();
    }
  }

  public static void main(String[] args) {
    RunReport r = run(args[0], Path.of(args[1]), Path.of(args[2]));
    System.out.println(
        r.reconciles() && "completed".equals(r.status()) ? "RECONCILES" : "MISMATCH");
    System.out.println(r.summary());
  }
}
