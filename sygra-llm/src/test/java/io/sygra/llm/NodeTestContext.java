package io.sygra.llm;

import io.sygra.core.NodeContext;
import io.sygra.core.NodeResult;
import io.sygra.core.State;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link NodeContext} for node tests: a shared two-thread CPU executor whose threads are named
 * {@code test-cpu-N}, so tests can tell where continuations ran.
 */
final class NodeTestContext implements NodeContext {
  static final String CPU_PREFIX = "test-cpu-";
  static final ExecutorService CPU = daemonPool(CPU_PREFIX, 2);
  static final ExecutorService IO = daemonPool("test-io-", 4);

  private final String node;
  private final String recordId;
  private final Map<Class<?>, Object> services;

  NodeTestContext(String node, String recordId) {
    this(node, recordId, Map.of());
  }

  NodeTestContext(String node, String recordId, Map<Class<?>, Object> services) {
    this.node = node;
    this.recordId = recordId;
    this.services = services;
  }

  static ExecutorService daemonPool(String prefix, int n) {
    AtomicInteger count = new AtomicInteger();
    return Executors.newFixedThreadPool(
        n,
        r -> {
          Thread t = new Thread(r, prefix + count.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
  }

  /** Runs a node and waits for its result (tests only). */
  static NodeResult run(io.sygra.core.Node n, State s, String node) throws Exception {
    return n.run(s, new NodeTestContext(node, s.id().isEmpty() ? "r1" : s.id()))
        .toCompletableFuture()
        .get(30, TimeUnit.SECONDS);
  }

  /** Runs a node expecting failure; returns the cause. */
  static Throwable failure(io.sygra.core.Node n, State s, String node) throws Exception {
    try {
      run(n, s, node);
    } catch (ExecutionException e) {
      Throwable t = e.getCause();
      while (t instanceof java.util.concurrent.CompletionException && t.getCause() != null) {
        t = t.getCause();
      }
      return t;
    } catch (TimeoutException e) {
      throw new AssertionError("node did not complete", e);
    }
    throw new AssertionError("node '" + node + "' was expected to fail but succeeded");
  }

  /** The state of a {@link NodeResult.Next}. */
  static State next(NodeResult r) {
    if (r instanceof NodeResult.Next n) {
      return n.state();
    }
    throw new AssertionError("expected a next state, got " + r);
  }

  @Override
  public String recordId() {
    return recordId;
  }

  @Override
  public String node() {
    return node;
  }

  @Override
  public int step() {
    return 1;
  }

  @Override
  public long sequence() {
    return 0;
  }

  @Override
  public Executor executor() {
    return CPU;
  }

  @Override
  public boolean onExecutorThread() {
    return Thread.currentThread().getName().startsWith(CPU_PREFIX);
  }

  @Override
  public <T> Optional<T> service(Class<T> type) {
    return Optional.ofNullable(type.cast(services.get(type)));
  }
}
