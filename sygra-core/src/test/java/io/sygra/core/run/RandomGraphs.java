package io.sygra.core.run;

import io.sygra.core.Graph;
import io.sygra.core.Node;
import io.sygra.core.Nodes;
import io.sygra.core.State;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Random graphs whose every node is a deterministic function of the record id, so two runs of the
 * same graph over the same input must produce identical outcomes whatever the scheduling.
 */
final class RandomGraphs {
  private RandomGraphs() {}

  static final ScheduledExecutorService TIMER =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "random-graphs-timer");
            t.setDaemon(true);
            return t;
          });

  static int h(String s, String salt) {
    return (s + "#" + salt).hashCode() & 0x7fffffff;
  }

  static Graph build(long seed) {
    Random rnd = new Random(seed);
    Graph.Builder b = Graph.builder().name("random-" + seed).stepLimit(60);
    int n = 2 + rnd.nextInt(5);
    int fanOuts = 0;
    for (int i = 0; i < n; i++) {
      String name = "n" + i;
      String next = i + 1 < n ? "n" + (i + 1) : Graph.END;
      int kind = rnd.nextInt(6);
      if (kind == 2 && fanOuts++ >= 2) {
        kind = 0;
      }
      b.node(name, node(kind, name));
      if (kind == 5) {
        // A loop: this node runs 1 to 3 times depending on the record.
        b.conditionalEdge(
            name,
            s -> ((Integer) s.get(name + "_loops")) <= h(s.id(), name) % 3 ? name : next,
            Set.of(name, next));
      } else {
        b.edge(name, next);
      }
    }
    b.edge(Graph.START, "n0");
    return b.build();
  }

  private static Node node(int kind, String name) {
    return switch (kind) {
      case 0 -> Nodes.lambda(s -> s.with(name, h(s.id(), name) % 1000));
      case 1 -> Nodes.filter(s -> h(s.id(), name) % 5 != 0, "filtered at " + name);
      case 2 ->
          Nodes.fanOut(
              s -> {
                int k = h(s.id(), name) % 3; // 0..2 children; 0 drops the record
                List<State> out = new ArrayList<>();
                for (int c = 0; c < k; c++) {
                  out.add(s.with(name, c));
                }
                return out;
              });
      case 3 ->
          Nodes.async(
              s -> {
                CompletableFuture<State> f = new CompletableFuture<>();
                TIMER.schedule(
                    () -> f.complete(s.with(name, "async")),
                    h(s.id(), name) % 2,
                    TimeUnit.MILLISECONDS);
                return f;
              });
      case 4 ->
          Nodes.lambda(
              s -> {
                if (h(s.id(), name) % 11 == 0) {
                  throw new IllegalStateException("deterministic failure at " + name);
                }
                return s.with(name, "ok");
              });
      default ->
          Nodes.lambda(
              s ->
                  s.with(
                      name + "_loops",
                      ((Integer) s.values().getOrDefault(name + "_loops", 0)) + 1));
    };
  }
}
