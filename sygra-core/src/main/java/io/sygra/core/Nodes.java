package io.sygra.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/** Factories for the core node kinds. Every node returned is immutable and thread-safe. */
public final class Nodes {
  private Nodes() {}

  /**
   * A synchronous Java function from state to state. It runs on the run's CPU executor, never on an
   * I/O thread, so it may do CPU work freely (but should not block on I/O).
   */
  public static Node lambda(UnaryOperator<State> fn) {
    Objects.requireNonNull(fn, "fn");
    return new SyncNode("lambda", s -> NodeResult.of(nonNull(fn.apply(s))));
  }

  /**
   * A synchronous function that may also drop or fan out the record by returning a {@link
   * NodeResult}. Runs on the CPU executor like {@link #lambda(UnaryOperator)}.
   */
  public static Node step(Function<State, NodeResult> fn) {
    Objects.requireNonNull(fn, "fn");
    return new SyncNode("lambda", s -> Objects.requireNonNull(fn.apply(s), "node returned null"));
  }

  /**
   * An asynchronous function, for work that completes later (remote calls, timers). The returned
   * stage may complete on any thread.
   */
  public static Node async(Function<State, ? extends CompletionStage<State>> fn) {
    Objects.requireNonNull(fn, "fn");
    return new Node() {
      @Override
      public CompletionStage<NodeResult> run(State state, NodeContext context) {
        CompletionStage<State> cs = fn.apply(state);
        if (cs == null) {
          return CompletableFuture.failedFuture(
              new NullPointerException("async node returned a null stage"));
        }
        return cs.thenApply(s -> NodeResult.of(nonNull(s)));
      }

      @Override
      public String kind() {
        return "async";
      }
    };
  }

  /** Keeps records for which {@code keep} is true; drops the rest with {@code reason}. */
  public static Node filter(Predicate<State> keep, String reason) {
    Objects.requireNonNull(reason, "reason");
    ConfigurationException.check(!reason.isBlank(), "reason", "must be non-blank");
    return filter(keep, s -> reason);
  }

  /** Keeps records for which {@code keep} is true; drops the rest with a computed reason. */
  public static Node filter(Predicate<State> keep, Function<State, String> reason) {
    Objects.requireNonNull(keep, "keep");
    Objects.requireNonNull(reason, "reason");
    return new SyncNode(
        "filter", s -> keep.test(s) ? NodeResult.of(s) : NodeResult.drop(reason.apply(s)));
  }

  /**
   * Replaces each record with the states {@code fn} returns; each continues from the next node with
   * the id {@code parentId/i}. An empty list drops the record.
   */
  public static Node fanOut(Function<State, List<State>> fn) {
    Objects.requireNonNull(fn, "fn");
    return new SyncNode("fan-out", s -> NodeResult.fanOut(fn.apply(s)));
  }

  /**
   * Expands the list under {@code listKey} into one record per element, with the element under
   * {@code itemKey}, its 0-based index under {@code itemKey + "_index"}, and {@code listKey}
   * removed.
   */
  public static Node expand(String listKey, String itemKey) {
    Objects.requireNonNull(listKey, "listKey");
    Objects.requireNonNull(itemKey, "itemKey");
    return withKeys(
        new SyncNode(
            "fan-out",
            s -> {
              Object v = s.get(listKey);
              if (!(v instanceof List<?> items)) {
                throw new StateException(
                    listKey,
                    "expand needs a list, found " + io.sygra.core.internal.JsonValues.typeName(v));
              }
              State base = s.without(listKey);
              List<State> out = new ArrayList<>(items.size());
              for (int i = 0; i < items.size(); i++) {
                out.add(base.with(itemKey, items.get(i)).with(itemKey + "_index", i));
              }
              return NodeResult.fanOut(out);
            }),
        Set.of(listKey),
        Set.of(itemKey, itemKey + "_index"));
  }

  /** A built graph used as a node; its nodes are reported as {@code thisNode.innerNode}. */
  public static SubgraphNode subgraph(Graph graph) {
    return new SubgraphNode(graph);
  }

  /** Starts a weighted or sequential attribute sampler. */
  public static SamplerNode.Builder sampler() {
    return SamplerNode.builder();
  }

  /**
   * Declares the keys a node reads and writes, so {@link Graph.Builder#build()} can check template
   * variables and inputs. The returned node behaves exactly like {@code node}.
   */
  public static Node withKeys(Node node, Set<String> reads, Set<String> writes) {
    Objects.requireNonNull(node, "node");
    Set<String> r = Set.copyOf(reads);
    Set<String> w = Set.copyOf(writes);
    return new Node() {
      @Override
      public CompletionStage<NodeResult> run(State state, NodeContext context) {
        return node.run(state, context);
      }

      @Override
      public String kind() {
        return node.kind();
      }

      @Override
      public String fingerprint() {
        return node.fingerprint();
      }

      @Override
      public Optional<Set<String>> reads() {
        return Optional.of(r);
      }

      @Override
      public Optional<Set<String>> writes() {
        return Optional.of(w);
      }
    };
  }

  private static State nonNull(State s) {
    if (s == null) {
      throw new NullPointerException("node returned a null state");
    }
    return s;
  }

  /** Runs a synchronous function on the CPU executor, inline when already there. */
  static final class SyncNode implements Node {
    private final String kind;
    private final Function<State, NodeResult> fn;

    SyncNode(String kind, Function<State, NodeResult> fn) {
      this.kind = kind;
      this.fn = fn;
    }

    @Override
    public CompletionStage<NodeResult> run(State state, NodeContext context) {
      if (context.onExecutorThread()) {
        try {
          return CompletableFuture.completedFuture(fn.apply(state));
        } catch (Throwable t) {
          return CompletableFuture.failedFuture(t);
        }
      }
      return CompletableFuture.supplyAsync(() -> fn.apply(state), context.executor());
    }

    @Override
    public String kind() {
      return kind;
    }
  }
}
