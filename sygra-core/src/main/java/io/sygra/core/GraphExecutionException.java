package io.sygra.core;

/**
 * A record failed while running through a graph: the step limit was exceeded, a router returned an
 * unknown node, parallel branches wrote the same key, or a node threw. Names the record, the node
 * and the step at which it happened.
 */
public final class GraphExecutionException extends SygraException {
  private static final long serialVersionUID = 1L;

  private final String recordId;
  private final String node;
  private final int step;

  /** A failure of record {@code recordId} at {@code node}, its {@code step}-th node execution. */
  public GraphExecutionException(String recordId, String node, int step, String message) {
    this(recordId, node, step, message, null);
  }

  /** The same, caused by {@code cause}. */
  public GraphExecutionException(
      String recordId, String node, int step, String message, Throwable cause) {
    super(
        "record '" + recordId + "' at node '" + node + "' (step " + step + "): " + message, cause);
    this.recordId = recordId;
    this.node = node;
    this.step = step;
  }

  /** Id of the record that failed. */
  public String recordId() {
    return recordId;
  }

  /** Name of the node at which the record failed. */
  public String node() {
    return node;
  }

  /** 1-based count of node executions for this record when it failed. */
  public int step() {
    return step;
  }
}
