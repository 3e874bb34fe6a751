package io.sygra.llm;

import io.sygra.core.SygraException;
import java.util.List;

/**
 * A model's reply could not be used as structured output: no JSON could be read from it, or the
 * JSON does not match the schema, or it does not convert to the requested type. When thrown by a
 * node, every allowed attempt (each re-asking with the error) has failed; {@link #attempts()} says
 * how many were made and {@link #rawText()} holds the last reply as the model wrote it.
 */
public final class StructuredOutputException extends SygraException {
  private static final long serialVersionUID = 1L;
  private static final int RAW_IN_MESSAGE = 1000;

  private final String node;
  private final String recordId;
  private final String schemaName;
  private final String rawText;
  private final List<String> problems;

  /**
   * @param node the node that asked, or null outside a node
   * @param recordId the record's id, or null
   * @param schemaName the schema's name
   * @param rawText the reply as written (may be null when the reply had no text)
   * @param problems what was wrong, each a short sentence or a {@code path: message} violation
   * @param attempts how many replies were tried, at least 1
   */
  public StructuredOutputException(
      String node,
      String recordId,
      String schemaName,
      String rawText,
      List<String> problems,
      int attempts) {
    super(describe(node, recordId, schemaName, rawText, problems, attempts));
    this.node = node;
    this.recordId = recordId;
    this.schemaName = schemaName;
    this.rawText = rawText;
    this.problems = List.copyOf(problems);
    withAttempts(attempts);
  }

  /** The node that asked, or null when parsing outside a node. */
  public String node() {
    return node;
  }

  /** The record's id, or null. */
  public String recordId() {
    return recordId;
  }

  /** The schema's name, e.g. the record class's simple name. */
  public String schemaName() {
    return schemaName;
  }

  /** The last reply exactly as the model wrote it; null when it had no text. */
  public String rawText() {
    return rawText;
  }

  /** What was wrong with the last reply. */
  public List<String> problems() {
    return problems;
  }

  /** The same failure attributed to a node and record, after {@code attempts} replies. */
  StructuredOutputException in(String node, String recordId, int attempts) {
    return new StructuredOutputException(node, recordId, schemaName, rawText, problems, attempts);
  }

  private static String describe(
      String node,
      String recordId,
      String schemaName,
      String rawText,
      List<String> problems,
      int attempts) {
    StringBuilder sb = new StringBuilder();
    if (node != null) {
      sb.append("node '").append(node).append("'");
      if (recordId != null && !recordId.isEmpty()) {
        sb.append(" (record '").append(recordId).append("')");
      }
      sb.append(": ");
    }
    sb.append("reply is not valid structured output '").append(schemaName).append("'");
    if (attempts > 1) {
      sb.append(" after ").append(attempts).append(" attempts");
    }
    sb.append(": ").append(String.join("; ", problems));
    sb.append("; raw reply: ");
    if (rawText == null) {
      sb.append("(no text)");
    } else if (rawText.length() <= RAW_IN_MESSAGE) {
      sb.append(rawText);
    } else {
      sb.append(rawText, 0, RAW_IN_MESSAGE)
          .append("... (")
          .append(rawText.length())
          .append(" characters)");
    }
    return sb.toString();
  }
}
