package io.sygra.core.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.sygra.core.Graph;
import io.sygra.core.internal.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Property: for random graphs, a run directory cut off at any point (every file truncated to an
 * arbitrary byte prefix, as a crash could leave it, torn lines included) resumes to exactly the
 * outcomes of an uninterrupted run: same written records with the same content, no duplicate ids,
 * and counts that reconcile.
 */
class CrashRecoveryPropertyTest {
  @TempDir Path tmp;

  static Stream<Long> seeds() {
    return Stream.iterate(1L, s -> s + 1).limit(25);
  }

  static final List<String> FILES =
      List.of("output.jsonl", "dropped.jsonl", "failed.jsonl", "fanout-journal.jsonl");

  static RunReport run(Graph g, Path dir, int concurrency) {
    return Pipeline.builder()
        .graph(g)
        .source(Sources.generate(60))
        .runDirectory(dir)
        .options(
            RunOptions.builder()
                .concurrency(concurrency)
                .progress(RunOptions.ProgressMode.NEVER)
                .build())
        .build()
        .run();
  }

  /** id → line content per outcome file; fails on a duplicate id anywhere. */
  static Map<String, Map<String, Object>> outcomes(Path dir) throws IOException {
    Map<String, Map<String, Object>> all = new HashMap<>();
    for (String f : List.of("output.jsonl", "dropped.jsonl", "failed.jsonl")) {
      Path p = dir.resolve(f);
      if (!Files.exists(p)) {
        continue;
      }
      for (String line : Files.readAllLines(p)) {
        Map<String, Object> m = Json.readMap(line);
        m.remove("state"); // failure snapshots may differ in key order only
        m.remove("step");
        Object prev = all.put(f + ":" + m.get("id"), m);
        assertThat(prev).as("duplicate id %s in %s", m.get("id"), f).isNull();
      }
    }
    Set<String> ids = new HashSet<>();
    for (String k : all.keySet()) {
      assertThat(ids.add(k.substring(k.indexOf(':') + 1)))
          .as("id %s in two outcome files", k)
          .isTrue();
    }
    return all;
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void anyCrashPointResumesToTheUninterruptedOutcome(long seed) throws Exception {
    Graph g = RandomGraphs.build(seed);
    Path baseline = tmp.resolve("baseline");
    RunReport full = run(g, baseline, 1 + (int) (seed % 16));
    assertThat(full.reconciles()).isTrue();
    Map<String, Map<String, Object>> expected = outcomes(baseline);

    Random rnd = new Random(seed * 7919);
    for (int crash = 0; crash < 3; crash++) {
      Path dir = tmp.resolve("crash" + crash);
      Files.createDirectories(dir);
      Files.copy(baseline.resolve("manifest.json"), dir.resolve("manifest.json"));
      for (String f : FILES) {
        Path src = baseline.resolve(f);
        if (Files.exists(src)) {
          byte[] bytes = Files.readAllBytes(src);
          int cut = bytes.length == 0 ? 0 : rnd.nextInt(bytes.length + 1);
          Files.write(dir.resolve(f), java.util.Arrays.copyOf(bytes, cut));
        }
      }
      RunReport resumed = run(g, dir, 1 + rnd.nextInt(32));
      assertThat(resumed.reconciles())
          .as("seed %d crash %d: %s", seed, crash, resumed.summary())
          .isTrue();
      assertThat(resumed.input()).isEqualTo(full.input());
      assertThat(outcomes(dir)).isEqualTo(expected);
    }
  }
}
