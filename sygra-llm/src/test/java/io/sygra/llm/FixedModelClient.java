package io.sygra.llm;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/** A model that answers every request with the text of its last message, counting calls. */
class FixedModelClient implements ModelClient {
  final AtomicInteger calls = new AtomicInteger();
  private final boolean fail;

  FixedModelClient(boolean fail) {
    this.fail = fail;
  }

  @Override
  public CompletableFuture<ChatResponse> chat(ChatRequest request) {
    calls.incrementAndGet();
    if (fail) {
      return CompletableFuture.failedFuture(
          new ModelException(
              "fixed", request.model(), -1, null, "must not be called", false, null));
    }
    String last = request.messages().get(request.messages().size() - 1).text();
    return CompletableFuture.completedFuture(
        new ChatResponse(
            "echo: " + last,
            null,
            "stop",
            null,
            new Usage(3, 2, 5, null, null),
            "fixed-model",
            "req-" + calls.get(),
            Duration.ofMillis(5),
            "fixed"));
  }

  @Override
  public String provider() {
    return "fixed";
  }
}
