package io.sygra.samples;

import static io.sygra.samples.SampleTestSupport.assertReconciles;
import static io.sygra.samples.SampleTestSupport.at;
import static io.sygra.samples.SampleTestSupport.ctx;
import static io.sygra.samples.SampleTestSupport.jsonl;
import static io.sygra.samples.SampleTestSupport.messages;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sygra.core.ConfigurationException;
import io.sygra.core.run.RunReport;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CondorSampleTest {
  @TempDir Path tmp;

  private SampleContext.Builder condor(Path dir, long n) {
    return ctx(dir, n, new ByteArrayOutputStream())
        .input(SampleTestSupport.fixtures().resolve("seeds/condor_knowledge_tree_en.json"));
  }

  @Test
  void threeQuestionsPerCallOneRefinedAnswerPerOriginalAndBothDatasets() throws Exception {
    RunReport r = new CondorSample().run(condor(tmp, 12).build());
    assertReconciles(tmp, r);
    assertThat(r.sourceRecords()).isEqualTo(12);
    assertThat(r.failed()).isZero();

    // Every tag × task call fans out into exactly three questions: Easy, Medium, Hard.
    List<Map<String, Object>> refined = jsonl(tmp.resolve("output.jsonl"));
    Map<String, List<String>> byCall =
        refined.stream()
            .collect(
                Collectors.groupingBy(
                    rec -> ((String) rec.get("id")).split("/")[0],
                    TreeMap::new,
                    Collectors.mapping(
                        rec -> (String) at(rec, "provenance", "difficulty"), Collectors.toList())));
    long callsWithQuestions =
        r.sourceRecords()
            - r.dropReasons().getOrDefault("question synthesis unusable after 3 attempts", 0L);
    assertThat(r.fanOutAdded()).isEqualTo(2 * callsWithQuestions);
    assertThat(byCall).hasSize((int) callsWithQuestions);
    assertThat(byCall.values())
        .allSatisfy(d -> assertThat(d).containsExactlyInAnyOrder("Easy", "Medium", "Hard"));
    // The offline writer forgot a question on some first attempts; the retry with feedback fixed
    // it.
    assertThat(r.nodes().get("questions").executions()).isGreaterThan(r.sourceRecords());

    // One refined answer per original, and the pre-refinement dataset pairs with it record by
    // record.
    List<Map<String, Object>> pre = jsonl(tmp.resolve("void.jsonl"));
    assertThat(pre)
        .extracting(m -> m.get("id"))
        .containsExactlyElementsOf(refined.stream().map(m -> m.get("id")).toList());
    for (int i = 0; i < refined.size(); i++) {
      Map<String, Object> a = refined.get(i);
      Map<String, Object> b = pre.get(i);
      assertThat(messages(a).get(0)).isEqualTo(messages(b).get(0));
      assertThat(messages(b).get(1).get("content"))
          .isEqualTo(at(a, "provenance", "original_answer"));
      assertThat((String) messages(a).get(1).get("content"))
          .isNotEqualTo(messages(b).get(1).get("content"))
          .doesNotContain("[Improved Answer", "[Answer Start]");
      List<Map<String, Object>> critiques = at(a, "provenance", "critiques");
      assertThat(critiques).hasSize(CondorSample.DEFAULT_ROUNDS);
      assertThat((String) critiques.get(0).get("weakness"))
          .isNotBlank()
          .doesNotContain("[Suggestion");
    }
    // The lenient parser was needed: missing wrappers and closing markers occurred and were
    // tolerated.
    assertThat(refined)
        .anySatisfy(
            rec -> {
              List<Map<String, Object>> c = at(rec, "provenance", "critiques");
              assertThat((List<?>) c.get(0).get("missingMarkers")).isNotEmpty();
            });

    // Stratified sample: half the records, no stratum twice before every stratum once.
    List<Map<String, Object>> sample = jsonl(tmp.resolve("stratified.jsonl"));
    assertThat(sample).hasSize((refined.size() + 1) / 2);
    Set<Object> ids = new HashSet<>(refined.stream().map(m -> m.get("id")).toList());
    assertThat(sample).allMatch(m -> ids.contains(m.get("id")));
  }

  @Test
  void expandsSeedDomainsIntoATreeWithTheModel() throws Exception {
    Path seeds = tmp.resolve("domains.txt");
    Files.writeString(seeds, "# seed domains\nAstronomy\nGardening\n");
    Path dir = tmp.resolve("run");
    RunReport r =
        new CondorSample().run(ctx(dir, 4, new ByteArrayOutputStream()).input(seeds).build());
    assertReconciles(dir, r);
    SampleTestSupport.assertReconciles(dir.resolve("tree"));
    Map<String, Object> tree = SampleTestSupport.json(dir.resolve("knowledge-tree.json"));
    assertThat(tree).containsOnlyKeys("Astronomy", "Gardening");
    Map<String, Object> astronomy = at(tree, "Astronomy");
    assertThat(astronomy).hasSize(3);
    assertThat(astronomy.values()).allSatisfy(tags -> assertThat((List<?>) tags).hasSize(3));
    assertThat(r.written()).isPositive();
    Map<String, Object> report = SampleTestSupport.json(dir.resolve("report.json"));
    assertThat((Boolean) at(report, "phases", "tree", "reconciles")).isTrue();
  }

  @Test
  void missingInputNamesThePath() {
    Path missing = tmp.resolve("nope.json");
    assertThatThrownBy(
            () ->
                new CondorSample()
                    .run(ctx(tmp, 1, new ByteArrayOutputStream()).input(missing).build()))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining(missing.toString());
  }
}
