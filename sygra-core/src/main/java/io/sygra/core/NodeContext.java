package io.sygra.core;

import java.util.Optional;
import java.util.concurrent.Executor;

/**
 * What a node may know about the record it is running for and the run around it. Passed to every
 * {@link Node#run(State, NodeContext)} call; valid only during that call and the stage it returns.
 */
public interface NodeContext {

  /** The id of the record being processed. */
  String recordId();

  /** The node's full name (subgraph nodes carry their prefix, e.g. {@code review.judge}). */
  String node();

  /** 1-based number of node executions for this record so far, this one included. */
  int step();

  /**
   * The 0-based position of the record's source record in the input, after transforms. Stable
   * across resumed runs, so samplers can derive deterministic choices from it.
   */
  long sequence();

  /**
   * The run's CPU executor, on which synchronous work must run (never on I/O threads). Lambda nodes
   * use it for you.
   */
  Executor executor();

  /** True when the calling thread belongs to {@link #executor()}. */
  boolean onExecutorThread();

  /** A service registered on the pipeline (e.g. a model registry), if any. */
  <T> Optional<T> service(Class<T> type);
}
