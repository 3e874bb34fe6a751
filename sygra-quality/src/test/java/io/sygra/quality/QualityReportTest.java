package io.sygra.quality;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QualityReportTest {
  @TempDir Path dir;

  private static Map<String, Object> quality(int tokens, String lang) {
    return Map.of(
        "heuristic",
        Map.of(
            "shape",
                Map.of(
                    "tokens",
                    tokens,
                    "chars",
                    tokens * 4,
                    "response_tokens",
                    tokens / 2,
                    "turns",
                    2),
            "language", Map.of("detected", lang)));
  }

  @Test
  void funnelDistributionsExamplesAndAPageThatNeedsNoNetwork() throws Exception {
    QualityReport r = QualityReport.create(2);
    for (int i = 0; i < 10; i++) {
      List<String> reasons = i < 3 ? List.of("pii.email", "refusal.refusal") : List.of();
      r.observe(
          QualityReport.Stage.HEURISTICS,
          "r" + i,
          quality(10 * (i + 1), i % 2 == 0 ? "en" : "de"),
          reasons,
          "USER: <script>alert(1)</script> q" + i);
    }
    for (int i = 3; i < 10; i++) {
      List<String> reasons = i == 9 ? List.of("dedup.near") : List.of();
      Map<String, Object> q =
          i == 9
              ? Map.of("dedup", Map.of("method", "near", "duplicate_of", "r4", "similarity", 0.91))
              : Map.of();
      r.observe(QualityReport.Stage.DEDUP, "r" + i, q, reasons, "p");
    }
    for (int i = 3; i < 9; i++) {
      r.observe(
          QualityReport.Stage.JUDGE,
          "r" + i,
          Map.of(
              "llm",
              Map.of("overall", 2.0 + i * 0.3, "category", "code", "question", Map.of("score", 4))),
          i == 3 ? List.of("llm.low_overall") : List.of(),
          null);
    }
    assertThat(r.in()).isEqualTo(10);
    assertThat(r.out()).isEqualTo(5);
    assertThat(r.dropped()).isEqualTo(5);
    assertThat(r.reconciles()).isTrue();
    assertThat(r.reasons(QualityReport.Stage.HEURISTICS))
        .containsEntry("pii.email", 3L)
        .containsEntry("refusal.refusal", 3L);

    r.write(dir);
    @SuppressWarnings("unchecked")
    Map<String, Object> json =
        new ObjectMapper()
            .readValue(Files.readString(dir.resolve("quality-report.json")), Map.class);
    @SuppressWarnings("unchecked")
    Map<String, Object> examples = (Map<String, Object>) json.get("examples");
    assertThat((List<?>) examples.get("pii.email")).hasSize(2); // capped
    assertThat(examples.get("dedup.near").toString()).contains("duplicate_of=r4");
    assertThat(json.get("distributions").toString()).contains("de=5", "en=5");

    String html = Files.readString(dir.resolve("quality-report.html"));
    assertThat(html).contains("<svg", "Funnel", "pii.email", "dedup.near", "r4");
    assertThat(html).doesNotContain("<script>alert"); // previews are escaped
    assertThat(html).contains("&lt;script&gt;");
    // Self-contained: no scripts, stylesheets or images from elsewhere.
    assertThat(html).doesNotContain("<script", "<link", "src=\"http", "href=\"http");
  }

  @Test
  void aSkippedStageBreaksReconciliation() {
    QualityReport r = QualityReport.create();
    r.observe(QualityReport.Stage.HEURISTICS, "a", null, List.of(), null);
    r.observe(QualityReport.Stage.HEURISTICS, "b", null, List.of(), null);
    r.observe(QualityReport.Stage.DEDUP, "a", null, List.of(), null);
    assertThat(r.reconciles()).isFalse();
    r.observe(QualityReport.Stage.DEDUP, "b", null, List.of("dedup.exact"), null);
    assertThat(r.reconciles()).isTrue();
  }
}
