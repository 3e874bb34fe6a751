package io.sygra.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.sygra.benchmarks.fake.FakeLlmServer;
import io.sygra.benchmarks.fake.FakeServerStats;
import io.sygra.benchmarks.fake.LatencyModel;
import io.sygra.core.run.RunReport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Guarantee 1 of DESIGN.md §4 (exactly-once, resumable runs) for an LLM pipeline over real HTTP: a
 * child JVM running the 3,000-record, two-call pipeline ({@link LlmCrashChild}) is killed with
 * SIGKILL ({@code destroyForcibly}) at five random moments, and restarted on the same run directory
 * each time. The fake server runs in this JVM, survives the kills and counts the requests of every
 * record; its replies are a pure function of the request, like a seeded simulated model.
 *
 * <p>Proves: the final output holds exactly 3,000 unique ids with the same content as an
 * uninterrupted run; counts reconcile; and no record whose output line was on disk at a kill was
 * ever requested again (a request in flight at a kill, for a record not yet written, is repeated:
 * that is the expected cost of a crash).
 *
 * <p>The kill moments come from a seeded random generator (system property {@code
 * sygra.crash.seed}, printed on failure), in shuffled order: one a random delay after start (which
 * may fall in JVM start-up or while the run directory is being reopened), two at random points of
 * the output's growth, and two at the very moment the writer appends again after a random amount of
 * output (with a 10 ms checkpoint interval, i.e. amid appends and fsyncs).
 */
class CrashRecoveryTest {
  static final int RECORDS = 3000;
  static final int KILLS = 5;

  @TempDir Path tmp;

  enum Moment {
    AFTER_DELAY,
    AT_OUTPUT_SIZE,
    WHILE_APPENDING
  }

  record Kill(Moment moment, long param, long outputLines, boolean tornLine, long elapsedMs) {}

