package io.sygra.benchmarks.core;

import io.sygra.core.Key;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** Cost of the state operations every node performs. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class StateBenchmark {
  record Verdict(int score, String reason) {}

  static final Key<String> ANSWER = Key.string("answer");
  static final Key<Verdict> VERDICT = Key.of("verdict", Verdict.class);

  private io.sygra.core.State state;

  @Setup
  public void setup() {
    state =
        io.sygra.core.State.of(
                "r1",
                Map.of(
                    "question",
                    "What is the capital of France?",
                    "topic",
                    "geography",
                    "n",
                    3,
                    "tags",
                    List.of("a", "b")))
            .with("verdict", Map.of("score", 4, "reason", "fine"));
  }

  @Benchmark
  public io.sygra.core.State withString() {
    return state.with(ANSWER, "Paris is the capital of France.");
  }

  @Benchmark
  public io.sygra.core.State appendMessage() {
    return state.withMessage("assistant", "Paris.");
  }

  @Benchmark
  public String typedGetString() {
    return state.get(ANSWER);
  }

  @Benchmark
  public Verdict typedGetRecord() {
    return state.get(VERDICT);
  }
}
