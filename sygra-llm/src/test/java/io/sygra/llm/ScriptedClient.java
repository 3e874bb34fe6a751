package io.sygra.llm;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * A {@link ModelClient} that answers from a script, completing on a separate "I/O" thread as a real
 * client would, and records every request and the thread that completed it.
 */
final class ScriptedClient implements ModelClient {
  private final Deque<Function<ChatRequest, ChatResponse>> script = new ArrayDeque<>();
  private final List<ChatRequest> requests = new ArrayList<>();
  private final String provider;

  ScriptedClient() {
    this("scripted");
  }

  ScriptedClient(String provider) {
    this.provider = provider;
  }

  /** Queues a text reply. */
  synchronized ScriptedClient reply(String text) {
    script.add(r -> text(text, r));
    return this;
  }

  /** Queues a reply asking for tool calls. */
  synchronized ScriptedClient toolCalls(ToolCall... calls) {
    script.add(
        r ->
            new ChatResponse(
                null,
                List.of(calls),
                "tool_calls",
                null,
                usage(),
                r.model(),
                "req",
                null,
                provider));
    return this;
  }

  /** Queues a failure. */
  synchronized ScriptedClient fail(RuntimeException e) {
    script.add(
        r -> {
          throw e;
        });
    return this;
  }

  /** Queues a computed reply. */
  synchronized ScriptedClient answer(Function<ChatRequest, ChatResponse> fn) {
    script.add(fn);
    return this;
  }

  ChatResponse text(String text, ChatRequest r) {
    return new ChatResponse(
        text, List.of(), "stop", null, usage(), r.model(), "req", null, provider);
  }

  static Usage usage() {
    return new Usage(10, 5, 15, null, null);
  }

  synchronized List<ChatRequest> requests() {
    return List.copyOf(requests);
  }

  synchronized ChatRequest lastRequest() {
    return requests.get(requests.size() - 1);
  }

  @Override
  public CompletableFuture<ChatResponse> chat(ChatRequest request) {
    Function<ChatRequest, ChatResponse> step;
    synchronized (this) {
      requests.add(request);
      step = script.poll();
    }
    if (step == null) {
      return CompletableFuture.failedFuture(
          new ModelException(provider, request.model(), -1, null, "script exhausted", false, null));
    }
    return CompletableFuture.supplyAsync(() -> step.apply(request), NodeTestContext.IO);
  }

  @Override
  public String provider() {
    return provider;
  }
}
