package io.sygra.benchmarks.core;

import io.sygra.core.Graph;
import io.sygra.core.Key;
import io.sygra.core.Nodes;

/** The CPU-only graphs the core benchmarks run: chains of small lambda nodes. */
public final class LambdaGraphs {
  private LambdaGraphs() {}

  static final Key<Integer> COUNTER = Key.integer("counter");

  /** A chain of {@code length} lambda nodes, each bumping a counter and writing its own key. */
  public static Graph chain(int length) {
    Graph.Builder b = Graph.builder().name("chain-" + length);
    String prev = Graph.START;
    for (int i = 0; i < length; i++) {
      String name = "n" + i;
      String key = "k" + i;
      b.node(name, Nodes.lambda(s -> s.with(key, s.id().length()).with(COUNTER, counter(s) + 1)));
      b.edge(prev, name);
      prev = name;
    }
    b.edge(prev, Graph.END);
    return b.build();
  }

  private static int counter(io.sygra.core.State s) {
    Integer c = s.get(COUNTER);
    return c == null ? 0 : c;
  }
}
