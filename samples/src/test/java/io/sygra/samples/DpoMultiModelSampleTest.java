package io.sygra.samples;

import static io.sygra.samples.SampleTestSupport.assertReconciles;
import static io.sygra.samples.SampleTestSupport.at;
import static io.sygra.samples.SampleTestSupport.ctx;
import static io.sygra.samples.SampleTestSupport.jsonl;
import static org.assertj.core.api.Assertions.assertThat;

import io.sygra.core.run.RunReport;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DpoMultiModelSampleTest {
  @TempDir Path tmp;

  @Test
  void writesTrlDpoPairsFromTwoModelsAndDropsTiesWithReasons() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    RunReport r = new DpoMultiModelSample().run(ctx(tmp, 24, out).build());
    assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("SIMULATED MODEL");
    assertReconciles(tmp, r);
    assertThat(r.input()).isEqualTo(24);
    assertThat(r.written()).isPositive();
    // Both kinds of tie occur offline and are dropped with their reason, nothing else is.
    assertThat(r.dropReasons())
        .containsKeys(PairwiseVerdicts.TIE, PairwiseVerdicts.INCONSISTENT)
        .hasSize(2);

    List<Map<String, Object>> records = jsonl(tmp.resolve("output.jsonl"));
    for (Map<String, Object> rec : records) {
      List<Map<String, Object>> prompt = at(rec, "prompt");
      List<Map<String, Object>> chosen = at(rec, "chosen");
      List<Map<String, Object>> rejected = at(rec, "rejected");
      assertThat(prompt)
          .singleElement()
          .satisfies(m -> assertThat(m.get("role")).isEqualTo("user"));
      assertThat(chosen)
          .singleElement()
          .satisfies(m -> assertThat(m.get("role")).isEqualTo("assistant"));
      assertThat(rejected)
          .singleElement()
          .satisfies(m -> assertThat(m.get("role")).isEqualTo("assistant"));
      assertThat(chosen.get(0).get("content")).isNotEqualTo(rejected.get(0).get("content"));
      double sc = ((Number) rec.get("score_chosen")).doubleValue();
      double sr = ((Number) rec.get("score_rejected")).doubleValue();
      assertThat(sc).isGreaterThan(sr);
      // The verdicts in both orders agree with the choice (the position-swap invariant).
      String chosenModel = at(rec, "provenance", "chosen_model");
      int ab1 = at(rec, "provenance", "judge_a_first", "score_1");
      int ab2 = at(rec, "provenance", "judge_a_first", "score_2");
      int ba1 = at(rec, "provenance", "judge_b_first", "score_1");
      int ba2 = at(rec, "provenance", "judge_b_first", "score_2");
      double a = (ab1 + ba2) / 2.0;
      double b = (ab2 + ba1) / 2.0;
      assertThat(chosenModel.equals("simulated-model-a") ? a : b).isEqualTo(sc);
      assertThat((long) (ab1 - ab2) * (ba2 - ba1)).isGreaterThanOrEqualTo(0);
    }
    assertThat(records)
        .extracting(rec -> (String) at(rec, "provenance", "chosen_model"))
        .contains("simulated-model-a", "simulated-model-b");
  }
}
