package io.sygra.samples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import io.sygra.core.run.RunOptions;
import io.sygra.core.run.RunReport;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Shared helpers of the sample tests. */
final class SampleTestSupport {
  private SampleTestSupport() {}

  /** The shared fixtures folder (surefire sets sygra.fixtures; else ../shared/fixtures). */
  static Path fixtures() {
    String p = System.getProperty("sygra.fixtures");
    Path dir = p != null ? Path.of(p) : Path.of("../shared/fixtures");
    if (!Files.isDirectory(dir)) {
      dir = Path.of("../../shared/fixtures");
    }
    return dir;
  }

  static SampleContext.Builder ctx(Path dir, long records, ByteArrayOutputStream out) {
    return SampleContext.builder()
        .outDir(dir)
        .records(records)
        .env(Map.of())
        .out(new PrintStream(out, true, StandardCharsets.UTF_8))
        .progress(RunOptions.ProgressMode.NEVER);
  }

  static List<Map<String, Object>> jsonl(Path file) {
    return SampleFiles.readJsonl(file);
  }

  static Map<String, Object> json(Path file) {
    return SampleFiles.readJson(file, new TypeReference<Map<String, Object>>() {});
  }

  @SuppressWarnings("unchecked")
  static <T> T at(Object map, String... path) {
    Object cur = map;
    for (String k : path) {
      cur = ((Map<String, Object>) cur).get(k);
    }
    return (T) cur;
  }

  /**
   * Asserts the run directory's report.json reconciles and agrees with the files: written lines in
   * output.jsonl, dropped lines in dropped.jsonl, failed lines in failed.jsonl.
   */
  static void assertReconciles(Path dir, RunReport r) throws Exception {
    assertThat(r.reconciles()).as("report reconciles").isTrue();
    assertReconciles(dir);
  }

  /** Asserts a run directory's report.json reconciles with itself and with its files. */
  static void assertReconciles(Path dir) throws Exception {
    Map<String, Object> report = json(dir.resolve("report.json"));
    long input = ((Number) report.get("input")).longValue();
    long written = ((Number) report.get("written")).longValue();
    long dropped = ((Number) report.get("dropped")).longValue();
    long failed = ((Number) report.get("failed")).longValue();
    assertThat(input).isEqualTo(written + dropped + failed);
    assertThat(lines(dir.resolve("output.jsonl"))).isEqualTo(written);
    assertThat(lines(dir.resolve("dropped.jsonl"))).isEqualTo(dropped);
    assertThat(lines(dir.resolve("failed.jsonl"))).isEqualTo(failed);
  }

  static long lines(Path p) throws Exception {
    if (!Files.exists(p)) {
      return 0;
    }
    try (var s = Files.lines(p)) {
      return s.filter(l -> !l.isBlank()).count();
    }
  }

  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> messages(Map<String, Object> rec) {
    return (List<Map<String, Object>>) rec.get("messages");
  }
}
