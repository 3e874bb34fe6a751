package io.sygra.llm;

import io.sygra.core.SygraException;

/**
 * A prompt template could not be rendered for a record: a variable is missing from the state, is
 * {@code null}, or a path inside it ({@code {doc.title}}, {@code {items[2]}}) does not exist. Names
 * the node, the record and the variable; never includes state values, which may be secret.
 */
public final class TemplateException extends SygraException {
  private static final long serialVersionUID = 1L;

  private final String node;
  private final String recordId;
  private final String variable;

  /**
   * @param node the node rendering the template, or null outside a node
   * @param recordId the record's id, or null when unknown
   * @param variable the placeholder as written, e.g. {@code doc.title}
   * @param problem what is wrong, e.g. {@code is missing from the state (present keys: [a, b])}
   */
  public TemplateException(String node, String recordId, String variable, String problem) {
    super(describe(node, recordId, variable, problem));
    this.node = node;
    this.recordId = recordId;
    this.variable = variable;
  }

  /** The node whose template failed, or null when rendered outside a node. */
  public String node() {
    return node;
  }

  /** The record's id, or null when unknown. */
  public String recordId() {
    return recordId;
  }

  /** The placeholder as written in the template, e.g. {@code question} or {@code doc.title}. */
  public String variable() {
    return variable;
  }

  private static String describe(String node, String recordId, String variable, String problem) {
    StringBuilder sb = new StringBuilder();
    if (node != null) {
      sb.append("node '").append(node).append("'");
    } else {
      sb.append("template");
    }
    if (recordId != null && !recordId.isEmpty()) {
      sb.append(" (record '").append(recordId).append("')");
    }
    sb.append(": template variable '").append(variable).append("' ").append(problem);
    return sb.toString();
  }
}
