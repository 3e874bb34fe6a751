package io.sygra.llm;

import io.sygra.core.SygraException;

/**
 * An agent node stopped without a final answer: the model was still asking for tools when the
 * iteration limit was reached (with {@link AgentNode.MaxIterations#FAIL}), or the forced final
 * answer had no text. Names the node, the record and the number of model calls made.
 */
public final class AgentException extends SygraException {
  private static final long serialVersionUID = 1L;

  private final String node;
  private final String recordId;
  private final int iterations;

  /**
   * @param node the agent node
   * @param recordId the record's id
   * @param iterations model calls made
   * @param message why the agent stopped
   */
  public AgentException(String node, String recordId, int iterations, String message) {
    super("node '" + node + "' (record '" + recordId + "'): " + message);
    this.node = node;
    this.recordId = recordId;
    this.iterations = iterations;
  }

  /** The agent node. */
  public String node() {
    return node;
  }

  /** The record's id. */
  public String recordId() {
    return recordId;
  }

  /** Model calls made before stopping. */
  public int iterations() {
    return iterations;
  }
}
