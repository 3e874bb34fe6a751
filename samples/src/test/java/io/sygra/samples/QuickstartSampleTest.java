package io.sygra.samples;

import static org.assertj.core.api.Assertions.assertThat;

import io.sygra.core.run.RunOptions;
import io.sygra.core.run.RunReport;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QuickstartSampleTest {
  @TempDir Path tmp;

  static SampleContext ctx(Path dir, long records, ByteArrayOutputStream out) {
    return SampleContext.builder()
        .outDir(dir)
        .records(records)
        .env(Map.of())
        .out(new PrintStream(out, true, StandardCharsets.UTF_8))
        .progress(RunOptions.ProgressMode.NEVER)
        .build();
  }

  @Test
  void writesTrlMessagesKeepsOnlyGoodScoresAndResumes() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    RunReport r = new QuickstartSample().run(ctx(tmp, 12, out));
    assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("SIMULATED MODEL");
    assertThat(r.reconciles()).isTrue();
    assertThat(r.input()).isEqualTo(12);
    assertThat(r.written()).isPositive();
    assertThat(r.dropReasons().keySet()).allMatch(k -> k.startsWith("judge score "));
    List<String> lines = Files.readAllLines(tmp.resolve("output.jsonl"));
    assertThat(lines).hasSize((int) r.written());
    Map<String, Object> rec = io.sygra.core.internal.Json.readMap(lines.get(0));
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> messages = (List<Map<String, Object>>) rec.get("messages");
    assertThat(messages).extracting(m -> m.get("role")).containsExactly("user", "assistant");
    assertThat(messages).allSatisfy(m -> assertThat((String) m.get("content")).isNotBlank());
    @SuppressWarnings("unchecked")
    Map<String, Object> judge =
        (Map<String, Object>) ((Map<String, Object>) rec.get("provenance")).get("judge");
    assertThat((Integer) judge.get("score")).isGreaterThanOrEqualTo(QuickstartSample.MIN_SCORE);
    assertThat(r.extensions()).containsKey("nodes");

    RunReport again = new QuickstartSample().run(ctx(tmp, 12, new ByteArrayOutputStream()));
    assertThat(again.nothingNew()).isTrue();
    assertThat(again.written()).isEqualTo(r.written());
  }

  @Test
  void offlineOutputIsDeterministic() throws Exception {
    new QuickstartSample().run(ctx(tmp.resolve("a"), 6, new ByteArrayOutputStream()));
    new QuickstartSample().run(ctx(tmp.resolve("b"), 6, new ByteArrayOutputStream()));
    assertThat(sorted(tmp.resolve("a/output.jsonl")))
        .isEqualTo(sorted(tmp.resolve("b/output.jsonl")));
  }

  static List<String> sorted(Path p) throws Exception {
    return Files.readAllLines(p).stream().sorted().toList();
  }
}
