package io.sygra.core;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A built {@link Graph} used as a node of another graph; create with {@link Nodes#subgraph(Graph)}.
 * The runner executes the inner graph in place: its nodes appear in reports, events and errors
 * under the outer node's name as a prefix ({@code outer.inner}), share the record's step limit, and
 * may fan out or drop the record like any node.
 */
public final class SubgraphNode implements Node {
  private final Graph graph;

  SubgraphNode(Graph graph) {
    this.graph = Objects.requireNonNull(graph, "graph");
  }

  /** The inner graph. */
  public Graph graph() {
    return graph;
  }

  /**
   * Not called by the runner, which runs the inner graph in place. Calling it directly fails the
   * returned stage: run the subgraph through a pipeline instead.
   */
  @Override
  public CompletionStage<NodeResult> run(State state, NodeContext context) {
    return CompletableFuture.failedFuture(
        new IllegalStateException(
            "subgraph node '"
                + context.node()
                + "' runs inside a pipeline; it cannot be invoked"
                + " directly"));
  }

  @Override
  public String kind() {
    return "subgraph";
  }

  @Override
  public String fingerprint() {
    return "subgraph " + graph.fingerprint();
  }
}
