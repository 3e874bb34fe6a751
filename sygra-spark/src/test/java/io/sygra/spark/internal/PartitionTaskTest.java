package io.sygra.spark.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sygra.core.Graph;
import io.sygra.core.Nodes;
import io.sygra.llm.CachingModelClient;
import io.sygra.llm.ChatRequest;
import io.sygra.llm.ChatResponse;
import io.sygra.llm.LlmNode;
import io.sygra.llm.ModelClient;
import io.sygra.llm.SimulatedModelClient;
import io.sygra.spark.GraphFactory;
import io.sygra.spark.OutputMapperFactory;
import io.sygra.spark.OutputSchema;
import io.sygra.spark.PartitionException;
import io.sygra.spark.RateLimitShare;
import io.sygra.spark.SparkRunOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One partition attempt without a Spark scheduler: the exactly-once mechanics in isolation. */
class PartitionTaskTest {
  static final Map<String, AtomicInteger> CALLS = new ConcurrentHashMap<>();

  @TempDir Path tmp;

  private static ModelClient counting(String counter, ModelClient delegate) {
    AtomicInteger n = CALLS.computeIfAbsent(counter, k -> new AtomicInteger());
    return new ModelClient() {
      @Override
      public CompletableFuture<ChatResponse> chat(ChatRequest request) {
        n.incrementAndGet();
        return delegate.chat(request);
      }

      @Override
      public String provider() {
        return delegate.provider();
      }
    };
  }

  private static int calls(String counter) {
    AtomicInteger n = CALLS.get(counter);
    return n == null ? 0 : n.get();
  }

  /** One model call per record, with an optional simulated latency. */
  static GraphFactory answer(String counter, long latencyMillis) {
    return ctx -> {
      ModelClient model =
          counting(
              counter,
              ctx.closeAfterPartition(
                  SimulatedModelClient.builder()
                      .seed(1)
                      .latency(Duration.ofMillis(latencyMillis))
                      .build()));
      return Graph.builder()
          .node(
              "answer",
              LlmNode.builder()
                  .client(model)
                  .user("Tell me about {topic}.")
                  .temperature(0)
                  .output("answer")
                  .build())
          .chain(Graph.START, "answer", Graph.END)
          .build();
    };
  }

  private Plan plan(GraphFactory graph, SparkRunOptions.Builder options, SummaryAccumulator acc) {
    return new Plan(
        graph,
        OutputMapperFactory.identity(),
        options
            .checkpointDirectory(tmp.resolve("cp"))
            .runId("r1")
            .partitionLockTimeout(Duration.ofSeconds(20))
            .build(),
        OutputSchema.json(),
        "r1",
        RateLimitShare.unlimited(1),
        false,
        acc);
  }

