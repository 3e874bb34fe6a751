package io.sygra.samples;

import static io.sygra.samples.SampleTestSupport.assertReconciles;
import static io.sygra.samples.SampleTestSupport.at;
import static io.sygra.samples.SampleTestSupport.ctx;
import static io.sygra.samples.SampleTestSupport.jsonl;
import static io.sygra.samples.SampleTestSupport.messages;
import static org.assertj.core.api.Assertions.assertThat;

import io.sygra.core.run.Pipeline;
import io.sygra.core.run.RunOptions;
import io.sygra.core.run.RunReport;
import io.sygra.core.run.Sources;
import io.sygra.llm.SimulatedModelClient;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SelfRefineSampleTest {
  @TempDir Path tmp;

  @Test
  void refinesUntilGoodKeepsTrajectoriesAndDropsAtTheCap() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    RunReport r = new SelfRefineSample().run(ctx(tmp, 16, out).build());
    assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("SIMULATED MODEL");
    assertReconciles(tmp, r);
    assertThat(r.input()).isEqualTo(16);

    List<Map<String, Object>> records = jsonl(tmp.resolve("output.jsonl"));
    assertThat(records).isNotEmpty();
    int max = SelfRefineSample.DEFAULT_MAX_ITERATIONS;
    for (Map<String, Object> rec : records) {
      assertThat(messages(rec)).extracting(m -> m.get("role")).containsExactly("user", "assistant");
      List<Map<String, Object>> trajectory = at(rec, "provenance", "trajectory");
      int iterations = at(rec, "provenance", "iterations");
      assertThat(trajectory).hasSize(iterations).hasSizeLessThanOrEqualTo(max);
      // Only the last draft is good, and it is the answer written.
      for (int i = 0; i < trajectory.size() - 1; i++) {
        assertThat(trajectory.get(i).get("is_good")).isEqualTo(false);
        assertThat(trajectory.get(i).get("iteration")).isEqualTo(i + 1);
      }
      Map<String, Object> last = trajectory.get(trajectory.size() - 1);
      assertThat(last.get("is_good")).isEqualTo(true);
      assertThat(last.get("answer")).isEqualTo(messages(rec).get(1).get("content"));
    }
    // The offline judge makes some records need rewrites and some never converge.
    assertThat(records)
        .anySatisfy(rec -> assertThat((Integer) at(rec, "provenance", "iterations")).isEqualTo(1))
        .anySatisfy(
            rec -> assertThat((Integer) at(rec, "provenance", "iterations")).isGreaterThan(1));
    assertThat(r.dropped()).isPositive();
    assertThat(r.dropReasons().keySet())
        .allMatch(k -> k.startsWith("not good after " + max + " iterations"));
  }

  @Test
  void stopsAtMaxIterationsWhenTheJudgeIsNeverSatisfied() throws Exception {
    SimulatedModelClient never =
        SimulatedModelClient.builder()
            .seed(1)
            .respondWhenPromptContains(
                SelfRefineSample.JUDGE_MARKER,
                req -> "{\"score\": 2, \"is_good\": false, \"critique\": \"wrong\"}")
            .build();
    int max = 2;
    RunReport r =
        Pipeline.builder()
            .graph(SelfRefineSample.graph(never, max))
            .source(Sources.generate(5))
            .runDirectory(tmp)
            .options(RunOptions.builder().progress(RunOptions.ProgressMode.NEVER).build())
            .build()
            .run();
    assertReconciles(tmp, r);
    assertThat(r.written()).isZero();
    assertThat(r.dropReasons()).containsOnlyKeys("not good after 2 iterations (last score 2)");
    assertThat(r.nodes().get("judge").executions()).isEqualTo(5L * max);
    assertThat(r.nodes().get("refine").executions()).isEqualTo(5L * (max - 1));
  }
}
