package io.sygra.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.sygra.core.run.Pipeline;
import io.sygra.core.run.RunOptions;
import io.sygra.core.run.RunReport;
import io.sygra.core.run.Sinks;
import io.sygra.core.run.Sources;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class NodesTest {
  static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor();

  @AfterAll
  static void stop() {
    TIMER.shutdownNow();
  }

  record Out(RunReport report, List<Map<String, Object>> rows) {}

  static Out run(Graph g, long n) {
    return run(g, n, 64);
  }

  static Out run(Graph g, long n, int concurrency) {
    List<Map<String, Object>> rows = Collections.synchronizedList(new ArrayList<>());
    RunReport r =
        Pipeline.builder()
            .graph(g)
            .source(Sources.generate(n))
            .sink(Sinks.collecting(rows))
            .options(
                RunOptions.builder()
                    .progress(RunOptions.ProgressMode.NEVER)
                    .concurrency(concurrency)
                    .build())
            .build()
            .run();
    return new Out(r, rows);
  }

  static <T> CompletableFuture<T> later(T value, long ms) {
    CompletableFuture<T> f = new CompletableFuture<>();
    TIMER.schedule(() -> f.complete(value), ms, TimeUnit.MILLISECONDS);
    return f;
  }

  @Test
  void lambdasRunOnTheExecutorNeverOnTheThreadThatCompletedAnAsyncNode() {
    Set<String> lambdaThreads = ConcurrentHashMap.newKeySet();
    Graph g =
        Graph.builder()
            .node("wait", Nodes.async(s -> later(s.with("x", 1), 2)))
            .node(
                "cpu",
                Nodes.lambda(
                    s -> {
                      lambdaThreads.add(Thread.currentThread().getName());
                      return s.with("y", 2);
                    }))
            .chain(Graph.START, "wait", "cpu", Graph.END)
            .build();
    Out o = run(g, 20);
    assertThat(o.rows())
        .hasSize(20)
        .allSatisfy(r -> assertThat(r).containsEntry("x", 1).containsEntry("y", 2));
    assertThat(lambdaThreads).isNotEmpty().allMatch(t -> t.startsWith("sygra-worker-"));
  }

  @Test
  void seededSamplerIsDeterministicWhateverTheConcurrency() {
    Graph g =
        Graph.builder()
            .node(
                "s",
                Nodes.sampler()
                    .weighted("color", List.of("red", "green", "blue"), 1, 1, 8)
                    .uniform("size", List.of(1, 2, 3))
                    .seed(7)
                    .build())
            .node("slow", Nodes.async(s -> later(s, (s.id().hashCode() & 3))))
            .chain(Graph.START, "s", "slow", Graph.END)
            .build();
    Map<Object, Object> a = byId(run(g, 300, 1).rows(), "color");
    Map<Object, Object> b = byId(run(g, 300, 64).rows(), "color");
    assertThat(a).isEqualTo(b);
    long blue = a.values().stream().filter("blue"::equals).count();
    assertThat(blue).isBetween(200L, 280L); // weight 8 of 10
  }

  @Test
  void sequentialSamplerWrapsAroundTheColumn() {
    Graph g =
        Graph.builder()
            .node("s", Nodes.sampler().sequential("topic", List.of("a", "b", "c")).build())
            .chain(Graph.START, "s", Graph.END)
            .build();
    Map<Object, Object> topics = byId(run(g, 7).rows(), "topic");
    assertThat(topics)
        .containsEntry("0", "a")
        .containsEntry("3", "a")
        .containsEntry("5", "c")
        .containsEntry("6", "a");
  }

  @Test
  void filterDropsWithReasonAndFanOutGivesLineageIds() {
    Graph g =
        Graph.builder()
            .node(
                "split", Nodes.fanOut(s -> List.of(s.with("k", 0), s.with("k", 1), s.with("k", 2))))
            .node("odd", Nodes.filter(s -> (Integer) s.get("k") % 2 == 0, "k is odd"))
            .chain(Graph.START, "split", "odd", Graph.END)
            .build();
    Out o = run(g, 4);
    assertThat(o.report().written()).isEqualTo(8);
    assertThat(o.report().dropped()).isEqualTo(4);
    assertThat(o.report().input()).isEqualTo(12);
    assertThat(o.report().fanOutAdded()).isEqualTo(8);
    assertThat(o.report().reconciles()).isTrue();
    assertThat(o.report().dropReasons()).containsEntry("k is odd", 4L);
    assertThat(o.rows())
        .extracting(r -> r.get("id"))
        .contains("0/0", "0/2", "3/2")
        .doesNotContain("0/1");
  }

  @Test
  void expandTurnsAListIntoRecords() {
    Graph g =
        Graph.builder()
            .node("seed", Nodes.lambda(s -> s.with("items", List.of("x", "y"))))
            .node("each", Nodes.expand("items", "item"))
            .chain(Graph.START, "seed", "each", Graph.END)
            .build();
    Out o = run(g, 1);
    assertThat(o.rows())
        .extracting(r -> r.get("item") + "@" + r.get("item_index"))
        .containsExactlyInAnyOrder("x@0", "y@1");
    assertThat(o.rows()).allSatisfy(r -> assertThat(r).doesNotContainKey("items"));
  }

  @Test
  void emptyFanOutDropsTheRecord() {
    Graph g =
        Graph.builder()
            .node("none", Nodes.fanOut(s -> List.of()))
            .chain(Graph.START, "none", Graph.END)
            .build();
    Out o = run(g, 3);
    assertThat(o.report().dropped()).isEqualTo(3);
    assertThat(o.report().dropReasons()).containsEntry("fan-out produced no records", 3L);
  }

  @Test
  void subgraphNodesArePrefixedAndCanDrop() {
    Graph inner =
        Graph.builder()
            .node("double", Nodes.lambda(s -> s.with("v", ((Integer) s.get("v")) * 2)))
            .node("small", Nodes.filter(s -> (Integer) s.get("v") < 10, "too big"))
            .chain(Graph.START, "double", "small", Graph.END)
            .build();
    Graph outer =
        Graph.builder()
            .node("init", Nodes.lambda(s -> s.with("v", Integer.parseInt(s.id()))))
            .node("sub", Nodes.subgraph(inner))
            .node("after", Nodes.lambda(s -> s.with("done", true)))
            .chain(Graph.START, "init", "sub", "after", Graph.END)
            .build();
    Out o = run(outer, 8);
    assertThat(o.report().written()).isEqualTo(5);
    assertThat(o.report().dropped()).isEqualTo(3);
    assertThat(o.report().nodes()).containsKeys("init", "sub.double", "sub.small", "after");
    assertThat(o.report().nodes().get("sub.small").drops()).isEqualTo(3);
    assertThat(o.rows()).allSatisfy(r -> assertThat(r).containsEntry("done", true));
  }

  @Test
  void parallelBranchesRunConcurrentlyAndMergeAtTheJoin() {
    AtomicInteger inFlight = new AtomicInteger();
    AtomicInteger maxInFlight = new AtomicInteger();
    Node slow =
        Nodes.async(
            s -> {
              maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
              return later(s, 30)
                  .thenApply(
                      x -> {
                        inFlight.decrementAndGet();
                        return x;
                      });
            });
    Graph g =
        Graph.builder()
            .node("fork", Nodes.lambda(s -> s.withMessage("user", "q")))
            .node("a", Nodes.lambda(s -> s.with("a", 1).withMessage("assistant", "from a")))
            .node("aSlow", slow)
            .node("b", Nodes.lambda(s -> s.with("b", 2)))
            .node("bSlow", slow)
            .node(
                "join",
                Nodes.lambda(s -> s.with("sum", (Integer) s.get("a") + (Integer) s.get("b"))))
            .edge(Graph.START, "fork")
            .edge("fork", "a")
            .edge("a", "aSlow")
            .edge("aSlow", "join")
            .edge("fork", "b")
            .edge("b", "bSlow")
            .edge("bSlow", "join")
            .edge("join", Graph.END)
            .build();
    Out o = run(g, 1, 1);
    assertThat(o.rows()).hasSize(1);
    Map<String, Object> row = o.rows().get(0);
    assertThat(row).containsEntry("a", 1).containsEntry("b", 2).containsEntry("sum", 3);
    assertThat((List<?>) row.get("messages")).hasSize(2);
    assertThat(maxInFlight.get()).isEqualTo(2); // the two branches overlapped for one record
  }

  @Test
  void parallelBranchesWritingTheSameKeyFailTheRecord() {
    Graph g =
        Graph.builder()
            .node("fork", Nodes.lambda(s -> s))
            .node("a", Nodes.lambda(s -> s.with("x", 1)))
            .node("b", Nodes.lambda(s -> s.with("x", 2)))
            .node("join", Nodes.lambda(s -> s))
            .edge(Graph.START, "fork")
            .edge("fork", "a")
            .edge("fork", "b")
            .edge("a", "join")
            .edge("b", "join")
            .edge("join", Graph.END)
            .build();
    Out o = run(g, 2);
    assertThat(o.report().failed()).isEqualTo(2);
    assertThat(o.report().failures()).containsEntry("GraphExecutionException", 2L);
  }

  @Test
  void aLoopingRecordFailsAtTheStepLimit() {
    AtomicInteger calls = new AtomicInteger();
    Graph g =
        Graph.builder()
            .stepLimit(10)
            .node(
                "spin",
                Nodes.lambda(
                    s -> {
                      calls.incrementAndGet();
                      return s;
                    }))
            .edge(Graph.START, "spin")
            .conditionalEdge("spin", s -> "spin", Set.of("spin", Graph.END))
            .build();
    Out o = run(g, 1);
    assertThat(o.report().failed()).isEqualTo(1);
    assertThat(calls.get()).isEqualTo(10);
    assertThat(o.report().failures()).containsKey("GraphExecutionException");
  }

  @Test
  void routerReturningAnUndeclaredTargetFailsTheRecordNamingIt() {
    List<Throwable> errors = Collections.synchronizedList(new ArrayList<>());
    Graph g =
        Graph.builder()
            .node("a", Nodes.lambda(s -> s))
            .node("b", Nodes.lambda(s -> s))
            .node("c", Nodes.lambda(s -> s))
            .edge(Graph.START, "a")
            .conditionalEdge("a", s -> "b", Set.of("c", Graph.END))
            .edge("c", "b")
            .edge("b", Graph.END)
            .build();
    Pipeline.builder()
        .graph(g)
        .source(Sources.generate(1))
        .sink(Sinks.discard())
        .options(RunOptions.builder().progress(RunOptions.ProgressMode.NEVER).build())
        .listener(
            new io.sygra.core.run.RunListener() {
              @Override
              public void onRecordError(String id, String node, Throwable e) {
                errors.add(e);
              }
            })
        .build()
        .run();
    assertThat(errors)
        .singleElement()
        .satisfies(
            e ->
                assertThat(e)
                    .hasMessageContaining("router returned 'b'")
                    .hasMessageContaining("record '0'"));
  }

  @Test
  void nodeExceptionsFailTheRecordAndTheRunGoesOn() {
    Graph g =
        Graph.builder()
            .node(
                "maybe",
                Nodes.lambda(
                    s -> {
                      if (s.id().equals("2")) {
                        throw new IllegalStateException("boom");
                      }
                      return s;
                    }))
            .node(
                "async",
                Nodes.async(
                    s ->
                        s.id().equals("3")
                            ? CompletableFuture.failedFuture(
                                new IllegalArgumentException("late boom"))
                            : later(s, 1)))
            .chain(Graph.START, "maybe", "async", Graph.END)
            .build();
    Out o = run(g, 5);
    assertThat(o.report().written()).isEqualTo(3);
    assertThat(o.report().failed()).isEqualTo(2);
    assertThat(o.report().failures())
        .containsEntry("IllegalStateException", 1L)
        .containsEntry("IllegalArgumentException", 1L);
    assertThat(o.report().nodes().get("maybe").failures()).isEqualTo(1);
    assertThat(o.report().nodes().get("async").failures()).isEqualTo(1);
  }

  private static Map<Object, Object> byId(List<Map<String, Object>> rows, String field) {
    return rows.stream().collect(Collectors.toMap(r -> r.get("id"), r -> r.get(field)));
  }

  @Test
  void fanOutIdsAreUnique() {
    Graph g =
        Graph.builder()
            .node("a", Nodes.fanOut(s -> List.of(s, s)))
            .node("b", Nodes.fanOut(s -> List.of(s, s, s)))
            .chain(Graph.START, "a", "b", Graph.END)
            .build();
    Out o = run(g, 10);
    Set<Object> ids = new HashSet<>();
    o.rows().forEach(r -> assertThat(ids.add(r.get("id"))).isTrue());
    assertThat(ids).hasSize(60).contains("9/1/2");
  }
}
