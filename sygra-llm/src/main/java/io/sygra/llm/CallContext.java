package io.sygra.llm;

/**
 * Who a model call is made for, attached to a {@link ChatRequest} as a tag ({@code
 * request.tag(CallContext.class)}). Decorators such as {@link ModelMetrics} read it to attribute
 * requests, tokens and cost to a graph node. Never sent to the server; no part of cache keys.
 *
 * <p>Usually attached for you by {@link ModelClient#forNode(String)}.
 *
 * @param node the graph node name, never blank
 */
public record CallContext(String node) {
  public CallContext {
    if (node == null || node.isBlank()) {
      throw new IllegalArgumentException("node must not be blank, was '" + node + "'");
    }
  }

  /** The context of calls made for {@code node}. */
  public static CallContext forNode(String node) {
    return new CallContext(node);
  }

  /** The context attached to {@code request}, or null. */
  public static CallContext of(ChatRequest request) {
    return request.tag(CallContext.class);
  }
}
