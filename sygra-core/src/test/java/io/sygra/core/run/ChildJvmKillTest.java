package io.sygra.core.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.sygra.core.internal.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a child JVM running a pipeline ({@code destroyForcibly}, i.e. SIGKILL) at several points,
 * restarts it on the same run directory each time, and checks the final output is exactly the
 * output of an uninterrupted run.
 */
class ChildJvmKillTest {
  static final long RECORDS = 2000;

  @TempDir Path tmp;

  static Process start(Path dir) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb =
        new ProcessBuilder(
            java,
            "-XX:TieredStopAtLevel=1",
            "-XX:+UseSerialGC",
            "-cp",
            System.getProperty("java.class.path"),
            KillableRun.class.getName(),
            dir.toString(),
            Long.toString(RECORDS));
    pb.redirectErrorStream(true);
    pb.redirectOutput(dir.resolveSibling(dir.getFileName() + ".log").toFile());
    return pb.start();
  }

  static long lines(Path f) throws Exception {
    if (!Files.exists(f)) {
      return 0;
    }
    try (var s = Files.lines(f)) {
      return s.count();
    }
  }

  static Map<String, String> byId(Path f) throws Exception {
    Map<String, String> out = new HashMap<>();
    for (String l : Files.readAllLines(f)) {
      String id = (String) Json.readMap(l).get("id");
      assertThat(out.put(id, l)).as("duplicate id %s", id).isNull();
    }
    return out;
  }

  @Test
  void killedRunsResumeToExactlyTheUninterruptedOutput() throws Exception {
    Path baseline = tmp.resolve("baseline");
    RunReport expected = KillableRun.run(baseline, RECORDS);
    assertThat(expected.reconciles()).isTrue();

    Path dir = tmp.resolve("killed");
    long[] killAt = {150, 700, 1500, 2400, 3300};
    int kills = 0;
    for (long threshold : killAt) {
      Process p = start(dir);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (p.isAlive()
          && lines(dir.resolve("output.jsonl")) < threshold
          && System.nanoTime() < deadline) {
        Thread.sleep(2);
      }
      if (p.isAlive()) {
        p.destroyForcibly().waitFor();
        kills++;
      }
    }
    Process last = start(dir);
    assertThat(last.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(last.exitValue()).isZero();
    assertThat(Files.readString(dir.resolveSibling("killed.log"))).contains("RECONCILES");
    assertThat(kills).isGreaterThanOrEqualTo(3);

    assertThat(byId(dir.resolve("output.jsonl"))).isEqualTo(byId(baseline.resolve("output.jsonl")));
    assertThat(byId(dir.resolve("dropped.jsonl")))
        .isEqualTo(byId(baseline.resolve("dropped.jsonl")));
    Map<String, Object> report = Json.readMap(Files.readString(dir.resolve("report.json")));
    assertThat(report)
        .containsEntry("input", (int) expected.input())
        .containsEntry("reconciles", true);
  }
}