  private static List<String> records(int n) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add("{\"id\":\"t" + i + "\",\"topic\":\"topic number " + i + "\"}");
    }
    return out;
  }

  private static List<Row> drain(Outcomes o) {
    List<Row> rows = new ArrayList<>();
    try (o) {
      o.forEachRemaining(rows::add);
    }
    return rows;
  }

  private static PartitionTask task(Plan plan, int attempt) {
    return new PartitionTask(plan, 0, 1, attempt, () -> false, Map.of());
  }

  private static Set<String> ids(List<Row> rows) {
    return rows.stream().map(r -> r.getString(0)).collect(Collectors.toSet());
  }

  @Test
  void runsThePartitionAndEmitsEachRecordOnceWithASummary() {
    SummaryAccumulator acc = new SummaryAccumulator();
    Plan plan = plan(answer("once", 0), SparkRunOptions.builder().concurrency(8), acc);

    Outcomes out = task(plan, 0).run(records(25).iterator());
    List<Row> rows = drain(out);

    assertThat(rows).hasSize(25);
    assertThat(ids(rows)).hasSize(25);
    assertThat(rows).allSatisfy(r -> assertThat(r.getString(1)).isEqualTo("written"));
    assertThat(rows.get(0).getString(5)).startsWith("{\"topic\":\"topic number ");
    assertThat(calls("once")).isEqualTo(25);
    PartitionSummary s = acc.value().get(0);
    assertThat(s.sourceRecords()).isEqualTo(25);
    assertThat(s.written()).isEqualTo(25);
    assertThat(s.thisAttemptWritten()).isEqualTo(25);
    assertThat(s.resumed()).isZero();
    assertThat(task(plan, 0).directory().resolve("output.jsonl")).exists();
  }

  @Test
  void aLaterAttemptResumesFromTheDirectoryWithoutModelCalls() {
    SummaryAccumulator acc = new SummaryAccumulator();
    Plan plan = plan(answer("resume", 0), SparkRunOptions.builder(), acc);
    List<Row> first = drain(task(plan, 0).run(records(25).iterator()));

    List<Row> second = drain(task(plan, 1).run(records(25).iterator()));

    assertThat(calls("resume")).isEqualTo(25);
    assertThat(second).containsExactlyInAnyOrderElementsOf(first);
    PartitionSummary s = acc.value().get(0);
    assertThat(s.attempt()).isEqualTo(1);
    assertThat(s.resumed()).isEqualTo(25);
    assertThat(s.thisAttemptWritten()).isZero();
    assertThat(s.written()).isEqualTo(25);
  }

  @Test
  void anInputFailureKeepsTheRecordsAlreadyHandedOverForTheRetry() {
    Plan plan = plan(answer("input-failure", 5), SparkRunOptions.builder().concurrency(4), null);
    Iterator<String> failing = failingAfter(records(30).iterator(), 12);

    assertThatThrownBy(() -> task(plan, 0).run(failing))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("input broke after 12 rows");
    assertThat(calls("input-failure")).isEqualTo(12);

    List<Row> rows = drain(task(plan, 1).run(records(30).iterator()));

    assertThat(ids(rows)).hasSize(30);
    assertThat(calls("input-failure")).as("no record paid twice").isEqualTo(30);
  }

  @Test
  void aKilledAttemptStopsTakingInputAndKeepsWhatItFinished() {
    AtomicInteger polls = new AtomicInteger();
    Plan plan = plan(answer("killed", 0), SparkRunOptions.builder(), null);
    PartitionTask killedLater =
        new PartitionTask(plan, 0, 1, 0, () -> polls.incrementAndGet() > 8, Map.of());

    assertThatThrownBy(() -> killedLater.run(records(40).iterator()))
        .isInstanceOf(PartitionException.class)
        .hasMessageContaining("partition 0/1 attempt 0")
        .hasMessageContaining("killed");
    assertThat(calls("killed")).as("at most the 8 records handed over").isBetween(0, 8);

    List<Row> rows = drain(task(plan, 1).run(records(40).iterator()));

    assertThat(ids(rows)).hasSize(40);
    assertThat(calls("killed")).isEqualTo(40);
  }

  @Test
  void aSpeculativeAttemptWaitsForTheRunningOneAndThenPaysNothing() throws Exception {
    Plan plan = plan(answer("speculative", 20), SparkRunOptions.builder().concurrency(4), null);
    AtomicReference<List<Row>> firstRows = new AtomicReference<>();
    CountDownLatch firstStarted = new CountDownLatch(1);
    Iterator<String> in = records(24).iterator();
    Iterator<String> signalling =
        new Iterator<>() {
          @Override
          public boolean hasNext() {
            return in.hasNext();
          }

          @Override
          public String next() {
            firstStarted.countDown();
            return in.next();
          }
        };
    Thread first = new Thread(() -> firstRows.set(drain(task(plan, 0).run(signalling))));
    first.start();
    assertThat(firstStarted.await(30, TimeUnit.SECONDS)).isTrue();

    List<Row> secondRows = drain(task(plan, 1).run(records(24).iterator()));
    first.join(30_000);

    assertThat(firstRows.get()).hasSize(24);
    assertThat(secondRows).containsExactlyInAnyOrderElementsOf(firstRows.get());
    assertThat(calls("speculative")).as("the second attempt called no model").isEqualTo(24);
  }

  @Test
  void anAttemptKilledWhileWaitingForThePartitionGivesUp() {
    Plan plan = plan(answer("waiting", 0), SparkRunOptions.builder(), null);
    PartitionTask owner = task(plan, 0);
    try (PartitionLock held =
        PartitionLock.acquire(owner.directory(), Duration.ofSeconds(5), () -> false, "test")) {
      assertThat(held.directory()).isEqualTo(owner.directory().toAbsolutePath().normalize());
      PartitionTask waiting = new PartitionTask(plan, 0, 1, 1, () -> true, Map.of());
      assertThatThrownBy(() -> waiting.run(records(3).iterator()))
          .isInstanceOf(PartitionException.class)
          .hasMessageContaining("killed while waiting for the partition lock");
    }
    assertThat(calls("waiting")).isZero();
  }

  @Test
  void aGraphFactoryFailureFailsTheAttemptNamingIt() {
    GraphFactory broken =
        ctx -> {
          throw new IllegalArgumentException("no model configured");
        };
    Plan plan = plan(broken, SparkRunOptions.builder(), null);

    assertThatThrownBy(() -> task(plan, 2).run(records(3).iterator()))
        .isInstanceOf(PartitionException.class)
        .hasMessageContaining("partition 0/1 attempt 2")
        .hasMessageContaining("building the graph failed: no model configured");
    // the partition is released for the next attempt
    PartitionLock.acquire(task(plan, 3).directory(), Duration.ofSeconds(1), () -> false, "t")
        .close();
  }

  /**
   * Two calls per record; the second step fails on attempt 0. Re-running the failed records
   * (retryFailed) answers their first call from the partition's response cache.
   */
  static GraphFactory twoSteps(String counter) {
    return ctx -> {
      boolean breakSecondStep = ctx.attemptNumber() == 0;
      ModelClient model =
          CachingModelClient.wrap(
              counting(
                  counter, ctx.closeAfterPartition(SimulatedModelClient.builder().seed(2).build())),
              ctx.responseCache());
      return Graph.builder()
          .node(
              "draft",
              LlmNode.builder()
                  .client(model)
                  .user("Draft about {topic}.")
                  .temperature(0)
                  .output("draft")
                  .build())
          .node(
              "check",
              Nodes.lambda(
                  s -> {
                    if (breakSecondStep) {
                      throw new IllegalStateException("checker unavailable");
                    }
                    return s.with("checked", true);
                  }))
          .chain(Graph.START, "draft", "check", Graph.END)
          .build();
    };
  }

  @Test
  void retriedFailedRecordsGetTheirEarlierCallsFromThePartitionCache() {
    Plan failing = plan(twoSteps("cached"), SparkRunOptions.builder(), null);
    List<Row> first = drain(task(failing, 0).run(records(10).iterator()));
    assertThat(first)
        .allSatisfy(
            r ->
                assertThat(r.getString(4)).isEqualTo("IllegalStateException: checker unavailable"));
    assertThat(calls("cached")).isEqualTo(10);
    assertThat(task(failing, 0).directory().resolve(ExecutorContextImpl.CACHE_FILE)).exists();

    Plan retry = plan(twoSteps("cached"), SparkRunOptions.builder().retryFailed(true), null);
    List<Row> second = drain(task(retry, 1).run(records(10).iterator()));

    assertThat(second).hasSize(10).allSatisfy(r -> assertThat(r.getString(1)).isEqualTo("written"));
    assertThat(calls("cached")).as("first calls answered from the cache").isEqualTo(10);
  }

  @Test
  void malformedRecordsFollowTheBadRecordPolicy() {
    Plan plan =
        plan(
            answer("bad", 0),
            SparkRunOptions.builder()
                .badRecordPolicy(io.sygra.core.run.RunOptions.BadRecordPolicy.SKIP_AND_RECORD),
            null);
    List<String> in = new ArrayList<>(records(3));
    in.add(1, PartitionTask.BAD_RECORD_PREFIX + "{\"id\":\"broken\"");

    List<Row> rows = drain(task(plan, 0).run(in.iterator()));

    assertThat(rows).hasSize(4);
    Row bad = rows.stream().filter(r -> "failed".equals(r.getString(1))).findFirst().orElseThrow();
    assertThat(bad.getString(0)).startsWith("source:");
    assertThat(bad.getString(4)).contains("malformed input line: {\"id\":\"broken\"");
  }

  @Test
  void theLockIsReleasedWhenTheOutcomesAreClosedEarly() throws Exception {
    Plan plan = plan(answer("early", 0), SparkRunOptions.builder(), null);
    Outcomes out = task(plan, 0).run(records(5).iterator());
    out.next();
    out.close();
    assertThat(out.hasNext()).isFalse();

    List<Row> again = drain(task(plan, 1).run(records(5).iterator()));

    assertThat(again).hasSize(5);
    assertThat(calls("early")).isEqualTo(5);
  }

  private static Iterator<String> failingAfter(Iterator<String> in, int n) {
    AtomicBoolean done = new AtomicBoolean();
    return new Iterator<>() {
      private int read;

      @Override
      public boolean hasNext() {
        if (read == n && !done.get()) {
          throw new IllegalStateException("input broke after " + n + " rows");
        }
        return in.hasNext();
      }

      @Override
      public String next() {
        read++;
        return in.next();
      }
    };
  }
}
