package io.sygra.benchmarks.llm;

import io.sygra.core.State;
import io.sygra.llm.PromptTemplate;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * Prompt rendering as LLM nodes do it for every record: {@link PromptTemplate#render(State,
 * String)} of a one-variable template (the echo node), a judge-style template with two long values,
 * and a template walking into nested values; plus parsing, which happens once per node.
 */
@org.openjdk.jmh.annotations.State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PromptTemplateBenchmark {
  static final String JUDGE =
      "Question:\n{question}\n\nAnswer:\n{answer}\n\nRate the answer from 1 (useless) to 5"
          + " (excellent) for accuracy, helpfulness and clarity, and give a one-sentence reason.";

  private PromptTemplate echo;
  private PromptTemplate judge;
  private PromptTemplate nested;
  private State state;

  @Setup
  public void setup() {
    echo = PromptTemplate.parse("{prompt}");
    judge = PromptTemplate.parse(JUDGE);
    nested = PromptTemplate.parse("Title: {doc.title}\nFirst section: {doc.sections[0].text}");
    state =
        State.of(
            "r1",
            Map.of(
                "prompt",
                "Echo record 1",
                "question",
                "How does photosynthesis turn light into chemical energy, step by step?",
                "answer",
                "Light is absorbed by chlorophyll in the thylakoid membranes; the energy splits"
                    + " water, pumps protons and makes ATP and NADPH, which the Calvin cycle uses"
                    + " to fix CO2 into sugars.",
                "doc",
                Map.of(
                    "title",
                    "Photosynthesis",
                    "sections",
                    List.of(Map.of("text", "Light reactions"), Map.of("text", "Calvin cycle")))));
  }

  @Benchmark
  public String renderEcho() {
    return echo.render(state, "echo");
  }

  @Benchmark
  public String renderJudge() {
    return judge.render(state, "judge");
  }

  @Benchmark
  public String renderNestedPaths() {
    return nested.render(state, "nested");
  }

  @Benchmark
  public PromptTemplate parseJudge() {
    return PromptTemplate.parse(JUDGE);
  }
}
