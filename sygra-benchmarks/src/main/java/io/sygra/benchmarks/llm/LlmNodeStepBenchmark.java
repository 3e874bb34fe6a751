package io.sygra.benchmarks.llm;

import io.sygra.core.Graph;
import io.sygra.core.run.Pipeline;
import io.sygra.core.run.RunOptions;
import io.sygra.core.run.RunReport;
import io.sygra.core.run.Sinks;
import io.sygra.llm.ChatRequest;
import io.sygra.llm.ChatResponse;
import io.sygra.llm.ModelClient;
import io.sygra.llm.ModelClients;
import io.sygra.llm.ModelMetrics;
import io.sygra.llm.ResilienceConfig;
import io.sygra.llm.Usage;
import io.sygra.samples.EchoSample;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The library's own cost of one LLM node step, without HTTP: the echo graph over generated records
 * against a model that answers at once. {@code bare} calls that model directly (template, request,
 * node metrics, state update, runner); {@code composed} puts it behind the decorators a real run
 * uses ({@link ModelClients}: metrics, resilience with retry, AIMD limit and circuit breaker). The
 * difference is the decorators' cost per call. Records/s.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
    value = 1,
    jvmArgs = {"-Xmx256m"})
public class LlmNodeStepBenchmark {
  static final int RECORDS = 20_000;

  @Param({"bare", "composed"})
  public String stack;

  private ModelClient model;
  private Graph graph;
  private RunOptions options;

  /** Answers every request at once with a fixed 16-word reply. */
  static final class InstantModel implements ModelClient {
    private static final ChatResponse REPLY =
        new ChatResponse(
            "alpha bravo charlie delta echo foxtrot golf hotel india juliet kilo lima mike"
                + " november oscar papa",
            null,
            "stop",
            null,
            new Usage(12, 16, 28, null, null),
            "sygra-fake",
            "req",
            Duration.ZERO,
            "openai");

    @Override
    public CompletableFuture<ChatResponse> chat(ChatRequest request) {
      return CompletableFuture.completedFuture(REPLY);
    }

    @Override
    public String provider() {
      return "openai";
    }
  }

  @Setup
  public void setup() {
    model =
        stack.equals("bare")
            ? new InstantModel()
            : ModelClients.builder()
                .endpoint(new InstantModel())
                .resilience(ResilienceConfig.defaults())
                .metrics(ModelMetrics.create())
                .build();
    graph = EchoSample.graph(model);
    options = RunOptions.builder().concurrency(64).progress(RunOptions.ProgressMode.NEVER).build();
  }

  @TearDown
  public void tearDown() {
    model.close();
  }

  @Benchmark
  @OperationsPerInvocation(RECORDS)
  public RunReport echoRecords() {
    return Pipeline.builder()
        .graph(graph)
        .source(EchoSample.generated(RECORDS))
        .sink(Sinks.discard())
        .options(options)
        .build()
        .run();
  }
}
