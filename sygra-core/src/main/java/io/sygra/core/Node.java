package io.sygra.core;

import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;

/**
 * A step of a {@link Graph}: takes a record's state and produces a {@link NodeResult}
 * asynchronously, so thousands of slow calls can be in flight without a thread each.
 *
 * <p>Most users never implement this directly: {@link Nodes} wraps plain Java functions, samplers,
 * filters, fan-outs and subgraphs, and the LLM module provides model-calling nodes. Implementations
 * must be thread-safe: one node instance serves every record of a run concurrently.
 */
@FunctionalInterface
public interface Node {

  /**
   * Runs the node for one record. Must not block: slow work returns an incomplete stage. An
   * exception (thrown or completing the stage) fails the record with the node named.
   */
  CompletionStage<NodeResult> run(State state, NodeContext context);

  /** Short kind name shown in diagrams and reports, e.g. {@code lambda}, {@code llm}. */
  default String kind() {
    return "node";
  }

  /**
   * Text that changes when the node's behaviour changes (prompts, model, parameters), part of the
   * graph fingerprint that guards resumed runs. Code in lambdas cannot be fingerprinted.
   */
  default String fingerprint() {
    return kind();
  }

  /**
   * State keys this node reads, when known. {@link Graph.Builder#build()} checks them against the
   * declared inputs and the keys other nodes write, reporting missing template variables before any
   * record runs.
   */
  default Optional<Set<String>> reads() {
    return Optional.empty();
  }

  /** State keys this node writes, when known; empty means unknown (may write anything). */
  default Optional<Set<String>> writes() {
    return Optional.empty();
  }
}
