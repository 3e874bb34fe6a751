package io.sygra.llm.internal.client;

import io.sygra.llm.CallContext;
import io.sygra.llm.ChatRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What happened to one logical call on its way through the decorators: how many attempts were made,
 * which failures they met, whether the cache answered. Attached to the request as a tag by the
 * metrics decorator and filled in by the retry and cache decorators. Thread-safe.
 */
public final class CallTrace {
  private final String node;
  private final AtomicInteger attempts = new AtomicInteger();
  private final List<String> attemptFailures = new ArrayList<>();
  private volatile boolean cacheHit;

  public CallTrace(String node) {
    this.node = node;
  }

  /** The trace attached to {@code request}, or null. */
  public static CallTrace of(ChatRequest request) {
    return request.tag(CallTrace.class);
  }

  /** A request carrying a fresh trace for the node named by its {@link CallContext}, if any. */
  public static ChatRequest attach(ChatRequest request, CallTrace trace) {
    return request.newBuilder().tag(CallTrace.class, trace).build();
  }

  public String node() {
    return node;
  }

  public void attemptStarted() {
    attempts.incrementAndGet();
  }

  public synchronized void attemptFailed(Throwable t) {
    attemptFailures.add(t.getClass().getSimpleName());
  }

  public void cacheHit() {
    cacheHit = true;
  }

  public int attempts() {
    return attempts.get();
  }

  public boolean wasCacheHit() {
    return cacheHit;
  }

  /** Simple class names of the failures met by attempts, in order. */
  public synchronized List<String> attemptFailures() {
    return List.copyOf(attemptFailures);
  }
}
