package io.sygra.llm;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * A chat model endpoint. Implementations are thread-safe and non-blocking: {@link #chat} returns at
 * once and completes on an I/O thread, so thousands of calls can be in flight on a few threads.
 * Decorators (retry, rate limits, caching, metrics) wrap a client and are clients themselves, in
 * the manner of OkHttp interceptors.
 *
 * <p>Failures complete the future with a {@link ModelException}, whose {@link
 * ModelException#retryable()} tells whether trying again could help.
 */
public interface ModelClient extends AutoCloseable {

  /** Sends one chat request. */
  CompletableFuture<ChatResponse> chat(ChatRequest request);

  /**
   * Sends one chat request and waits for the reply.
   *
   * @throws ModelException when the call fails
   */
  default ChatResponse chatBlocking(ChatRequest request) {
    try {
      return chat(request).join();
    } catch (CompletionException | CancellationException e) {
      Throwable c = e.getCause() == null ? e : e.getCause();
      if (c instanceof RuntimeException re) {
        throw re;
      }
      throw new ModelException(provider(), request.model(), -1, null, c.toString(), false, c);
    }
  }

  /** Provider name, e.g. {@code openai}; never contains secrets. */
  String provider();

  /**
   * A view of this client that attributes its calls to {@code node} (for per-node metrics in {@code
   * report.json}). The view shares this client's connections, limits, cache and metrics; closing
   * the view does nothing. Calls through the view carry a {@link CallContext} tag.
   *
   * @throws IllegalArgumentException when {@code node} is blank
   */
  default ModelClient forNode(String node) {
    return new NodeScopedModelClient(this, CallContext.forNode(node));
  }

  /** Releases connections and threads owned by this client. */
  @Override
  default void close() {}
}
