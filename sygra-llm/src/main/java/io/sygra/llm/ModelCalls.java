package io.sygra.llm;

import io.sygra.core.NodeContext;
import io.sygra.llm.internal.NodeMetrics;
import io.sygra.llm.internal.ReplyPrompts;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Model calls as the LLM nodes make them: timed and counted per node, and for structured output the
 * parse-check-re-ask loop. Everything is chained on the client's futures; nothing blocks.
 * Continuations that do CPU work (parsing, validation, building the next request) run on the run's
 * executor, never on the client's I/O threads.
 */
final class ModelCalls {
  private ModelCalls() {}

  /** One call, recorded in {@code metrics} under the node's name. */
  static CompletableFuture<ChatResponse> call(
      ModelClient client, ChatRequest request, NodeMetrics metrics, String node) {
    if (request.tag(CallContext.class) == null) {
      // Lets metrics decorators around the client attribute the call to this node.
      request = request.newBuilder().tag(CallContext.class, CallContext.forNode(node)).build();
    }
    long t0 = System.nanoTime();
    CompletableFuture<ChatResponse> f;
    try {
      f = client.chat(request);
      if (f == null) {
        f =
            CompletableFuture.failedFuture(
                new NullPointerException(client.provider() + " client returned a null future"));
      }
    } catch (RuntimeException e) {
      f = CompletableFuture.failedFuture(e);
    }
    return f.whenComplete(
        (r, e) ->
            metrics.call(node, e == null && r != null ? r.usage() : null, System.nanoTime() - t0));
  }

  /**
   * The outcome of a structured call.
   *
   * @param value the typed value
   * @param json the checked plain JSON value
   * @param response the last (accepted) response
   * @param attempts replies tried, at least 1
   * @param usage token usage summed over all attempts
   */
  record Structured<T>(T value, Object json, ChatResponse response, int attempts, Usage usage) {}

  /**
   * Asks for structured output, re-asking with the problems appended as a user turn until a reply
   * parses and validates or {@code maxAttempts} replies were tried; then fails with a {@link
   * StructuredOutputException} naming the node and record, with the last raw reply attached.
   */
  static <T> CompletableFuture<Structured<T>> structured(
      ModelClient client,
      ChatRequest request,
      StructuredOutput<T> spec,
      int maxAttempts,
      NodeMetrics metrics,
      NodeContext ctx) {
    return attempt(client, request, spec, maxAttempts, metrics, ctx, 1, Usage.NONE);
  }

  private static <T> CompletableFuture<Structured<T>> attempt(
      ModelClient client,
      ChatRequest request,
      StructuredOutput<T> spec,
      int maxAttempts,
      NodeMetrics metrics,
      NodeContext ctx,
      int attempt,
      Usage acc) {
    String node = ctx.node();
    return call(client, request, metrics, node)
        .thenComposeAsync(
            resp -> {
              Usage total = acc.plus(resp.usage());
              StructuredOutputException failure;
              try {
                StructuredOutput.Parsed<T> p = spec.parsed(resp.text());
                return CompletableFuture.completedFuture(
                    new Structured<>(p.value(), p.json(), resp, attempt, total));
              } catch (StructuredOutputException e) {
                failure = e;
              }
              if (attempt >= maxAttempts) {
                metrics.structuredFailure(node);
                return CompletableFuture.failedFuture(failure.in(node, ctx.recordId(), attempt));
              }
              metrics.reask(node);
              ChatRequest next =
                  request
                      .newBuilder()
                      .addMessage(ChatMessage.assistant(resp.text() == null ? "" : resp.text()))
                      .addMessage(ChatMessage.user(ReplyPrompts.reask(failure.problems())))
                      .build();
              return attempt(client, next, spec, maxAttempts, metrics, ctx, attempt + 1, total);
            },
            ctx.executor());
  }

  /**
   * Adds format instructions for providers without native structured output: appended to the last
   * user message when it is plain text, otherwise as a new user message.
   */
  static List<ChatMessage> withFormatInstructions(List<ChatMessage> messages, String instructions) {
    List<ChatMessage> out = new ArrayList<>(messages);
    int last = out.size() - 1;
    if (last >= 0
        && out.get(last).role() == ChatMessage.Role.USER
        && !out.get(last).isMultimodal()
        && out.get(last).text() != null) {
      out.set(last, ChatMessage.user(out.get(last).text() + "\n\n" + instructions));
    } else {
      out.add(ChatMessage.user(instructions));
    }
    return out;
  }

  /** A usage summary for state: prompt, completion and total tokens and the number of calls. */
  static Map<String, Object> usageMap(Usage u, int calls) {
    Map<String, Object> m = new LinkedHashMap<>(8);
    m.put("promptTokens", u.promptTokens());
    m.put("completionTokens", u.completionTokens());
    m.put("totalTokens", u.totalTokens());
    m.put("calls", calls);
    return m;
  }

  /** The cause inside a CompletionException, for user-facing rethrow. */
  static Throwable unwrap(Throwable t) {
    while (t instanceof CompletionException && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  /** Fails when a reply that should carry text has none. */
  static String requireText(ChatResponse r, NodeContext ctx) {
    if (r.text() == null) {
      throw new ModelException(
          r.provider(),
          r.model(),
          -1,
          r.requestId(),
          "node '"
              + ctx.node()
              + "' (record '"
              + ctx.recordId()
              + "'): the reply has no text (finish reason "
              + r.finishReason()
              + (r.toolCalls().isEmpty() ? "" : ", " + r.toolCalls().size() + " tool calls")
              + ")",
          true,
          null);
    }
    return r.text();
  }
}