  Process start(FakeLlmServer server, Path input, Path dir, int n) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb =
        new ProcessBuilder(
            java,
            "-XX:TieredStopAtLevel=1",
            "-XX:+UseSerialGC",
            "-Xmx256m",
            "-cp",
            System.getProperty("java.class.path"),
            LlmCrashChild.class.getName(),
            server.baseUrl(),
            input.toString(),
            dir.toString());
    pb.redirectErrorStream(true);
    pb.redirectOutput(tmp.resolve("child-" + n + ".log").toFile());
    return pb.start();
  }

  static long size(Path f) {
    try {
      return Files.exists(f) ? Files.size(f) : 0;
    } catch (IOException e) {
      return 0; // being created
    }
  }

  @Test
  void killedLlmRunsResumeToTheUninterruptedOutputWithoutRepeatingCalls() throws Exception {
    long seed = Long.getLong("sygra.crash.seed", System.nanoTime());
    Random random = new Random(seed);
    Path input = Inputs.topics(tmp.resolve("input.jsonl"), RECORDS);
    Map<String, String> topics = new HashMap<>();
    for (int i = 0; i < RECORDS; i++) {
      topics.put(Inputs.id(i), "topic " + i + " of the reliability suite");
    }

    try (FakeLlmServer server =
        FakeLlmServer.builder()
            .latency(LatencyModel.uniform(Duration.ofMillis(5), Duration.ofMillis(20)))
            .responseTokens(8, 24)
            .seed(seed)
            .start()) {
      Path baseline = tmp.resolve("baseline");
      RunReport expected = LlmCrashChild.run(server.baseUrl(), input, baseline);
      assertThat(expected.reconciles()).isTrue();
      assertThat(expected.written()).isEqualTo(RECORDS);
      Map<String, Map<String, Object>> expectedOutput =
          RunFiles.byId(baseline.resolve("output.jsonl"));
      long fullSize = Files.size(baseline.resolve("output.jsonl"));
      server.reset();

      Path dir = tmp.resolve("killed");
      Path output = dir.resolve("output.jsonl");
      List<Moment> plan =
          new ArrayList<>(
              List.of(
                  Moment.AFTER_DELAY,
                  Moment.AT_OUTPUT_SIZE,
                  Moment.AT_OUTPUT_SIZE,
                  Moment.WHILE_APPENDING,
                  Moment.WHILE_APPENDING));
      java.util.Collections.shuffle(plan, random);
      List<Kill> kills = new ArrayList<>();
      // per kill: the ids on disk at that moment and the server's per-record counts then
      List<Map<String, Map<String, Object>>> writtenAtKill = new ArrayList<>();
      List<FakeServerStats> statsAtKill = new ArrayList<>();
      int started = 0;
      for (int k = 0; k < KILLS; k++) {
        Moment moment = plan.get(k);
        long before = size(output);
        long remaining = Math.max(1, fullSize - before);
        Process p = start(server, input, dir, started++);
        long t0 = System.nanoTime();
        long deadline = t0 + TimeUnit.SECONDS.toNanos(60);
        long param;
        // every moment is also bounded by output progress, so a later restart always has work left
        long cap = before + remaining / 2;
        switch (moment) {
          case AFTER_DELAY -> {
            param = 200 + random.nextInt(2500);
            long until = t0 + TimeUnit.MILLISECONDS.toNanos(param);
            while (p.isAlive() && System.nanoTime() < until && size(output) < cap) {
              Thread.sleep(1);
            }
          }
          case AT_OUTPUT_SIZE -> {
            param = before + (long) (remaining * (0.05 + 0.45 * random.nextDouble()));
            while (p.isAlive() && size(output) < param && System.nanoTime() < deadline) {
              Thread.sleep(1);
            }
          }
          default -> {
            // let some output go by, then strike the moment the writer appends again
            param = before + 1 + (long) (remaining * 0.3 * random.nextDouble());
            while (p.isAlive() && size(output) < param && System.nanoTime() < deadline) {
              Thread.sleep(1);
            }
            long last = size(output);
            while (p.isAlive() && size(output) == last && System.nanoTime() < deadline) {
              Thread.onSpinWait();
            }
          }
        }
        assertThat(p.isAlive())
            .as("run %d ended before kill %s (seed %d); see %s", k, moment, seed, tmp)
            .isTrue();
        p.destroyForcibly();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        Thread.sleep(100); // let the server count requests still in its socket buffers
        byte[] bytes = Files.exists(output) ? Files.readAllBytes(output) : new byte[0];
        boolean torn = bytes.length > 0 && bytes[bytes.length - 1] != '\n';
        Map<String, Map<String, Object>> onDisk = RunFiles.byId(output);
        writtenAtKill.add(onDisk);
        statsAtKill.add(server.stats());
        kills.add(new Kill(moment, param, onDisk.size(), torn, elapsed));
      }
      assertThat(writtenAtKill.get(KILLS - 1).size())
          .as("kills %s (seed %d)", kills, seed)
          .isLessThan(RECORDS);

      Process last = start(server, input, dir, started);
      assertThat(last.waitFor(120, TimeUnit.SECONDS)).as("final run finishes").isTrue();
      String log =
          Files.readString(tmp.resolve("child-" + started + ".log"), StandardCharsets.UTF_8);
      assertThat(last.exitValue()).as(log).isZero();
      assertThat(log).contains("RECONCILES");
      FakeServerStats fin = server.stats();

      // exactly the uninterrupted output
      Map<String, Map<String, Object>> actual = RunFiles.byId(output);
      assertThat(actual).hasSize(RECORDS);
      assertThat(actual).isEqualTo(expectedOutput);
      assertThat(RunFiles.lines(dir.resolve("failed.jsonl"))).isEmpty();
      Map<String, Object> report = RunFiles.report(dir);
      assertThat(report)
          .containsEntry("input", RECORDS)
          .containsEntry("written", RECORDS)
          .containsEntry("reconciles", true);
      assertThat(dir.resolve("manifest.json")).exists();

      // no model call for a record that was already written when a kill happened
      long checked = 0;
      for (int k = 0; k < KILLS; k++) {
        FakeServerStats then = statsAtKill.get(k);
        for (Map<String, Object> line : writtenAtKill.get(k).values()) {
          String id = (String) line.get("id");
          String answerKey = LlmPipelines.answerKey(id, topics.get(id));
          String reviewKey = LlmPipelines.reviewKey(line);
          assertThat(fin.requestsFor(answerKey))
              .as("answer requests for %s, written before kill %d (seed %d)", id, k, seed)
              .isEqualTo(then.requestsFor(answerKey));
          assertThat(fin.requestsFor(reviewKey))
              .as("review requests for %s, written before kill %d (seed %d)", id, k, seed)
              .isEqualTo(then.requestsFor(reviewKey));
          checked++;
        }
      }
      // every record needed exactly its two calls, except those in flight at a kill
      assertThat(fin.recordRequests()).hasSize(2 * RECORDS);
      long repeated = fin.recordsRequestedMoreThanOnce().size();
      assertThat(repeated).isLessThanOrEqualTo((long) KILLS * 2 * 64);

      Map<String, Object> f = new LinkedHashMap<>();
      f.put("seed", seed);
      f.put("records", RECORDS);
      f.put("kills", kills.size());
      f.put("killMoments", kills.stream().map(Kill::moment).map(Enum::name).toList());
      f.put("outputLinesAtKills", kills.stream().map(Kill::outputLines).toList());
      f.put("tornLinesAtKills", kills.stream().filter(Kill::tornLine).count());
      f.put("apiRequestsKilledRuns", fin.apiRequests());
      f.put("callsRepeatedAfterKill", repeated);
      f.put("writtenRecordChecksAcrossKills", checked);
      f.put("recordsLost", RECORDS - actual.size());
      Figures.write("crash-recovery", f);
    }
  }
}
