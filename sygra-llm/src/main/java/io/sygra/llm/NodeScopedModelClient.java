package io.sygra.llm;

import io.sygra.core.run.ReportContributor;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/** The view returned by {@link ModelClient#forNode(String)}: tags each request with the node. */
final class NodeScopedModelClient implements ModelClient, ReportContributor {
  private final ModelClient delegate;
  private final CallContext context;

  NodeScopedModelClient(ModelClient delegate, CallContext context) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
    this.context = Objects.requireNonNull(context, "context");
  }

  @Override
  public CompletableFuture<ChatResponse> chat(ChatRequest request) {
    if (request.tag(CallContext.class) != null) {
      return delegate.chat(request); // an explicit per-call context wins
    }
    return delegate.chat(request.newBuilder().tag(CallContext.class, context).build());
  }

  @Override
  public String provider() {
    return delegate.provider();
  }

  @Override
  public ModelClient forNode(String node) {
    return new NodeScopedModelClient(delegate, CallContext.forNode(node));
  }

  /** Does nothing: the view does not own the shared client. */
  @Override
  public void close() {}

  @Override
  public void contribute(Map<String, Object> sections) {}

  @Override
  public List<ReportContributor> children() {
    return delegate instanceof ReportContributor rc ? List.of(rc) : List.of();
  }

  @Override
  public String toString() {
    return "ModelClient[" + delegate + " for node " + context.node() + "]";
  }
}
