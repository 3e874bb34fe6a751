package io.sygra.core.internal;

import io.sygra.core.Graph;
import io.sygra.core.GraphExecutionException;
import io.sygra.core.Node;
import io.sygra.core.NodeContext;
import io.sygra.core.NodeResult;
import io.sygra.core.State;
import io.sygra.core.SubgraphNode;
import io.sygra.core.run.LatencyHistogram;
import io.sygra.core.run.RunListener;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

/**
 * Drives records through a graph. Each record ("unit") advances in a loop that runs completed
 * stages inline and parks on the first incomplete one, resuming from its callback: no thread waits
 * for a node. Subgraphs run in place on a frame stack; parallel branches run concurrently and are
 * merged at the join.
 */
public final class Engine {

  /** Where a unit's outcomes go. Called from any thread. */
  public interface Callbacks {
    void written(Unit unit);

    void dropped(Unit unit, String node, String reason);

    void failed(Unit unit, String node, Throwable error);

    /** The unit became {@code children} at {@code path} (node names from the root graph). */
    void fannedOut(Unit unit, List<String> path, List<Unit> children);
  }

  /** A graph nesting level: the root graph or a subgraph entered through {@code parentNode}. */
  public static final class Frame {
    final Graph graph;
    final String prefix;
    final Frame parent;
    final String parentNode;

    Frame(Graph graph, String prefix, Frame parent, String parentNode) {
      this.graph = graph;
      this.prefix = prefix;
      this.parent = parent;
      this.parentNode = parentNode;
    }

    /** The node's name as reported (root nodes: the same String instance, so hashes are cached). */
    String fullName(String node) {
      return prefix.isEmpty() ? node : prefix + node;
    }
  }

  /** One record on its way through the graph. */
  public static final class Unit {
    public final String id;
    public final long seq;
    public final String origin;
    public volatile State state;
    Frame frame;
    String node;
    boolean after;
    final AtomicInteger steps;
    private final java.util.concurrent.atomic.AtomicBoolean ended =
        new java.util.concurrent.atomic.AtomicBoolean();

    Unit(
        String id,
        long seq,
        String origin,
        State state,
        Frame frame,
        String node,
        boolean after,
        int steps) {
      this.id = id;
      this.seq = seq;
      this.origin = origin;
      this.state = state;
      this.frame = frame;
      this.node = node;
      this.after = after;
      this.steps = new AtomicInteger(steps);
    }

    /** Node executions so far. */
    public int steps() {
      return steps.get();
    }
  }

  /** Per-node counters. */
  public static final class Stats {
    public final LongAdder executions = new LongAdder();
    public final LongAdder failures = new LongAdder();
    public final LongAdder drops = new LongAdder();
    public final LongAdder fanOuts = new LongAdder();
    public final LatencyHistogram latency = new LatencyHistogram();
  }

