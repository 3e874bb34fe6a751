package io.sygra.core.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sygra.core.ConfigurationException;
import io.sygra.core.Graph;
import io.sygra.core.Nodes;
import io.sygra.core.State;
import io.sygra.core.internal.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PipelineTest {
  @TempDir Path tmp;

  static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor();

  @AfterAll
  static void stop() {
    TIMER.shutdownNow();
  }

  static RunReport run(Graph g, Source src, Path dir, RunOptions.Builder opts) {
    return Pipeline.builder()
        .graph(g)
        .source(src)
        .runDirectory(dir)
        .options(opts.progress(RunOptions.ProgressMode.NEVER).build())
        .build()
        .run();
  }

  static RunReport run(Graph g, Source src, Path dir) {
    return run(g, src, dir, RunOptions.builder());
  }

  static List<Map<String, Object>> lines(Path file) throws Exception {
    List<Map<String, Object>> out = new ArrayList<>();
    if (!Files.exists(file)) {
      return out;
    }
    for (String l : Files.readAllLines(file)) {
      out.add(Json.readMap(l));
    }
    return out;
  }

  static Graph counting(LongAdder calls) {
    return Graph.builder()
        .node(
            "work",
            Nodes.lambda(
                s -> {
                  calls.increment();
                  return s.with("out", "v" + s.id());
                }))
        .chain(Graph.START, "work", Graph.END)
        .build();
  }

  @Test
  void resumeSkipsFinishedRecordsWithoutRunningNodes() throws Exception {
    Path dir = tmp.resolve("r");
    LongAdder calls = new LongAdder();
    RunReport first = run(counting(calls), Sources.generate(5), dir);
    assertThat(first.written()).isEqualTo(5);
    RunReport second = run(counting(calls), Sources.generate(8), dir);
    assertThat(calls.sum()).isEqualTo(8);
    assertThat(second.thisRunWritten()).isEqualTo(3);
    assertThat(second.skippedDone()).isEqualTo(5);
    assertThat(second.written()).isEqualTo(8);
    assertThat(second.reconciles()).isTrue();
    Map<String, Object> report = Json.readMap(Files.readString(dir.resolve("report.json")));
    assertThat(report)
        .containsEntry("input", 8)
        .containsEntry("written", 8)
        .containsKey("elapsedMs");
    assertThat(Files.exists(dir.resolve("manifest.json"))).isTrue();
    assertThat(lines(dir.resolve("output.jsonl")))
        .extracting(m -> m.get("id"))
        .doesNotHaveDuplicates()
        .hasSize(8);
  }

  @Test
  void tornLastLineIsRepairedAndTheRecordRedone() throws Exception {
    Path dir = tmp.resolve("torn");
    LongAdder calls = new LongAdder();
    run(counting(calls), Sources.generate(4), dir);
    Path out = dir.resolve("output.jsonl");
    List<String> all = Files.readAllLines(out);
    // Simulate a crash in the middle of writing the last line.
    String last = all.get(3);
    Files.writeString(
        out, String.join("\n", all.subList(0, 3)) + "\n" + last.substring(0, last.length() / 2));
    RunReport r = run(counting(calls), Sources.generate(4), dir);
    assertThat(r.thisRunWritten()).isEqualTo(1);
    assertThat(r.written()).isEqualTo(4);
    assertThat(calls.sum()).isEqualTo(5);
    assertThat(r.extensions()).containsKey("repairs");
    assertThat(lines(out)).hasSize(4).extracting(m -> m.get("id")).doesNotHaveDuplicates();
  }

  @Test
  void aDifferentGraphIsRefusedUnlessForced() {
    Path dir = tmp.resolve("fp");
    run(counting(new LongAdder()), Sources.generate(2), dir);
    Graph other =
        Graph.builder()
            .node("other", Nodes.lambda(s -> s))
            .chain(Graph.START, "other", Graph.END)
            .build();
    assertThatThrownBy(() -> run(other, Sources.generate(2), dir))
        .isInstanceOf(RunDirectoryException.class)
        .hasMessageContaining("different graph")
        .hasMessageContaining("force");
    RunReport forced = run(other, Sources.generate(3), dir, RunOptions.builder().force(true));
    assertThat(forced.thisRunWritten()).isEqualTo(1);
  }

  @Test
  void failedRecordsAreRetriedOnlyWhenAsked() throws Exception {
    Path dir = tmp.resolve("retry");
    AtomicBoolean broken = new AtomicBoolean(true);
    Graph g =
        Graph.builder()
            .node(
                "flaky",
                Nodes.lambda(
                    s -> {
                      if (broken.get() && Integer.parseInt(s.id()) % 3 == 0) {
                        throw new IllegalStateException("flaky " + s.id());
                      }
                      return s.with("ok", true);
                    }))
            .chain(Graph.START, "flaky", Graph.END)
            .build();
    RunReport first = run(g, Sources.generate(9), dir);
    assertThat(first.failed()).isEqualTo(3);
    Map<String, Object> failure = lines(dir.resolve("failed.jsonl")).get(0);
    assertThat(failure)
        .containsKeys("id", "node", "error", "message", "attempts")
        .containsEntry("node", "flaky")
        .containsEntry("error", "IllegalStateException")
        .containsEntry("attempts", 1);
    broken.set(false);
    RunReport second = run(g, Sources.generate(9), dir);
    assertThat(second.nothingNew()).isTrue();
    assertThat(second.failed()).isEqualTo(3);
    RunReport third = run(g, Sources.generate(9), dir, RunOptions.builder().retryFailed(true));
    assertThat(third.thisRunWritten()).isEqualTo(3);
    assertThat(third.written()).isEqualTo(9);
    assertThat(third.failed()).isZero();
    assertThat(third.reconciles()).isTrue();
    assertThat(lines(dir.resolve("failed.jsonl"))).isEmpty();
  }

  @Test
  void fanOutChildrenResumeFromTheJournalWithoutRepeatingEarlierNodes() throws Exception {
    Path dir = tmp.resolve("journal");
    LongAdder expensive = new LongAdder();
    AtomicBoolean broken = new AtomicBoolean(true);
    Graph g =
        Graph.builder()
            .node(
                "expensive",
                Nodes.lambda(
                    s -> {
                      expensive.increment();
                      return s.with("paid", true);
                    }))
            .node(
                "split", Nodes.fanOut(s -> List.of(s.with("k", 0), s.with("k", 1), s.with("k", 2))))
            .node(
                "child",
                Nodes.lambda(
                    s -> {
                      if (broken.get() && s.id().endsWith("/1")) {
                        throw new IllegalStateException("child down");
                      }
                      return s.with("done", true);
                    }))
            .chain(Graph.START, "expensive", "split", "child", Graph.END)
            .build();
    RunReport first = run(g, Sources.generate(4), dir);
    assertThat(first.written()).isEqualTo(8);
    assertThat(first.failed()).isEqualTo(4);
    assertThat(first.input()).isEqualTo(12);
    assertThat(expensive.sum()).isEqualTo(4);
    broken.set(false);
    RunReport second = run(g, Sources.generate(4), dir, RunOptions.builder().retryFailed(true));
    assertThat(expensive.sum()).isEqualTo(4); // not paid again
    assertThat(second.thisRunWritten()).isEqualTo(4);
    assertThat(second.written()).isEqualTo(12);
    assertThat(second.input()).isEqualTo(12);
    assertThat(second.reconciles()).isTrue();
    Set<Object> ids = new HashSet<>();
    for (Map<String, Object> m : lines(dir.resolve("output.jsonl"))) {
      assertThat(ids.add(m.get("id"))).isTrue();
      assertThat(m).containsEntry("paid", true).containsEntry("done", true);
    }
    assertThat(ids).contains("0/1", "3/2");
  }

  @Test
  void duplicateIdsAreDroppedWithAReasonAndStableAcrossRuns() throws Exception {
    Path in = tmp.resolve("dups.jsonl");
    Files.writeString(
        in,
        "{\"id\":\"a\",\"v\":1}\n{\"id\":\"b\"}\n{\"id\":\"a\",\"v\":2}\n{\"v\":9}\n{\"v\":9}\n");
    Path dir = tmp.resolve("dupsrun");
    RunReport r = run(counting(new LongAdder()), Sources.jsonl(in), dir);
    assertThat(r.written()).isEqualTo(3);
    assertThat(r.dropped()).isEqualTo(2);
    assertThat(r.dropReasons()).containsEntry("duplicate id", 2L);
    List<Map<String, Object>> dropped = lines(dir.resolve("dropped.jsonl"));
    assertThat(dropped).extracting(m -> m.get("id")).contains("a#2");
    RunReport again = run(counting(new LongAdder()), Sources.jsonl(in), dir);
    assertThat(again.nothingNew()).isTrue();
    assertThat(again.reconciles()).isTrue();
  }

  @Test
  void badInputFailsFastAfterFinishingWhatWasInFlight() throws Exception {
    Path in = tmp.resolve("bad.jsonl");
    Files.writeString(in, "{\"id\":\"1\"}\n{\"id\":\"2\"}\n{oops\n{\"id\":\"4\"}\n");
    Path dir = tmp.resolve("badrun");
    assertThatThrownBy(() -> run(counting(new LongAdder()), Sources.jsonl(in), dir))
        .isInstanceOf(SourceException.class)
        .hasMessageContaining("bad.jsonl:3");
    Map<String, Object> report = Json.readMap(Files.readString(dir.resolve("report.json")));
    assertThat(report).containsEntry("status", "aborted").containsEntry("written", 2);
    assertThat(lines(dir.resolve("output.jsonl"))).hasSize(2);
  }

  @Test
  void badInputIsRecordedAndSkippedWhenThePolicySaysSo() throws Exception {
    Path in = tmp.resolve("bad2.jsonl");
    Files.writeString(in, "{\"id\":\"1\"}\n{oops\n{\"id\":{\"x\":1}}\n{\"id\":\"4\"}\n");
    Path dir = tmp.resolve("skiprun");
    RunOptions.Builder skip =
        RunOptions.builder().badRecordPolicy(RunOptions.BadRecordPolicy.SKIP_AND_RECORD);
    RunReport r = run(counting(new LongAdder()), Sources.jsonl(in), dir, skip);
    assertThat(r.written()).isEqualTo(2);
    assertThat(r.failed()).isEqualTo(2);
    assertThat(r.reconciles()).isTrue();
    List<Map<String, Object>> failed = lines(dir.resolve("failed.jsonl"));
    assertThat(failed).extracting(m -> m.get("node")).containsOnly("source");
    assertThat(failed.get(0).get("message").toString()).contains("bad2.jsonl:2");
    assertThat(failed.get(1).get("message").toString())
        .contains("bad2.jsonl:3")
        .contains("must be a string or a number");
    RunReport again = run(counting(new LongAdder()), Sources.jsonl(in), dir, skip);
    assertThat(again.nothingNew()).isTrue();
  }

  @Test
  void neverMoreRecordsInFlightThanTheConcurrency() {
    AtomicInteger inFlight = new AtomicInteger();
    AtomicInteger max = new AtomicInteger();
    Graph g =
        Graph.builder()
            .node(
                "slow",
                Nodes.async(
                    s -> {
                      max.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
                      CompletableFuture<State> f = new CompletableFuture<>();
                      TIMER.schedule(
                          () -> {
                            inFlight.decrementAndGet();
                            f.complete(s);
                          },
                          2,
                          TimeUnit.MILLISECONDS);
                      return f;
                    }))
            .node("fan", Nodes.fanOut(s -> List.of(s, s)))
            .node(
                "slow2",
                Nodes.async(
                    s -> {
                      max.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
                      CompletableFuture<State> f = new CompletableFuture<>();
                      TIMER.schedule(
                          () -> {
                            inFlight.decrementAndGet();
                            f.complete(s);
                          },
                          1,
                          TimeUnit.MILLISECONDS);
                      return f;
                    }))
            .chain(Graph.START, "slow", "fan", "slow2", Graph.END)
            .build();
    Runs.Result r =
        Runs.inMemory(
            g,
            Sources.generate(300),
            RunOptions.builder().concurrency(8).progress(RunOptions.ProgressMode.NEVER).build());
    assertThat(r.report().written()).isEqualTo(600);
    assertThat(max.get()).isLessThanOrEqualTo(8).isGreaterThan(1);
  }

  @Test
  void idsComeFromTheIdFieldOrAStableHash() throws Exception {
    Path in = tmp.resolve("ids.jsonl");
    Files.writeString(in, "{\"key\":7,\"t\":\"a\"}\n{\"t\":\"b\"}\n");
    List<Map<String, Object>> out = new ArrayList<>();
    Pipeline.builder()
        .graph(counting(new LongAdder()))
        .source(Sources.jsonl(in))
        .sink(Sinks.collecting(out))
        .options(
            RunOptions.builder().idField("key").progress(RunOptions.ProgressMode.NEVER).build())
        .build()
        .run();
    assertThat(out.get(0)).containsEntry("key", "7");
    String hashed = (String) out.get(1).get("key");
    assertThat(hashed).hasSize(24).isEqualTo(Json.hash(Map.of("t", "b"), 12));
  }

  @Test
  void outputMapperAndExportShapeTheOutput() throws Exception {
    Path dir = tmp.resolve("mapped");
    Path csv = tmp.resolve("export.csv");
    Pipeline.builder()
        .graph(counting(new LongAdder()))
        .source(Sources.generate(2))
        .runDirectory(dir)
        .outputMapper(
            OutputMapper.builder()
                .rename("out", "answer")
                .constant("source", "test")
                .computed("len", s -> s.getString("out").length())
                .build())
        .export(Sinks.csv(csv, List.of("id", "answer", "len")))
        .options(RunOptions.builder().progress(RunOptions.ProgressMode.NEVER).build())
        .build()
        .run();
    List<Map<String, Object>> rows = lines(dir.resolve("output.jsonl"));
    assertThat(rows.get(0).keySet()).containsExactly("id", "answer", "source", "len");
    assertThat(Files.readAllLines(csv)).hasSize(3).first().isEqualTo("id,answer,len");
  }

  @Test
  void listenersSeeEveryRecordAndNode() {
    Map<String, LongAdder> events = new ConcurrentHashMap<>();
    RunListener l =
        new RunListener() {
          void count(String k) {
            events.computeIfAbsent(k, x -> new LongAdder()).increment();
          }

          @Override
          public void onRecordStart(String id) {
            count("start");
          }

          @Override
          public void onRecordComplete(String id, Outcome o, String d) {
            count(o.name());
          }

          @Override
          public void onNodeComplete(String id, String node, long nanos) {
            count("node");
          }

          @Override
          public void onRunComplete(RunReport r) {
            count("done");
          }
        };
    Pipeline.builder()
        .graph(counting(new LongAdder()))
        .source(Sources.generate(5))
        .sink(Sinks.discard())
        .listener(l)
        .options(Runs.quiet())
        .build()
        .run();
    assertThat(events.get("start").sum()).isEqualTo(5);
    assertThat(events.get("WRITTEN").sum()).isEqualTo(5);
    assertThat(events.get("node").sum()).isEqualTo(5);
    assertThat(events.get("done").sum()).isEqualTo(1);
  }

  @Test
  void builderRejectsIncompleteConfiguration() {
    assertThatThrownBy(
            () -> Pipeline.builder().source(Sources.generate(1)).sink(Sinks.discard()).build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("graph");
    assertThatThrownBy(
            () ->
                Pipeline.builder()
                    .graph(counting(new LongAdder()))
                    .source(Sources.generate(1))
                    .build())
        .hasMessageContaining("exactly one of runDirectory");
    assertThatThrownBy(() -> RunOptions.builder().concurrency(0))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("concurrency")
        .hasMessageContaining("was 0");
  }

  @Test
  void limitReadsOnlyTheFirstRecords() throws Exception {
    Path dir = tmp.resolve("limit");
    RunReport r =
        run(counting(new LongAdder()), Sources.generate(100), dir, RunOptions.builder().limit(7));
    assertThat(r.sourceRecords()).isEqualTo(7);
    assertThat(Files.readAllLines(dir.resolve("output.jsonl"))).hasSize(7);
  }
}
