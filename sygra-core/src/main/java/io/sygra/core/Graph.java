package io.sygra.core;

import io.sygra.core.internal.Json;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * A validated, immutable graph of named {@link Node}s. Build one with {@link #builder()}; a built
 * graph is thread-safe and can be run any number of times, concurrently, by {@link
 * io.sygra.core.run.Pipeline}.
 *
 * <pre>{@code
 * Graph g = Graph.builder()
 *     .node("draft", Nodes.lambda(s -> s.with("text", "hello")))
 *     .node("check", Nodes.filter(s -> !s.getString("text").isEmpty(), "empty text"))
 *     .edge(Graph.START, "draft")
 *     .edge("draft", "check")
 *     .edge("check", Graph.END)
 *     .build();
 * }</pre>
 *
 * <p>Edges: a node has either plain edges or one conditional edge. One plain edge continues to that
 * node; several plain edges run their targets as parallel branches on the same state, and the
 * branches join (their updates merged) at the first node they all reach. Cycles are allowed; every
 * record is bounded by the {@linkplain Builder#stepLimit(int) step limit}.
 */
public final class Graph {
  /** The virtual entry node. */
  public static final String START = "__start__";

  /** The virtual exit node: a record that reaches it is written. */
  public static final String END = "__end__";

  /** Default maximum number of node executions per record. */
  public static final int DEFAULT_STEP_LIMIT = 100;

  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_-]*");

  private final String name;
  private final int stepLimit;
  private final Map<String, Node> nodes;
  private final Map<String, String> next;
  private final Map<String, Conditional> conditionals;
  private final Map<String, Fork> forks;
  private final Set<String> inputs;
  private final List<String> edgeList;
  private final String fingerprint;

  /** A conditional edge: a router and the targets it may return (empty when undeclared). */
  public record Conditional(Router router, Set<String> targets) {
    public Conditional {
      Objects.requireNonNull(router, "router");
      targets = Collections.unmodifiableSet(new LinkedHashSet<>(targets));
    }
  }

  /**
   * Parallel branches leaving one node: each branch is a chain of nodes run in order on the fork's
   * state; their updates are merged, in branch order, before continuing at {@code join}.
   */
  public record Fork(List<List<String>> branches, String join) {
    public Fork {
      branches = branches.stream().map(List::copyOf).toList();
    }
  }

  private Graph(Builder b, Map<String, String> next, Map<String, Fork> forks) {
    this.name = b.name;
    this.stepLimit = b.stepLimit;
    this.nodes = Collections.unmodifiableMap(new LinkedHashMap<>(b.nodes));
    this.next = Collections.unmodifiableMap(next);
    this.conditionals = Collections.unmodifiableMap(new LinkedHashMap<>(b.conditionals));
    this.forks = Collections.unmodifiableMap(forks);
    this.inputs = Collections.unmodifiableSet(new LinkedHashSet<>(b.inputs));
    this.edgeList = List.copyOf(b.edgeOrder);
    this.fingerprint = computeFingerprint();
  }

  /** A new builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** The graph's name (default {@code graph}), used in messages and diagrams. */
  public String name() {
    return name;
  }

  /** Maximum node executions per record. */
  public int stepLimit() {
    return stepLimit;
  }

  /** Node names in the order they were added. */
  public Set<String> nodeNames() {
    return nodes.keySet();
  }

  /**
   * The node called {@code name}.
   *
   * @throws IllegalArgumentException for an unknown name
   */
  public Node node(String name) {
    Node n = nodes.get(name);
    if (n == null) {
      throw new IllegalArgumentException("graph '" + this.name + "' has no node '" + name + "'");
    }
    return n;
  }

  /** The single plain successor of {@code from} ({@link #START} included), if it has one. */
  public Optional<String> next(String from) {
    return Optional.ofNullable(next.get(from));
  }

  /** The conditional edge leaving {@code from}, if any. */
  public Optional<Conditional> conditional(String from) {
    return Optional.ofNullable(conditionals.get(from));
  }

  /** The parallel branches leaving {@code from}, if any. */
  public Optional<Fork> fork(String from) {
    return Optional.ofNullable(forks.get(from));
  }

  /** Declared input keys (may be empty). */
  public Set<String> inputs() {
    return inputs;
  }

  /**
   * A stable hash of the graph's structure and node fingerprints. Run directories record it and
   * refuse to resume a run made by a different graph.
   */
  public String fingerprint() {
    return fingerprint;
  }

  /** Mermaid {@code flowchart} source for this graph; subgraphs are drawn nested. */
  public String toMermaid() {
    StringBuilder sb = new StringBuilder("flowchart TD\n");
    sb.append("  ").append(id("", START)).append("([START])\n");
    sb.append("  ").append(id("", END)).append("([END])\n");
    appendMermaid(sb, "", "  ");
    return sb.toString();
  }

  private void appendMermaid(StringBuilder sb, String prefix, String indent) {
    for (Map.Entry<String, Node> e : nodes.entrySet()) {
      String full = prefix + e.getKey();
      if (e.getValue() instanceof SubgraphNode sub) {
        Graph g = sub.graph();
        sb.append(indent)
            .append("subgraph ")
            .append(id("", full))
            .append("[\"")
            .append(full)
            .append(" (subgraph)\"]\n");
        sb.append(indent).append("  ").append(id(full + ".", START)).append("((in))\n");
        sb.append(indent).append("  ").append(id(full + ".", END)).append("((out))\n");
        g.appendMermaid(sb, full + ".", indent + "  ");
        sb.append(indent).append("end\n");
      } else {
        sb.append(indent)
            .append(id("", full))
            .append("[\"")
            .append(full)
            .append(" (")
            .append(e.getValue().kind())
            .append(")\"]\n");
      }
    }
    for (String edge : edgeList) {
      String[] p = edge.split("\u0000", -1);
      sb.append(indent)
          .append(ref(prefix, p[0]))
          .append(" --> ")
          .append(ref(prefix, p[1]))
          .append('\n');
    }
    for (Map.Entry<String, Conditional> e : conditionals.entrySet()) {
      if (e.getValue().targets().isEmpty()) {
        sb.append(indent)
            .append(ref(prefix, e.getKey()))
            .append(" -.->|router| ")
            .append(id(prefix, "__any__"))
            .append("{{any node}}\n");
      }
      for (String t : e.getValue().targets()) {
        sb.append(indent)
            .append(ref(prefix, e.getKey()))
            .append(" -.-> ")
            .append(ref(prefix, t))
            .append('\n');
      }
    }
  }

  private String ref(String prefix, String node) {
    if (prefix.isEmpty() || (!START.equals(node) && !END.equals(node))) {
      if (!START.equals(node) && !END.equals(node) && nodes.get(node) instanceof SubgraphNode) {
        return id("", prefix + node);
      }
      return id("", START.equals(node) || END.equals(node) ? node : prefix + node);
    }
    return id(prefix, node);
  }

  private static String id(String prefix, String name) {
    return (prefix + name).replace('.', '_').replace('-', '_');
  }

  private String computeFingerprint() {
    StringBuilder sb = new StringBuilder();
    sb.append("graph ")
        .append(name)
        .append('\n')
        .append("stepLimit ")
        .append(stepLimit)
        .append('\n');
    for (String n : new TreeSet<>(nodes.keySet())) {
      Node node = nodes.get(n);
      String fp = node instanceof SubgraphNode s ? s.graph().fingerprint() : node.fingerprint();
      sb.append("node ")
          .append(n)
          .append(' ')
          .append(node.kind())
          .append(' ')
          .append(fp)
          .append('\n');
    }
    for (String e : new TreeSet<>(edgeList)) {
      sb.append("edge ").append(e.replace('\u0000', '>')).append('\n');
    }
    for (String c : new TreeSet<>(conditionals.keySet())) {
      sb.append("cond ")
          .append(c)
          .append(' ')
          .append(new TreeSet<>(conditionals.get(c).targets()))
          .append('\n');
    }
    return Json.sha256Hex(sb.toString(), 16);
  }

  @Override
  public String toString() {
    return "Graph[" + name + ", nodes=" + nodes.keySet() + "]";
  }

  /**
   * Builds a {@link Graph}. Not thread-safe. Setters check their arguments at once; {@link
   * #build()} checks the whole graph and reports every problem together.
   */
  public static final class Builder {
    private String name = "graph";
    private int stepLimit = DEFAULT_STEP_LIMIT;
    private final Map<String, Node> nodes = new LinkedHashMap<>();
    private final Map<String, List<String>> plain = new LinkedHashMap<>();
    private final List<String> edgeOrder = new ArrayList<>();
    private final Map<String, Conditional> conditionals = new LinkedHashMap<>();
    private final Set<String> inputs = new LinkedHashSet<>();
    private final List<String> problems = new ArrayList<>();

    private Builder() {}

    /** Names the graph (used in messages, diagrams and the fingerprint). */
    public Builder name(String name) {
      ConfigurationException.check(
          name != null && !name.isBlank(), "name", "must be non-blank, was '" + name + "'");
      this.name = name;
      return this;
    }

    /** Maximum node executions per record (default 100); a record over it fails. */
    public Builder stepLimit(int stepLimit) {
      ConfigurationException.check(stepLimit >= 1, "stepLimit", "must be >= 1, was " + stepLimit);
      this.stepLimit = stepLimit;
      return this;
    }

    /**
     * Declares the keys records bring from the source, so {@code build()} can check that every key
     * a node reads (e.g. a prompt template variable) is either an input or written by some node.
     */
    public Builder inputs(String... keys) {
      for (String k : keys) {
        ConfigurationException.check(k != null && !k.isBlank(), "inputs", "keys must be non-blank");
        inputs.add(k);
      }
      return this;
    }

    /** Adds a node. Names match {@code [A-Za-z_][A-Za-z0-9_-]*} and are unique. */
    public Builder node(String name, Node node) {
      Objects.requireNonNull(node, "node");
      if (name == null || !NAME.matcher(name).matches()) {
        problems.add(
            "node name '"
                + name
                + "' is invalid: use letters, digits, '_' and '-', starting with a"
                + " letter or '_'");
      } else if (START.equals(name) || END.equals(name)) {
        problems.add("node name '" + name + "' is reserved");
      } else if (nodes.containsKey(name)) {
        problems.add("duplicate node name '" + name + "'");
      } else {
        nodes.put(name, node);
      }
      return this;
    }

    /**
     * Adds a plain edge; {@code from} may be {@link Graph#START}, {@code to} may be {@link
     * Graph#END}.
     */
    public Builder edge(String from, String to) {
      Objects.requireNonNull(from, "from");
      Objects.requireNonNull(to, "to");
      List<String> targets = plain.computeIfAbsent(from, k -> new ArrayList<>());
      if (targets.contains(to)) {
        problems.add("duplicate edge '" + from + "' -> '" + to + "'");
      } else {
        targets.add(to);
        edgeOrder.add(from + "\u0000" + to);
      }
      return this;
    }

    /** Adds a chain of plain edges: {@code chain(START, "a", "b", END)}. */
    public Builder chain(String... names) {
      for (int i = 0; i + 1 < names.length; i++) {
        edge(names[i], names[i + 1]);
      }
      return this;
    }

    /**
     * Adds a conditional edge whose router may return any node or {@link Graph#END}. Prefer the
     * overload with declared targets: {@code build()} can then check reachability fully.
     */
    public Builder conditionalEdge(String from, Router router) {
      return conditionalEdge(from, router, Set.of());
    }

    /**
     * Adds a conditional edge whose router returns one of {@code targets} (node names or {@link
     * Graph#END}); returning anything else fails the record with a clear error.
     */
    public Builder conditionalEdge(String from, Router router, Set<String> targets) {
      Objects.requireNonNull(from, "from");
      Objects.requireNonNull(router, "router");
      Objects.requireNonNull(targets, "targets");
      if (conditionals.containsKey(from)) {
        problems.add("node '" + from + "' has more than one conditional edge");
      } else {
        conditionals.put(from, new Conditional(router, targets));
      }
      return this;
    }

    /**
     * Validates and builds the graph.
     *
     * @throws GraphValidationException listing every problem, each naming its node or edge
     */
    public Graph build() {
      List<String> errors = new ArrayList<>(problems);
      Set<String> known = nodes.keySet();
      // Edge endpoints.
      for (Map.Entry<String, List<String>> e : plain.entrySet()) {
        String from = e.getKey();
        for (String to : e.getValue()) {
          checkEndpoints(errors, from, to, "edge");
        }
      }
      for (Map.Entry<String, Conditional> e : conditionals.entrySet()) {
        String from = e.getKey();
        if (END.equals(from)) {
          errors.add("conditional edge leaves END; END has no outgoing edges");
        } else if (!START.equals(from) && !known.contains(from)) {
          errors.add("conditional edge from unknown node '" + from + "'");
        }
        for (String t : e.getValue().targets()) {
          if (START.equals(t)) {
            errors.add("conditional edge from '" + from + "' declares START as a target");
          } else if (!END.equals(t) && !known.contains(t)) {
            errors.add("conditional edge from '" + from + "' declares unknown target '" + t + "'");
          }
        }
        if (plain.containsKey(from)) {
          errors.add(
              "node '"
                  + from
                  + "' has both plain edges "
                  + plain.get(from)
                  + " and a conditional edge; use one or the other");
        }
      }
      // Every node and START needs a way out.
      if (!plain.containsKey(START) && !conditionals.containsKey(START)) {
        errors.add("no edge leaves START; add edge(Graph.START, \"<first node>\")");
      }
      for (String n : known) {
        if (!plain.containsKey(n) && !conditionals.containsKey(n)) {
          errors.add(
              "node '"
                  + n
                  + "' has no outgoing edge; add edge(\""
                  + n
                  + "\", Graph.END) or"
                  + " another edge");
        }
      }
      Map<String, String> next = new LinkedHashMap<>();
      Map<String, Fork> forks = new LinkedHashMap<>();
      if (errors.isEmpty()) {
        for (Map.Entry<String, List<String>> e : plain.entrySet()) {
          if (e.getValue().size() == 1) {
            next.put(e.getKey(), e.getValue().get(0));
          }
        }
        for (Map.Entry<String, List<String>> e : plain.entrySet()) {
          if (e.getValue().size() > 1) {
            Fork f = computeFork(e.getKey(), e.getValue(), next, errors);
            if (f != null) {
              forks.put(e.getKey(), f);
            }
          }
        }
      }
      if (errors.isEmpty()) {
        checkReachability(errors);
      }
      if (errors.isEmpty()) {
        checkReads(errors);
      }
      if (!errors.isEmpty()) {
        throw new GraphValidationException(name, errors);
      }
      return new Graph(this, next, forks);
    }

    private void checkEndpoints(List<String> errors, String from, String to, String what) {
      String label = what + " '" + from + "' -> '" + to + "'";
      if (END.equals(from)) {
        errors.add(label + " leaves END; END has no outgoing edges");
      } else if (!START.equals(from) && !nodes.containsKey(from)) {
        errors.add(label + " starts at unknown node '" + from + "'");
      }
      if (START.equals(to)) {
        errors.add(label + " points at START; START has no incoming edges");
      } else if (!END.equals(to) && !nodes.containsKey(to)) {
        errors.add(label + " points at unknown node '" + to + "'");
      }
    }

    private Fork computeFork(
        String from, List<String> targets, Map<String, String> next, List<String> errors) {
      List<List<String>> walks = new ArrayList<>();
      for (String t : targets) {
        List<String> walk = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        String cur = t;
        while (true) {
          walk.add(cur);
          if (END.equals(cur) || !seen.add(cur)) {
            break;
          }
          String n = next.get(cur);
          boolean simple = n != null && !conditionals.containsKey(cur);
          if (!simple) {
            break;
          }
          cur = n;
        }
        walks.add(walk);
      }
      String join = null;
      for (String candidate : walks.get(0)) {
        boolean inAll = true;
        for (List<String> w : walks.subList(1, walks.size())) {
          inAll &= w.contains(candidate);
        }
        if (inAll) {
          join = candidate;
          break;
        }
      }
      if (join == null) {
        errors.add(
            "parallel branches from '"
                + from
                + "' to "
                + targets
                + " never meet at a common"
                + " node; each branch must be a chain of nodes with single plain edges that all"
                + " reach the same join node (wrap complex branches in a subgraph)");
        return null;
      }
      List<List<String>> branches = new ArrayList<>();
      for (List<String> w : walks) {
        List<String> chain = w.subList(0, w.indexOf(join));
        for (String n : chain) {
          if (nodes.get(n) instanceof SubgraphNode) {
            errors.add(
                "node '"
                    + n
                    + "' in a parallel branch from '"
                    + from
                    + "' is a subgraph; branches"
                    + " may hold only plain nodes, so run the subgraph before the fork or after"
                    + " the join");
          }
          if (plain.getOrDefault(n, List.of()).size() > 1) {
            errors.add(
                "node '"
                    + n
                    + "' in a parallel branch from '"
                    + from
                    + "' forks again; wrap the"
                    + " branch in a subgraph");
          }
        }
        branches.add(chain);
      }
      return new Fork(branches, join);
    }

    private void checkReachability(List<String> errors) {
      // Forward from START.
      Set<String> reached = new HashSet<>();
      Deque<String> work = new ArrayDeque<>();
      work.add(START);
      boolean anywhere = false;
      while (!work.isEmpty()) {
        String n = work.poll();
        if (!reached.add(n)) {
          continue;
        }
        for (String t : plain.getOrDefault(n, List.of())) {
          work.add(t);
        }
        Conditional c = conditionals.get(n);
        if (c != null) {
          if (c.targets().isEmpty()) {
            anywhere = true;
          }
          work.addAll(c.targets());
        }
      }
      if (!anywhere) {
        for (String n : nodes.keySet()) {
          if (!reached.contains(n)) {
            errors.add("node '" + n + "' is unreachable from START");
          }
        }
      }
      // Backward from END.
      Set<String> canEnd = new HashSet<>();
      canEnd.add(END);
      boolean changed = true;
      while (changed) {
        changed = false;
        for (String n : nodes.keySet()) {
          if (canEnd.contains(n)) {
            continue;
          }
          boolean ok = false;
          for (String t : plain.getOrDefault(n, List.of())) {
            ok |= canEnd.contains(t);
          }
          Conditional c = conditionals.get(n);
          if (c != null) {
            ok |= c.targets().isEmpty();
            for (String t : c.targets()) {
              ok |= canEnd.contains(t);
            }
          }
          if (ok) {
            canEnd.add(n);
            changed = true;
          }
        }
      }
      for (String n : nodes.keySet()) {
        if (reached.contains(n) && !canEnd.contains(n)) {
          errors.add(
              "node '"
                  + n
                  + "' has no path to END (records reaching it would loop until"
                  + " the step limit)");
        }
      }
    }

    private void checkReads(List<String> errors) {
      if (inputs.isEmpty()) {
        return;
      }
      Set<String> available = new HashSet<>(inputs);
      available.add(State.MESSAGES);
      for (Node n : nodes.values()) {
        Optional<Set<String>> w = n.writes();
        if (w.isEmpty()) {
          return; // some node may write anything: nothing can be proven missing
        }
        available.addAll(w.get());
      }
      for (Map.Entry<String, Node> e : nodes.entrySet()) {
        for (String k : e.getValue().reads().orElse(Set.of())) {
          if (!available.contains(k)) {
            errors.add(
                "node '"
                    + e.getKey()
                    + "' reads '"
                    + k
                    + "', which is not a declared input and"
                    + " no node writes it");
          }
        }
      }
    }
  }
}
