package io.sygra.llm;

import io.sygra.core.run.ReportContributor;
import io.sygra.llm.internal.client.CallTrace;
import io.sygra.llm.internal.client.ResilienceEngine;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/** The client returned by {@link ModelMetrics#wrap}: records each call, then completes. */
final class MeteredModelClient implements ModelClient, ReportContributor {
  private final ModelClient delegate;
  private final ModelMetrics metrics;
  private final String label;

  MeteredModelClient(ModelClient delegate, ModelMetrics metrics, String label) {
    this.delegate = delegate;
    this.metrics = metrics;
    this.label = label;
  }

  @Override
  public CompletableFuture<ChatResponse> chat(ChatRequest request) {
    Objects.requireNonNull(request, "request");
    CallContext ctx = CallContext.of(request);
    CallTrace trace = new CallTrace(ctx == null ? null : ctx.node());
    String model = request.model() != null ? request.model() : label;
    long start = System.nanoTime();
    CompletableFuture<ChatResponse> out = new CompletableFuture<>();
    CompletableFuture<ChatResponse> inner;
    try {
      inner = delegate.chat(CallTrace.attach(request, trace));
    } catch (RuntimeException e) {
      inner = CompletableFuture.failedFuture(e);
    }
    CompletableFuture<ChatResponse> source = inner;
    out.whenComplete(
        (r, t) -> {
          if (out.isCancelled()) {
            source.cancel(true);
          }
        });
    inner.whenComplete(
        (r, t) -> {
          Throwable cause = t == null ? null : ResilienceEngine.unwrap(t);
          try {
            metrics.record(model, delegate.provider(), trace, r, cause, System.nanoTime() - start);
          } finally {
            // recorded first, so a caller who sees the result also sees it counted
            if (cause == null) {
              out.complete(r);
            } else {
              out.completeExceptionally(cause);
            }
          }
        });
    return out;
  }

  @Override
  public String provider() {
    return delegate.provider();
  }

  @Override
  public void close() {
    delegate.close();
  }

  @Override
  public void contribute(Map<String, Object> sections) {}

  @Override
  public List<ReportContributor> children() {
    return delegate instanceof ReportContributor rc ? List.of(metrics, rc) : List.of(metrics);
  }

  @Override
  public String toString() {
    return "MeteredModelClient[" + delegate + "]";
  }
}
