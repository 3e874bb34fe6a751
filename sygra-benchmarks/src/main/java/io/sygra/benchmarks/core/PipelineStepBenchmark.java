package io.sygra.benchmarks.core;

import io.sygra.core.Graph;
import io.sygra.core.run.Pipeline;
import io.sygra.core.run.RunOptions;
import io.sygra.core.run.RunReport;
import io.sygra.core.run.Sinks;
import io.sygra.core.run.Sources;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * Per-node step overhead of the runner: records flow through a chain of trivial lambda nodes, so
 * the time is the engine's own (scheduling, state updates, stats, outcome handling). Throughput is
 * in records/s; node steps/s = records/s × {@code nodes}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
    value = 1,
    jvmArgs = {"-Xmx256m"})
public class PipelineStepBenchmark {
  static final int RECORDS = 20_000;

  @Param({"1", "5", "10"})
  public int nodes;

  private Graph graph;
  private RunOptions options;

  @Setup
  public void setup() {
    graph = LambdaGraphs.chain(nodes);
    options = RunOptions.builder().concurrency(64).progress(RunOptions.ProgressMode.NEVER).build();
  }

  @Benchmark
  @OperationsPerInvocation(RECORDS)
  public RunReport records() {
    return Pipeline.builder()
        .graph(graph)
        .source(Sources.generate(RECORDS))
        .sink(Sinks.discard())
        .options(options)
        .build()
        .run();
  }
}
