package io.sygra.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class GraphTest {
  static Node id() {
    return Nodes.lambda(s -> s);
  }

  @Test
  void buildsAndDescribesAValidGraph() {
    Graph g =
        Graph.builder()
            .name("demo")
            .node("a", id())
            .node("b", id())
            .chain(Graph.START, "a", "b")
            .conditionalEdge("b", s -> Graph.END, Set.of("a", Graph.END))
            .build();
    assertThat(g.nodeNames()).containsExactly("a", "b");
    assertThat(g.next(Graph.START)).contains("a");
    assertThat(g.conditional("b")).isPresent();
    String mermaid = g.toMermaid();
    assertThat(mermaid)
        .startsWith("flowchart TD")
        .contains("__start__ --> a")
        .contains("a --> b")
        .contains("b -.-> a")
        .contains("b -.-> __end__");
    assertThat(Graph.START).isEqualTo("__start__");
  }

  @Test
  void reportsEveryProblemNamingNodesAndEdges() {
    assertThatThrownBy(
            () ->
                Graph.builder()
                    .node("a", id())
                    .node("a", id())
                    .node("bad name", id())
                    .node("orphan", id())
                    .edge(Graph.START, "a")
                    .edge("a", "missing")
                    .edge("orphan", Graph.END)
                    .build())
        .isInstanceOfSatisfying(
            GraphValidationException.class,
            e ->
                assertThat(e.problems())
                    .anyMatch(p -> p.contains("duplicate node name 'a'"))
                    .anyMatch(p -> p.contains("'bad name' is invalid"))
                    .anyMatch(
                        p -> p.contains("edge 'a' -> 'missing' points at unknown node 'missing'")));
  }

  @Test
  void rejectsUnreachableAndDeadEndNodes() {
    assertThatThrownBy(
            () ->
                Graph.builder()
                    .node("a", id())
                    .node("island", id())
                    .edge(Graph.START, "a")
                    .edge("a", Graph.END)
                    .edge("island", Graph.END)
                    .build())
        .hasMessageContaining("node 'island' is unreachable from START");
    assertThatThrownBy(
            () ->
                Graph.builder()
                    .node("a", id())
                    .node("loop", id())
                    .edge(Graph.START, "a")
                    .conditionalEdge("a", s -> "loop", Set.of("loop", Graph.END))
                    .edge("loop", "loop")
                    .build())
        .hasMessageContaining("node 'loop' has no path to END");
    assertThatThrownBy(() -> Graph.builder().node("a", id()).edge(Graph.START, "a").build())
        .hasMessageContaining("node 'a' has no outgoing edge");
    assertThatThrownBy(() -> Graph.builder().node("a", id()).edge("a", Graph.END).build())
        .hasMessageContaining("no edge leaves START");
  }

  @Test
  void rejectsMixedEdgesAndBadConditionalTargets() {
    assertThatThrownBy(
            () ->
                Graph.builder()
                    .node("a", id())
                    .edge(Graph.START, "a")
                    .edge("a", Graph.END)
                    .conditionalEdge("a", s -> Graph.END)
                    .build())
        .hasMessageContaining("node 'a' has both plain edges");
    assertThatThrownBy(
            () ->
                Graph.builder()
                    .node("a", id())
                    .edge(Graph.START, "a")
                    .conditionalEdge("a", s -> Graph.END, Set.of("nowhere", Graph.END))
                    .build())
        .hasMessageContaining("declares unknown target 'nowhere'");
    assertThatThrownBy(
            () ->
                Graph.builder().node("a", id()).edge(Graph.START, "a").edge(Graph.END, "a").build())
        .hasMessageContaining("leaves END");
    assertThatThrownBy(
            () -> Graph.builder().node(Graph.END, id()).edge(Graph.START, Graph.END).build())
        .isInstanceOf(GraphValidationException.class)
        .hasMessageContaining("node name '__end__' is reserved");
  }

  @Test
  void validatesParallelBranches() {
    Graph g =
        Graph.builder()
            .node("a", id())
            .node("b1", id())
            .node("b2", id())
            .node("c", id())
            .node("join", id())
            .edge(Graph.START, "a")
            .edge("a", "b1")
            .edge("b1", "b2")
            .edge("b2", "join")
            .edge("a", "c")
            .edge("c", "join")
            .edge("a", "join")
            .edge("join", Graph.END)
            .build();
    Graph.Fork fork = g.fork("a").orElseThrow();
    assertThat(fork.join()).isEqualTo("join");
    assertThat(fork.branches())
        .containsExactly(
            java.util.List.of("b1", "b2"), java.util.List.of("c"), java.util.List.of());
    assertThatThrownBy(
            () ->
                Graph.builder()
                    .node("a", id())
                    .node("x", id())
                    .node("y", id())
                    .edge(Graph.START, "a")
                    .edge("a", "x")
                    .edge("a", "y")
                    .conditionalEdge("x", s -> Graph.END, Set.of(Graph.END))
                    .conditionalEdge("y", s -> "x", Set.of("x"))
                    .build())
        .hasMessageContaining("never meet");
  }

  @Test
  void flagsMissingTemplateVariablesWhenInputsAreDeclared() {
    Node reader =
        Nodes.withKeys(
            (s, c) -> CompletableFuture.completedFuture(NodeResult.of(s)),
            Set.of("topic", "tone"),
            Set.of("answer"));
    Node sampler = Nodes.sampler().uniform("tone", java.util.List.of("calm")).build();
    Graph.Builder ok =
        Graph.builder()
            .inputs("topic")
            .node("s", sampler)
            .node("r", reader)
            .chain(Graph.START, "s", "r", Graph.END);
    assertThat(ok.build().inputs()).containsExactly("topic");
    assertThatThrownBy(
            () ->
                Graph.builder()
                    .inputs("subject")
                    .node("s", sampler)
                    .node("r", reader)
                    .chain(Graph.START, "s", "r", Graph.END)
                    .build())
        .hasMessageContaining("node 'r' reads 'topic', which is not a declared input");
    // A node whose writes are unknown could produce anything: no error.
    Graph.builder()
        .inputs("subject")
        .node("l", id())
        .node("r", reader)
        .chain(Graph.START, "l", "r", Graph.END)
        .build();
  }

  @Test
  void fingerprintChangesWithStructureAndNodeConfiguration() {
    Graph a = Graph.builder().node("a", id()).chain(Graph.START, "a", Graph.END).build();
    Graph a2 = Graph.builder().node("a", id()).chain(Graph.START, "a", Graph.END).build();
    Graph b = Graph.builder().node("b", id()).chain(Graph.START, "b", Graph.END).build();
    Graph seeded1 =
        Graph.builder()
            .node("s", Nodes.sampler().uniform("x", java.util.List.of(1, 2)).seed(1).build())
            .chain(Graph.START, "s", Graph.END)
            .build();
    Graph seeded2 =
        Graph.builder()
            .node("s", Nodes.sampler().uniform("x", java.util.List.of(1, 2)).seed(2).build())
            .chain(Graph.START, "s", Graph.END)
            .build();
    assertThat(a.fingerprint()).isEqualTo(a2.fingerprint()).isNotEqualTo(b.fingerprint());
    assertThat(seeded1.fingerprint()).isNotEqualTo(seeded2.fingerprint());
    assertThat(
            Graph.builder()
                .node("a", id())
                .chain(Graph.START, "a", Graph.END)
                .stepLimit(5)
                .build()
                .fingerprint())
        .isNotEqualTo(a.fingerprint());
  }

  @Test
  void mermaidShowsSubgraphsNested() {
    Graph inner = Graph.builder().node("x", id()).chain(Graph.START, "x", Graph.END).build();
    Graph outer =
        Graph.builder()
            .node("sub", Nodes.subgraph(inner))
            .node("after", id())
            .chain(Graph.START, "sub", "after", Graph.END)
            .build();
    assertThat(outer.toMermaid()).contains("subgraph sub").contains("sub_x[\"sub.x (lambda)\"]");
    assertThat(outer.node("sub")).isInstanceOf(SubgraphNode.class);
    assertThat(Optional.of(outer.fingerprint())).isNotEmpty();
  }
}
