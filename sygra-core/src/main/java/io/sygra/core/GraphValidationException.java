package io.sygra.core;

import java.util.List;

/**
 * Thrown by {@link Graph.Builder#build()} when the graph is invalid. The message lists every
 * problem found, each naming the node or edge at fault, so one build reports all mistakes at once.
 */
public final class GraphValidationException extends SygraException {
  private static final long serialVersionUID = 1L;

  private final List<String> problems;

  /** Every problem {@code build()} found in graph {@code graphName}, one message each. */
  public GraphValidationException(String graphName, List<String> problems) {
    super(format(graphName, problems));
    this.problems = List.copyOf(problems);
  }

  /** Every problem found, one sentence each. */
  public List<String> problems() {
    return problems;
  }

  private static String format(String graphName, List<String> problems) {
    StringBuilder sb = new StringBuilder("invalid graph '").append(graphName).append("': ");
    if (problems.size() == 1) {
      return sb.append(problems.get(0)).toString();
    }
    sb.append(problems.size()).append(" problems");
    for (String p : problems) {
      sb.append("\n  - ").append(p);
    }
    return sb.toString();
  }
}
