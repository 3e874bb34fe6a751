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

class OasstCurationSampleTest {
  @TempDir Path tmp;

  @Test
  void curatesSftAndDpoWithQualityTagsAndAReconciledFunnel() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    RunReport r =
        new OasstCurationSample()
            .run(
                ctx(tmp, 12, out)
                    .input(
                        SampleTestSupport.fixtures()
                            .resolve("oasst/oasst_en100_trees_nulls_omitted.jsonl"))
                    .build());
    assertReconciles(tmp, r);
    assertReconciles(tmp.resolve("dpo"));
    assertThat(r.written()).isPositive();
    assertThat(r.dropped()).isPositive();
    // Drops carry the stage and the failed rules.
    assertThat(r.dropReasons().keySet())
        .allMatch(
            k -> k.startsWith("heuristics: ") || k.startsWith("dedup") || k.startsWith("gate: "));

    List<Map<String, Object>> sft = jsonl(tmp.resolve("output.jsonl"));
    for (Map<String, Object> rec : sft) {
      List<Map<String, Object>> msgs = messages(rec);
      assertThat(msgs.get(msgs.size() - 1).get("role")).isEqualTo("assistant");
      assertThat((Boolean) at(rec, "metadata", "quality", "passed")).isTrue();
      assertThat((Object) at(rec, "metadata", "quality", "llm", "overall")).isNotNull();
      assertThat((String) at(rec, "metadata", "tree_id")).isNotBlank();
    }

    List<Map<String, Object>> dpo = jsonl(tmp.resolve("dpo.jsonl"));
    assertThat(dpo)
        .hasSize((int) SampleTestSupport.lines(tmp.resolve("dpo/output.jsonl")))
        .isNotEmpty();
    for (Map<String, Object> rec : dpo) {
      assertThat(rec).containsKeys("prompt", "chosen", "rejected", "metadata");
      assertThat((String) at(rec, "metadata", "quality", "llm", "preference", "label"))
          .isEqualTo("chosen");
      assertThat(((Number) at(rec, "metadata", "chosen_rank")).intValue())
          .isLessThan(((Number) at(rec, "metadata", "rejected_rank")).intValue());
    }

    // The funnel report: written, and its counts match the run's.
    Map<String, Object> quality = SampleTestSupport.json(tmp.resolve("quality-report.json"));
    assertThat(Files.readString(tmp.resolve("quality-report.html"))).contains("<html");
    assertThat(quality.toString()).contains("heuristics");
    Map<String, Object> report = SampleTestSupport.json(tmp.resolve("report.json"));
    assertThat(((Number) at(report, "phases", "oasst", "trees")).intValue()).isEqualTo(12);
    assertThat(((Number) at(report, "phases", "oasst", "sftConversations")).longValue())
        .isEqualTo(r.input());
    assertThat((Boolean) at(report, "phases", "dpo", "reconciles")).isTrue();
    assertThat(((Number) report.get("judgeCalls")).longValue()).isPositive();

    // A second run resumes: nothing new, and the funnel report of the first run is kept.
    String before = Files.readString(tmp.resolve("quality-report.json"));
    RunReport again =
        new OasstCurationSample()
            .run(
                ctx(tmp, 12, new ByteArrayOutputStream())
                    .input(
                        SampleTestSupport.fixtures()
                            .resolve("oasst/oasst_en100_trees_nulls_omitted.jsonl"))
                    .build());
    assertThat(again.nothingNew()).isTrue();
    assertThat(Files.readString(tmp.resolve("quality-report.json"))).isEqualTo(before);
  }
}
