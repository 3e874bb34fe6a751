package io.sygra.llm;

import io.sygra.core.SygraException;

/**
 * A tool call could not be carried out: the model named an unknown tool, its arguments are not
 * valid JSON or do not match the tool's parameter schema, or the tool itself failed. Agent nodes
 * normally show the message to the model so it can correct itself; with {@link
 * AgentNode.ToolErrors#FAIL} it fails the record instead.
 */
public final class ToolException extends SygraException {
  private static final long serialVersionUID = 1L;

  /** What went wrong. */
  public enum Kind {
    /** The model asked for a tool that is not registered. */
    UNKNOWN_TOOL,
    /** The arguments are not a JSON object matching the tool's parameter schema. */
    ARGUMENTS,
    /** The tool's function threw. */
    EXECUTION
  }

  private final String tool;
  private final Kind kind;
  private final String node;

  /**
   * @param node the agent node, or null outside a node
   * @param tool the tool name as the model wrote it
   * @param kind what went wrong
   * @param message a description a model can act on; never contains secrets
   * @param cause the tool's own exception, or null
   */
  public ToolException(String node, String tool, Kind kind, String message, Throwable cause) {
    super((node == null ? "" : "node '" + node + "': ") + "tool '" + tool + "': " + message, cause);
    this.node = node;
    this.tool = tool;
    this.kind = kind;
  }

  /** The tool name as the model wrote it. */
  public String tool() {
    return tool;
  }

  /** What went wrong. */
  public Kind kind() {
    return kind;
  }

  /** The agent node, or null outside a node. */
  public String node() {
    return node;
  }

  /** The message without the node and tool prefix, as shown to the model. */
  public String detail() {
    String m = getMessage();
    String prefix = "tool '" + tool + "': ";
    int i = m.indexOf(prefix);
    return i < 0 ? m : m.substring(i + prefix.length());
  }

  /** The same failure attributed to {@code node}. */
  ToolException in(String node) {
    return new ToolException(node, tool, kind, detail(), getCause());
  }
}
