package io.sygra.llm.internal.client;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * An asynchronous concurrency limit that adapts like TCP congestion control (additive increase,
 * multiplicative decrease). Callers get a future {@link Permit}; when the limit is reached they
 * queue in FIFO order without holding a thread.
 *
 * <p>Each success adds {@code 1/limit} (so about +1 per limit's worth of successes); an overload
 * signal (429) multiplies the limit by the decrease factor, but only once per wave: a permit
 * acquired before the last decrease cannot decrease again, so a burst of 429s from requests sent
 * together shrinks the limit once. An overload with a server-given wait also pauses new grants
 * until the wait is over.
 */
public final class AimdLimiter {
  private final int min;
  private final int max;
  private final double decrease;
  private final ScheduledExecutorService scheduler;
  private final LongSupplier nanoTime;

  private final ArrayDeque<CompletableFuture<Permit>> waiters = new ArrayDeque<>();
  private double limit;
  private int inFlight;
  private long epoch;
  private long pausedUntil;
  private boolean resumeScheduled;

  public AimdLimiter(
      int min,
      int max,
      int initial,
      double decrease,
      ScheduledExecutorService scheduler,
      LongSupplier nanoTime) {
    this.min = min;
    this.max = max;
    this.limit = initial;
    this.decrease = decrease;
    this.scheduler = scheduler;
    this.nanoTime = nanoTime;
  }

  /** How a permit's call ended. */
  public enum Outcome {
    /** The call succeeded: grow the limit. */
    SUCCESS,
    /** The server signalled overload (429): shrink the limit. */
    OVERLOAD,
    /** Neither (client error, cancelled, other failure): leave the limit alone. */
    NEUTRAL
  }

  /** A granted slot; release exactly once. */
  public final class Permit {
    private final long grantedEpoch;
    private boolean released;

    private Permit(long grantedEpoch) {
      this.grantedEpoch = grantedEpoch;
    }

    /** Frees the slot; {@code pause} (nullable, nanos) stops new grants for that long. */
    public void release(Outcome outcome, long pauseNanos) {
      List<CompletableFuture<Permit>> grant;
      synchronized (AimdLimiter.this) {
        if (released) {
          return;
        }
        released = true;
        inFlight--;
        switch (outcome) {
          case SUCCESS -> limit = Math.min(max, limit + 1.0 / Math.max(1.0, limit));
          case OVERLOAD -> {
            if (grantedEpoch == epoch) {
              limit = Math.max(min, limit * decrease);
              epoch++;
            }
            if (pauseNanos > 0) {
              pausedUntil = Math.max(pausedUntil, nanoTime.getAsLong() + pauseNanos);
            }
          }
          case NEUTRAL -> {}
        }
        grant = drainLocked();
      }
      complete(grant);
    }
  }

  /** A permit, at once when a slot is free and nobody waits, else when one frees up. */
  public CompletableFuture<Permit> acquire() {
    CompletableFuture<Permit> f = new CompletableFuture<>();
    List<CompletableFuture<Permit>> grant;
    synchronized (this) {
      waiters.addLast(f);
      grant = drainLocked();
    }
    complete(grant);
    return f;
  }

  /** The current limit (whole slots). */
  public synchronized int limit() {
    return (int) Math.floor(limit);
  }

  public synchronized int inFlight() {
    return inFlight;
  }

  public synchronized int queued() {
    return waiters.size();
  }

  private List<CompletableFuture<Permit>> drainLocked() {
    List<CompletableFuture<Permit>> grant = null;
    long now = nanoTime.getAsLong();
    if (pausedUntil - now > 0) {
      if (!waiters.isEmpty() && !resumeScheduled) {
        resumeScheduled = true;
        scheduler.schedule(this::resume, pausedUntil - now, TimeUnit.NANOSECONDS);
      }
      return List.of();
    }
    while (!waiters.isEmpty() && inFlight < Math.max(1, (int) Math.floor(limit))) {
      CompletableFuture<Permit> w = waiters.pollFirst();
      if (w.isDone()) {
        continue; // cancelled while waiting
      }
      inFlight++;
      if (grant == null) {
        grant = new ArrayList<>();
      }
      grant.add(w);
    }
    return grant == null ? List.of() : grant;
  }

  private void resume() {
    List<CompletableFuture<Permit>> grant;
    synchronized (this) {
      resumeScheduled = false;
      grant = drainLocked();
    }
    complete(grant);
  }

  private void complete(List<CompletableFuture<Permit>> grant) {
    for (CompletableFuture<Permit> w : grant) {
      Permit p;
      synchronized (this) {
        p = new Permit(epoch);
      }
      if (!w.complete(p)) {
        p.release(Outcome.NEUTRAL, 0); // the waiter gave up meanwhile
      }
    }
  }
}
