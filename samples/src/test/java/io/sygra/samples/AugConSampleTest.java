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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AugConSampleTest {
  @TempDir Path tmp;

  private SampleContext.Builder augcon(Path dir) {
    return ctx(dir, 10, new ByteArrayOutputStream())
        .input(SampleTestSupport.fixtures().resolve("seeds/augcon_qa_examples_en.jsonl"));
  }

  @Test
  @SuppressWarnings("unchecked")
  void contextSplitTreeQuotaAndDiversityInvariantsHold() throws Exception {
    RunReport r = AugConSample.run(augcon(tmp).build(), Optional.empty());
    assertReconciles(tmp, r);
    assertReconciles(tmp.resolve("cst"));
    assertThat(r.failed()).isZero();

    // CST: every tree terminated; each question's context is strictly shorter than its parent's.
    List<Map<String, Object>> chunks = jsonl(tmp.resolve("cst/output.jsonl"));
    assertThat(chunks).hasSize(10);
    int retries = 0;
    int guardStops = 0;
    Map<String, Integer> quotaByChunk = new HashMap<>();
    Map<String, String> chunkText = new HashMap<>();
    for (Map<String, Object> chunk : chunks) {
      String text = (String) chunk.get("chunk");
      quotaByChunk.put((String) chunk.get("id"), (Integer) chunk.get("quota"));
      chunkText.put((String) chunk.get("id"), text);
      assertThat((Integer) chunk.get("quota")).isEqualTo(text.length() / 35);
      List<Map<String, Object>> questions = (List<Map<String, Object>>) chunk.get("questions");
      assertThat(questions).isNotEmpty();
      // The tree lists every split node: children strictly shorter than the parent, within the
      // guards, and every queued child was split (the work queue drained: the tree terminated).
      List<Map<String, Object>> tree = (List<Map<String, Object>>) chunk.get("tree");
      Map<String, Map<String, Object>> byNode = new HashMap<>();
      for (Map<String, Object> n : tree) {
        byNode.put((String) n.get("node"), n);
      }
      for (Map<String, Object> n : tree) {
        int depth = (Integer) n.get("depth");
        assertThat(depth).isBetween(0, AugConSample.LIMITS.maxDepth());
        if (depth == 0) {
          assertThat((Integer) n.get("length")).isEqualTo(text.length());
        } else {
          Map<String, Object> parent = byNode.get((String) n.get("parent"));
          assertThat(parent).as("parent of %s", n.get("node")).isNotNull();
          assertThat((Integer) n.get("length")).isLessThan((Integer) parent.get("length"));
          assertThat((Integer) n.get("length")).isGreaterThan(AugConSample.LIMITS.minLength());
          assertThat((List<String>) parent.get("children")).contains((String) n.get("node"));
        }
        for (String child : (List<String>) n.get("children")) {
          assertThat(byNode).as("child %s was split", child).containsKey(child);
        }
      }
      for (Map<String, Object> q : questions) {
        assertThat(byNode).containsKey((String) q.get("node"));
      }
      Map<String, Object> stats = (Map<String, Object>) chunk.get("cst_stats");
      retries += (Integer) stats.get("parseRetries");
      guardStops += ((Map<String, Object>) stats.get("guardStops")).size();
    }
    assertThat(retries).as("parse retries exercised offline").isPositive();
    assertThat(guardStops).isPositive();

    // Per-chunk quota and ROUGE-L diversity among the kept questions.
    List<Map<String, Object>> records = jsonl(tmp.resolve("output.jsonl"));
    assertThat(records).isNotEmpty();
    Map<String, List<Map<String, Object>>> byRoot =
        records.stream()
            .collect(Collectors.groupingBy(rec -> (String) at(rec, "provenance", "root_id")));
    for (Map.Entry<String, List<Map<String, Object>>> e : byRoot.entrySet()) {
      assertThat(e.getValue()).hasSizeLessThanOrEqualTo(quotaByChunk.get(e.getKey()));
      List<String> qs =
          e.getValue().stream().map(rec -> (String) messages(rec).get(0).get("content")).toList();
      for (int i = 0; i < qs.size(); i++) {
        for (int j = i + 1; j < qs.size(); j++) {
          assertThat(RougeL.f1(qs.get(i), qs.get(j)))
              .as("%s vs %s", qs.get(i), qs.get(j))
              .isLessThanOrEqualTo(0.7);
        }
      }
    }
    // Clean pairs: no reasoning, no "according to the context"; provenance keeps the tree position.
    for (Map<String, Object> rec : records) {
      String answer = (String) messages(rec).get(1).get("content");
      assertThat(answer)
          .doesNotStartWithIgnoringCase("according to")
          .doesNotContain("Reasoning", "Answer:");
      assertThat((String) at(rec, "provenance", "scorer")).isEqualTo("heuristic");
      assertThat((Object) at(rec, "provenance", "node")).isNotNull();
      assertThat((Object) at(rec, "provenance", "depth")).isNotNull();
      assertThat(chunkText).containsKey((String) at(rec, "provenance", "root_id"));
    }
    assertThat(records)
        .anySatisfy(rec -> assertThat((Object) at(rec, "provenance", "parent")).isNotNull());
    Map<String, Object> report = SampleTestSupport.json(tmp.resolve("report.json"));
    assertThat((Boolean) at(report, "phases", "cst", "reconciles")).isTrue();
  }

  @Test
  void trainsThePairwiseScorerWhenAnEmbedderIsAvailable() throws Exception {
    HashingEmbedder embedder = new HashingEmbedder(64);
    RunReport r = AugConSample.run(augcon(tmp).build(), Optional.of(embedder));
    assertReconciles(tmp, r);
    assertReconciles(tmp.resolve("scorer"));
    assertThat(embedder.requests).isPositive();
    Map<String, Object> report = SampleTestSupport.json(tmp.resolve("report.json"));
    assertThat((Integer) at(report, "phases", "scorer-training", "pairs")).isPositive();
    // Degraded prompts give worse questions; the head learns to rank the full prompt's higher.
    assertThat(((Number) at(report, "phases", "scorer-training", "trainAccuracy")).doubleValue())
        .isGreaterThan(0.9);
    assertThat(Files.exists(tmp.resolve("scorer/head.json"))).isTrue();
    List<Map<String, Object>> records = jsonl(tmp.resolve("output.jsonl"));
    assertThat(records)
        .isNotEmpty()
        .allSatisfy(
            rec ->
                assertThat((String) at(rec, "provenance", "scorer"))
                    .isEqualTo("pairwise-logistic"));
  }

  @Test
  void readsPlainTextInputAsParagraphs() throws Exception {
    Path text = tmp.resolve("corpus.txt");
    Files.writeString(
        text,
        "Glaciers form where snow accumulates faster than it melts. Over centuries the snow"
            + " compacts into ice, which flows slowly downhill under its own weight.\n\n"
            + "Tide pools are rocky depressions that hold seawater at low tide. They shelter"
            + " anemones, crabs and snails that must survive heat and changing salinity.\n");
    Path dir = tmp.resolve("run");
    RunReport r =
        AugConSample.run(
            ctx(dir, 5, new ByteArrayOutputStream()).input(text).build(), Optional.empty());
    assertReconciles(dir, r);
    assertThat(jsonl(dir.resolve("cst/output.jsonl"))).hasSize(2);
    assertThat(r.written()).isPositive();
  }
}
