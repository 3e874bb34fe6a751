package io.sygra.llm.internal.client;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * A requests-and-tokens budget over a rolling window, enforced before sending: at most {@code
 * maxRequests} requests and {@code maxTokens} tokens start in any window of length {@code window}.
 * Callers reserve an estimate and later {@link Reservation#settle settle} it with the real usage,
 * returning unused tokens at once (or charging the excess).
 *
 * <p>Why not Resilience4j's {@code RateLimiter}: it hands out permits per fixed refresh cycle, so
 * two bursts on either side of a cycle boundary can reach twice the limit within one window, and a
 * permit can neither be weighted after the fact nor given back, which a token budget needs because
 * the real completion length is only known at the end. This class keeps a log of the requests
 * started in the current window (one entry per request, not per token), so its guarantee is exact
 * for any window position. Waiters queue in FIFO order (a large request is not starved by small
 * ones) and are woken by a timer on the shared scheduler; no thread blocks.
 */
public final class RateBudget {
  private final int maxRequests;
  private final long maxTokens;
  private final long windowNanos;
  private final ScheduledExecutorService scheduler;
  private final LongSupplier nanoTime;

  private final ArrayDeque<Entry> log = new ArrayDeque<>();
  private final ArrayDeque<Waiter> waiters = new ArrayDeque<>();
  private long tokensInWindow;
  private ScheduledFuture<?> wakeup;
  private long wakeupAt;

  private static final class Entry {
    final long time;
    long tokens;
    boolean evicted;

    Entry(long time, long tokens) {
      this.time = time;
      this.tokens = tokens;
    }
  }

  private record Waiter(long tokens, CompletableFuture<Reservation> future) {}

  private record Grant(CompletableFuture<Reservation> future, Reservation reservation) {}

  /** A reservation of one request and some tokens. */
  public final class Reservation {
    private final Entry entry;

    private Reservation(Entry entry) {
      this.entry = entry;
    }

    /** The tokens currently charged. */
    public long tokens() {
      synchronized (RateBudget.this) {
        return entry.tokens;
      }
    }

    /** Replaces the estimate by the actual count (which may be larger or smaller). */
    public void settle(long actualTokens) {
      List<Grant> granted;
      synchronized (RateBudget.this) {
        long actual = Math.max(0, actualTokens);
        if (!entry.evicted) {
          tokensInWindow += actual - entry.tokens;
        }
        entry.tokens = actual;
        granted = drainLocked();
      }
      complete(granted);
    }
  }

  /**
   * @param maxRequests requests per window, 0 = unlimited
   * @param maxTokens tokens per window, 0 = unlimited
   */
  public RateBudget(
      int maxRequests,
      long maxTokens,
      Duration window,
      ScheduledExecutorService scheduler,
      LongSupplier nanoTime) {
    this.maxRequests = maxRequests;
    this.maxTokens = maxTokens;
    this.windowNanos = window.toNanos();
    this.scheduler = scheduler;
    this.nanoTime = nanoTime;
  }

  public int maxRequests() {
    return maxRequests;
  }

  public long maxTokens() {
    return maxTokens;
  }

  /**
   * Reserves one request and {@code tokens} tokens; completes when the budget allows. A request
   * larger than the whole token budget is clamped to it (it waits for an empty window) rather than
   * waiting forever.
   */
  public CompletableFuture<Reservation> acquire(long tokens) {
    long t = Math.max(0, tokens);
    if (maxTokens > 0) {
      t = Math.min(t, maxTokens);
    }
    CompletableFuture<Reservation> f = new CompletableFuture<>();
    List<Grant> granted;
    synchronized (this) {
      waiters.addLast(new Waiter(t, f));
      granted = drainLocked();
    }
    complete(granted);
    return f;
  }

  /** Requests started in the current window. */
  public synchronized int requestsInWindow() {
    evictLocked(nanoTime.getAsLong());
    return log.size();
  }

  /** Tokens charged in the current window. */
  public synchronized long tokensInWindow() {
    evictLocked(nanoTime.getAsLong());
    return tokensInWindow;
  }

  public synchronized int queued() {
    return waiters.size();
  }

  private void evictLocked(long now) {
    while (!log.isEmpty() && now - log.peekFirst().time >= windowNanos) {
      Entry e = log.pollFirst();
      e.evicted = true;
      tokensInWindow -= e.tokens;
    }
  }

  private List<Grant> drainLocked() {
    long now = nanoTime.getAsLong();
    evictLocked(now);
    List<Grant> granted = null;
    while (!waiters.isEmpty()) {
      Waiter w = waiters.peekFirst();
      if (w.future.isDone()) {
        waiters.pollFirst(); // cancelled while waiting
        continue;
      }
      long wait = waitNanos(w.tokens, now);
      if (wait > 0) {
        scheduleWakeup(now, wait);
        break;
      }
      waiters.pollFirst();
      Entry e = new Entry(now, w.tokens);
      log.addLast(e);
      tokensInWindow += w.tokens;
      if (granted == null) {
        granted = new ArrayList<>();
      }
      granted.add(new Grant(w.future, new Reservation(e)));
    }
    return granted == null ? List.of() : granted;
  }

  /** Nanos until a request of {@code tokens} fits; 0 when it fits now. */
  private long waitNanos(long tokens, long now) {
    long wait = 0;
    if (maxRequests > 0 && log.size() + 1 > maxRequests) {
      Iterator<Entry> it = log.iterator();
      Entry e = null;
      for (int i = 0; i <= log.size() - maxRequests; i++) {
        e = it.next();
      }
      wait = Math.max(wait, e.time + windowNanos - now);
    }
    if (maxTokens > 0 && tokensInWindow + tokens > maxTokens) {
      long excess = tokensInWindow + tokens - maxTokens;
      long freed = 0;
      for (Entry e : log) {
        freed += e.tokens;
        if (freed >= excess) {
          wait = Math.max(wait, e.time + windowNanos - now);
          break;
        }
      }
    }
    return Math.max(0, wait);
  }

  private void scheduleWakeup(long now, long wait) {
    long at = now + wait;
    if (wakeup != null && !wakeup.isDone() && wakeupAt - at <= 0) {
      return; // an earlier wakeup is pending; it will reschedule
    }
    if (wakeup != null) {
      wakeup.cancel(false);
    }
    wakeupAt = at;
    wakeup = scheduler.schedule(this::wake, wait, TimeUnit.NANOSECONDS);
  }

  private void wake() {
    List<Grant> granted;
    synchronized (this) {
      wakeup = null;
      granted = drainLocked();
    }
    complete(granted);
  }

  /** Completes granted futures outside the lock; a waiter that gave up returns its share. */
  private void complete(List<Grant> granted) {
    for (Grant g : granted) {
      if (!g.future.complete(g.reservation)) {
        List<Grant> more;
        synchronized (this) {
          Entry e = g.reservation.entry;
          if (!e.evicted && log.remove(e)) {
            e.evicted = true;
            tokensInWindow -= e.tokens;
          }
          more = drainLocked();
        }
        complete(more);
      }
    }
  }
}
