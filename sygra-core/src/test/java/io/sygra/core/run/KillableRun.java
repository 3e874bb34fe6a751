package io.sygra.core.run;

import io.sygra.core.Graph;
import io.sygra.core.Nodes;
import io.sygra.core.State;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The pipeline {@link ChildJvmKillTest} runs in a child JVM and kills: a seeded sampler, a slow
 * asynchronous step (standing in for a model call), a fan-out, a lambda and a filter.
 */
public final class KillableRun {
  private KillableRun() {}

  static final ScheduledExecutorService TIMER =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "killable-timer");
            t.setDaemon(true);
            return t;
          });

  static Graph graph() {
    return Graph.builder()
        .name("killable")
        .node(
            "pick",
            Nodes.sampler().uniform("color", List.of("red", "green", "blue")).seed(3).build())
        .node(
            "call",
            Nodes.async(
                s -> {
                  CompletableFuture<State> f = new CompletableFuture<>();
                  TIMER.schedule(
                      () -> f.complete(s.with("answer", "answer-" + s.id() + "-" + s.get("color"))),
                      1 + (s.id().hashCode() & 3),
                      TimeUnit.MILLISECONDS);
                  return f;
                }))
        .node("split", Nodes.fanOut(s -> List.of(s.with("part", 0), s.with("part", 1))))
        .node("shape", Nodes.lambda(s -> s.with("len", s.getString("answer").length())))
        .node("keep", Nodes.filter(s -> s.id().hashCode() % 7 != 0, "hash divisible by 7"))
        .chain(Graph.START, "pick", "call", "split", "shape", "keep", Graph.END)
        .build();
  }

  static RunReport run(Path dir, long records) {
    return Pipeline.builder()
        .graph(graph())
        .source(Sources.generate(records))
        .runDirectory(dir)
        .options(
            RunOptions.builder()
                .concurrency(48)
                .checkpointInterval(java.time.Duration.ofMillis(50))
                .progress(RunOptions.ProgressMode.NEVER)
                .build())
        .build()
        .run();
  }

  public static void main(String[] args) {
    RunReport r = run(Path.of(args[0]), Long.parseLong(args[1]));
    System.out.println(r.reconciles() ? "RECONCILES" : "MISMATCH");
  }
}
