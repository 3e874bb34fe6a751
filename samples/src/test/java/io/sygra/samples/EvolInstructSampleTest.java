package io.sygra.samples;

import static io.sygra.samples.SampleTestSupport.assertReconciles;
import static io.sygra.samples.SampleTestSupport.at;
import static io.sygra.samples.SampleTestSupport.ctx;
import static io.sygra.samples.SampleTestSupport.jsonl;
import static io.sygra.samples.SampleTestSupport.messages;
import static org.assertj.core.api.Assertions.assertThat;

import io.sygra.core.run.RunReport;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvolInstructSampleTest {
  @TempDir Path tmp;

  @Test
  void evolvesInDepthAndBreadthAndEliminatesFailedEvolutions() throws Exception {
    RunReport r = new EvolInstructSample().run(ctx(tmp, 16, new ByteArrayOutputStream()).build());
    assertReconciles(tmp, r);
    assertThat(r.sourceRecords()).isEqualTo(16);
    List<Map<String, Object>> records = jsonl(tmp.resolve("output.jsonl"));
    assertThat(records).isNotEmpty();
    for (Map<String, Object> rec : records) {
      String path = at(rec, "provenance", "path");
      int round = at(rec, "provenance", "round");
      List<Map<String, Object>> trajectory = at(rec, "provenance", "trajectory");
      assertThat(trajectory).hasSize(round);
      assertThat(round)
          .isBetween(
              1,
              path.equals("depth")
                  ? EvolInstructSample.DEPTH_ROUNDS
                  : EvolInstructSample.BREADTH_ROUNDS);
      String instruction = (String) messages(rec).get(0).get("content");
      assertThat(instruction).isEqualTo(trajectory.get(round - 1).get("instruction"));
      assertThat(instruction).isNotEqualTo(at(rec, "provenance", "seed"));
      assertThat(instruction.toLowerCase()).doesNotContain("rewritten prompt", "given prompt");
      assertThat((String) messages(rec).get(1).get("content")).doesNotContainIgnoringCase("sorry");
      if (path.equals("depth")) {
        assertThat(trajectory)
            .extracting(t -> (String) t.get("method"))
            .allMatch(
                m ->
                    List.of("add_constraints", "deepen", "concretize", "increase_reasoning")
                        .contains(m));
      } else {
        assertThat(trajectory.get(0).get("method")).isEqualTo("breadth");
      }
    }
    assertThat(records)
        .anySatisfy(rec -> assertThat((Integer) at(rec, "provenance", "round")).isEqualTo(2));
    assertThat(records)
        .extracting(rec -> (String) at(rec, "provenance", "path"))
        .contains("depth", "breadth");
    // Failed evolutions are dropped, each with its elimination reason.
    assertThat(r.dropReasons().keySet())
        .anyMatch(k -> k.startsWith("evolution copies the evolving prompt"))
        .contains("evolution adds no information (judged equal)");
    assertThat(Files.readAllLines(tmp.resolve("dropped.jsonl"))).hasSize((int) r.dropped());
  }

  @Test
  void eliminationRules() {
    assertThat(
            EvolInstruct.eliminationReason(
                "a", "#Rewritten Prompt#: b", "Not Equal", "fine answer"))
        .startsWith("evolution copies");
    assertThat(EvolInstruct.eliminationReason("Explain X.", "Explain X in detail.", "Equal", "ok"))
        .isEqualTo("evolution adds no information (judged equal)");
    assertThat(EvolInstruct.eliminationReason("a", "b c", "Not Equal", "Sorry, I cannot do that."))
        .isEqualTo("response is a short apology");
    assertThat(EvolInstruct.eliminationReason("a", "b c", "Not Equal", "the, and of it!"))
        .isEqualTo("response is only punctuation and stop words");
    String longApology =
        "Sorry for the delay. " + "Here is a full explanation of the topic. ".repeat(20);
    assertThat(EvolInstruct.eliminationReason("a", "b c", "Not Equal", longApology)).isNull();
  }
}