  private final Graph root;
  private final Frame rootFrame;
  private final Callbacks callbacks;
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Engine.class);
  private final Executor executor;
  private final ForkJoinPool pool;
  private final Function<Class<?>, Optional<?>> services;
  private final RunListener[] listeners;
  private final Map<String, Stats> stats;
  private final int stepLimit;

  public Engine(
      Graph root,
      Callbacks callbacks,
      Executor executor,
      Function<Class<?>, Optional<?>> services,
      List<RunListener> listeners) {
    this.root = root;
    this.rootFrame = new Frame(root, "", null, null);
    this.callbacks = new Once(callbacks);
    this.executor = executor;
    this.pool = executor instanceof ForkJoinPool p ? p : null;
    this.services = services;
    this.listeners = listeners.toArray(new RunListener[0]);
    this.stepLimit = root.stepLimit();
    Map<String, Stats> s = new LinkedHashMap<>();
    collectNodes(root, "", s);
    this.stats = Collections.unmodifiableMap(s);
  }

  private static void collectNodes(Graph g, String prefix, Map<String, Stats> out) {
    for (String n : g.nodeNames()) {
      Node node = g.node(n);
      if (node instanceof SubgraphNode sub) {
        collectNodes(sub.graph(), prefix + n + ".", out);
      } else {
        out.put(prefix + n, new Stats());
      }
    }
  }

  /** Per-node stats keyed by full node name. */
  public Map<String, Stats> stats() {
    return stats;
  }

  /** A new unit at the start of the graph. */
  public Unit newUnit(String id, long seq, String origin, State state) {
    return new Unit(id, seq, origin, state, rootFrame, Graph.START, true, 0);
  }

  /**
   * A unit that continues after the node at {@code path} (as journaled by a fan-out).
   *
   * @throws IllegalArgumentException when the path no longer exists in the graph
   */
  public Unit resumedUnit(
      String id, long seq, String origin, State state, List<String> path, int steps) {
    Frame f = rootFrame;
    for (int i = 0; i < path.size() - 1; i++) {
      String n = path.get(i);
      if (!f.graph.nodeNames().contains(n) || !(f.graph.node(n) instanceof SubgraphNode sub)) {
        throw new IllegalArgumentException("journaled position " + path + " is not in the graph");
      }
      f = new Frame(sub.graph(), f.prefix + n + ".", f, n);
    }
    String last = path.get(path.size() - 1);
    if (!f.graph.nodeNames().contains(last)) {
      throw new IllegalArgumentException("journaled position " + path + " is not in the graph");
    }
    return new Unit(id, seq, origin, state, f, last, true, steps);
  }

  /** True when the calling thread is one of the executor's (only detectable for ForkJoinPools). */
  public boolean onExecutorThread() {
    return pool != null
        && Thread.currentThread() instanceof ForkJoinWorkerThread w
        && w.getPool() == pool;
  }

  /** Starts a unit on the executor. */
  public void start(Unit u) {
    executor.execute(() -> drive(u));
  }

  private void drive(Unit u) {
    String current = u.node;
    try {
      while (true) {
        if (u.after) {
          if (!route(u)) {
            return;
          }
          continue;
        }
        String node = u.node;
        current = u.frame.fullName(node);
        if (Graph.END.equals(node)) {
          if (u.frame.parent == null) {
            callbacks.written(u);
            return;
          }
          u.node = u.frame.parentNode;
          u.frame = u.frame.parent;
          u.after = true;
          continue;
        }
        Node n = u.frame.graph.node(node);
        if (n instanceof SubgraphNode sub) {
          u.frame = new Frame(sub.graph(), u.frame.prefix + node + ".", u.frame, node);
          u.node = Graph.START;
          u.after = true;
          continue;
        }
        int step = u.steps.incrementAndGet();
        if (step > stepLimit) {
          callbacks.failed(
              u,
              current,
              new GraphExecutionException(
                  u.id,
                  current,
                  step,
                  "step limit of "
                      + stepLimit
                      + " node executions exceeded; the record is probably looping (raise"
                      + " Graph.Builder.stepLimit if the loop is intended)"));
          return;
        }
        CompletableFuture<NodeResult> fut = invoke(u, n, current, step, u.state);
        if (fut.isDone()) {
          if (!handle(u, current, fut)) {
            return;
          }
        } else {
          final String full = current;
          fut.whenComplete(
              (r, e) -> {
                if (handle(u, full, fut)) {
                  drive(u);
                }
              });
          return;
        }
      }
    } catch (Throwable t) {
      callbacks.failed(u, current, t);
    }
  }

  private CompletableFuture<NodeResult> invoke(Unit u, Node n, String full, int step, State state) {
    Stats st = stats.get(full);
    st.executions.increment();
    for (RunListener l : listeners) {
      safely(() -> l.onNodeStart(u.id, full));
    }
    long t0 = System.nanoTime();
    CompletableFuture<NodeResult> fut;
    try {
      fut =
          Objects.requireNonNull(n.run(state, new Ctx(u, full, step)), "node returned a null stage")
              .toCompletableFuture();
    } catch (Throwable t) {
      fut = CompletableFuture.failedFuture(t);
    }
    if (fut.isDone()) {
      done(u, full, st, t0);
      return fut;
    }
    return fut.whenComplete((r, e) -> done(u, full, st, t0));
  }

  private void done(Unit u, String full, Stats st, long t0) {
    long nanos = System.nanoTime() - t0;
    st.latency.recordNanos(nanos);
    for (RunListener l : listeners) {
      safely(() -> l.onNodeComplete(u.id, full, nanos));
    }
  }

  /** Applies a node's result; true when the unit should keep going. */
  private boolean handle(Unit u, String full, CompletableFuture<NodeResult> fut) {
    NodeResult r;
    try {
      r = fut.join();
      Objects.requireNonNull(r, "node completed with a null result");
    } catch (Throwable t) {
      stats.get(full).failures.increment();
      callbacks.failed(u, full, unwrap(t));
      return false;
    }
    if (r instanceof NodeResult.Next next) {
      u.state = next.state().withId(u.id);
      u.after = true;
      return true;
    }
    if (r instanceof NodeResult.Drop drop) {
      stats.get(full).drops.increment();
      callbacks.dropped(u, full, drop.reason());
      return false;
    }
    List<State> states = ((NodeResult.FanOut) r).states();
    stats.get(full).fanOuts.increment();
    if (states.isEmpty()) {
      stats.get(full).drops.increment();
      callbacks.dropped(u, full, "fan-out produced no records");
      return false;
    }
    List<Unit> children = new ArrayList<>(states.size());
    for (int i = 0; i < states.size(); i++) {
      String cid = u.id + "/" + i;
      children.add(
          new Unit(
              cid,
              u.seq,
              u.origin,
              states.get(i).withId(cid),
              u.frame,
              u.node,
              true,
              u.steps.get()));
    }
    callbacks.fannedOut(u, path(u), children);
    return false;
  }

  private static List<String> path(Unit u) {
    List<String> p = new ArrayList<>();
    p.add(u.node);
    for (Frame f = u.frame; f.parent != null; f = f.parent) {
      p.add(0, f.parentNode);
    }
    return p;
  }

  /** Moves a unit past its current node; false when it continues asynchronously or ended. */
  private boolean route(Unit u) {
    Graph g = u.frame.graph;
    String from = u.node;
    Optional<Graph.Conditional> cond = g.conditional(from);
    if (cond.isPresent()) {
      String full = u.frame.fullName(Graph.START.equals(from) ? "START" : from);
      String target;
      try {
        target = cond.get().router().route(u.state);
      } catch (Throwable t) {
        callbacks.failed(
            u,
            full,
            new GraphExecutionException(u.id, full, u.steps.get(), "router failed: " + t, t));
        return false;
      }
      Graph.Conditional c = cond.get();
      boolean known =
          Graph.END.equals(target) || (target != null && g.nodeNames().contains(target));
      if (!known || (!c.targets().isEmpty() && !c.targets().contains(target))) {
        String allowed =
            c.targets().isEmpty() ? "a node of the graph or END" : c.targets().toString();
        callbacks.failed(
            u,
            full,
            new GraphExecutionException(
                u.id,
                full,
                u.steps.get(),
                "router returned '" + target + "', expected one of " + allowed));
        return false;
      }
      u.node = target;
      u.after = false;
      return true;
    }
    Optional<Graph.Fork> fork = g.fork(from);
    if (fork.isPresent()) {
      runFork(u, fork.get());
      return false;
    }
    u.node = g.next(from).orElseThrow();
    u.after = false;
    return true;
  }

  private record Branch(State state, String dropNode, String dropReason) {}

  private void runFork(Unit u, Graph.Fork fork) {
    State base = u.state;
    List<CompletableFuture<Branch>> branches = new ArrayList<>();
    for (List<String> chain : fork.branches()) {
      branches.add(runChain(u, base, chain, 0));
    }
    CompletableFuture.allOf(branches.toArray(new CompletableFuture<?>[0]))
        .whenComplete(
            (v, e) -> {
              String forkName = u.frame.prefix + u.node;
              if (e != null) {
                Throwable t = unwrap(e);
                String at = t instanceof BranchFailure bf ? bf.node : forkName;
                callbacks.failed(u, at, t instanceof BranchFailure bf ? bf.getCause() : t);
                return;
              }
              List<Branch> results = new ArrayList<>();
              for (CompletableFuture<Branch> b : branches) {
                results.add(b.join());
              }
              for (Branch b : results) {
                if (b.dropReason() != null) {
                  callbacks.dropped(u, b.dropNode(), b.dropReason());
                  return;
                }
              }
              State merged;
              try {
                merged = merge(u, forkName, base, fork, results);
              } catch (GraphExecutionException ex) {
                callbacks.failed(u, forkName, ex);
                return;
              }
              u.state = merged;
              u.node = fork.join();
              u.after = false;
              drive(u);
            });
  }

  private static final class BranchFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final String node;

    BranchFailure(String node, Throwable cause) {
      super(cause);
      this.node = node;
    }
  }

  private CompletableFuture<Branch> runChain(Unit u, State state, List<String> chain, int i) {
    if (i == chain.size()) {
      return CompletableFuture.completedFuture(new Branch(state, null, null));
    }
    String name = chain.get(i);
    String full = u.frame.fullName(name);
    int step = u.steps.incrementAndGet();
    if (step > stepLimit) {
      return CompletableFuture.failedFuture(
          new BranchFailure(
              full,
              new GraphExecutionException(
                  u.id, full, step, "step limit of " + stepLimit + " node executions exceeded")));
    }
    Node n = u.frame.graph.node(name);
    return invoke(u, n, full, step, state)
        .handle(
            (r, e) -> {
              if (e != null) {
                stats.get(full).failures.increment();
                throw new BranchFailure(full, unwrap(e));
              }
              if (r instanceof NodeResult.Drop d) {
                stats.get(full).drops.increment();
                return CompletableFuture.completedFuture(new Branch(null, full, d.reason()));
              }
              if (!(r instanceof NodeResult.Next next)) {
                throw new BranchFailure(
                    full,
                    new GraphExecutionException(
                        u.id,
                        full,
                        step,
                        "a node in a parallel branch cannot fan out; move the fan-out after the"
                            + " join or wrap the branch in a subgraph"));
              }
              return runChain(u, next.state().withId(u.id), chain, i + 1);
            })
        .thenCompose(Function.identity());
  }

  private State merge(Unit u, String forkName, State base, Graph.Fork fork, List<Branch> results) {
    Map<String, Object> updates = new LinkedHashMap<>();
    Map<String, Integer> writer = new HashMap<>();
    List<Object> appended = new ArrayList<>();
    int baseMessages = base.has(State.MESSAGES) ? base.messages().size() : 0;
    for (int b = 0; b < results.size(); b++) {
      State s = results.get(b).state();
      for (Map.Entry<String, Object> e : s.values().entrySet()) {
        String k = e.getKey();
        Object v = e.getValue();
        Object old = base.values().get(k);
        if (State.MESSAGES.equals(k)) {
          List<Map<String, Object>> msgs = s.messages();
          if (msgs.size() > baseMessages) {
            appended.addAll(msgs.subList(baseMessages, msgs.size()));
          }
          continue;
        }
        if (v == old || (base.has(k) && Objects.equals(v, old))) {
          continue;
        }
        Integer prev = writer.putIfAbsent(k, b);
        if (prev != null && !Objects.equals(updates.get(k), v)) {
          throw new GraphExecutionException(
              u.id,
              forkName,
              u.steps.get(),
              "parallel branches "
                  + branchName(fork, prev)
                  + " and "
                  + branchName(fork, b)
                  + " both wrote state key '"
                  + k
                  + "' with different values; write distinct keys in each branch");
        }
        updates.put(k, v);
      }
    }
    State merged = base.withAll(updates);
    if (!appended.isEmpty()) {
      merged = merged.with(State.MESSAGES, appended);
    }
    return merged;
  }

  private static String branchName(Graph.Fork fork, int b) {
    List<String> chain = fork.branches().get(b);
    return chain.isEmpty()
        ? "(direct to " + fork.join() + ")"
        : "'" + String.join(" -> ", chain) + "'";
  }

  private static Throwable unwrap(Throwable t) {
    while ((t instanceof CompletionException
            || t instanceof java.util.concurrent.ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  private static void safely(Runnable r) {
    try {
      r.run();
    } catch (RuntimeException e) {
      org.slf4j.LoggerFactory.getLogger(Engine.class).warn("run listener failed", e);
    }
  }

  private final class Ctx implements NodeContext {
    private final Unit u;
    private final String node;
    private final int step;

    Ctx(Unit u, String node, int step) {
      this.u = u;
      this.node = node;
      this.step = step;
    }

    @Override
    public String recordId() {
      return u.id;
    }

    @Override
    public String node() {
      return node;
    }

    @Override
    public int step() {
      return step;
    }

    @Override
    public long sequence() {
      return u.seq;
    }

    @Override
    public Executor executor() {
      return executor;
    }

    @Override
    public boolean onExecutorThread() {
      return Engine.this.onExecutorThread();
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> Optional<T> service(Class<T> type) {
      return (Optional<T>) services.apply(type);
    }
  }

  /**
   * Delivers exactly one terminal callback per unit, however a node or a callback misbehaves: a
   * second outcome for the same unit (e.g. a callback that threw after recording the first) is
   * logged and ignored, so counts and the concurrency window stay exact.
   */
  private static final class Once implements Callbacks {
    private final Callbacks target;

    Once(Callbacks target) {
      this.target = target;
    }

    private boolean first(Unit u, String what) {
      if (u.ended.compareAndSet(false, true)) {
        return true;
      }
      LOG.error("record {} reached a second outcome ({}); ignored", u.id, what);
      return false;
    }

    @Override
    public void written(Unit unit) {
      if (first(unit, "written")) {
        target.written(unit);
      }
    }

    @Override
    public void dropped(Unit unit, String node, String reason) {
      if (first(unit, "dropped")) {
        target.dropped(unit, node, reason);
      }
    }

    @Override
    public void failed(Unit unit, String node, Throwable error) {
      if (first(unit, "failed: " + error)) {
        target.failed(unit, node, error);
      } else {
        LOG.error("error after record {} ended", unit.id, error);
      }
    }

    @Override
    public void fannedOut(Unit unit, List<String> path, List<Unit> children) {
      if (first(unit, "fan-out")) {
        target.fannedOut(unit, path, children);
      }
    }
  }

  /** The root graph. */
  public Graph graph() {
    return root;
  }
}
