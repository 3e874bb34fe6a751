package io.sygra.llm.internal.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AimdLimiterTest {
  private final ScheduledExecutorService timer = new ScheduledThreadPoolExecutor(1);
  private final AtomicLong now = new AtomicLong();

  @AfterEach
  void stop() {
    timer.shutdownNow();
  }

  private AimdLimiter limiter(int min, int max, int initial) {
    return new AimdLimiter(min, max, initial, 0.5, timer, now::get);
  }

  @Test
  void grantsUpToTheLimitThenQueuesInOrder() {
    AimdLimiter l = limiter(1, 4, 2);
    CompletableFuture<AimdLimiter.Permit> a = l.acquire();
    CompletableFuture<AimdLimiter.Permit> b = l.acquire();
    CompletableFuture<AimdLimiter.Permit> c = l.acquire();
    CompletableFuture<AimdLimiter.Permit> d = l.acquire();
    assertThat(a).isDone();
    assertThat(b).isDone();
    assertThat(c).isNotDone();
    assertThat(l.queued()).isEqualTo(2);
    a.join().release(AimdLimiter.Outcome.NEUTRAL, 0);
    assertThat(c).isDone();
    assertThat(d).isNotDone();
  }

  @Test
  void oneWaveOf429sHalvesOnce() {
    AimdLimiter l = limiter(1, 16, 16);
    List<AimdLimiter.Permit> wave = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      wave.add(l.acquire().join());
    }
    wave.forEach(p -> p.release(AimdLimiter.Outcome.OVERLOAD, 0));
    assertThat(l.limit()).isEqualTo(8); // not 16 / 2^8

    AimdLimiter.Permit later = l.acquire().join();
    later.release(AimdLimiter.Outcome.OVERLOAD, 0);
    assertThat(l.limit()).isEqualTo(4); // a permit from after the decrease may decrease again
  }

  @Test
  void neverBelowMinimumAndGrowsAdditively() {
    AimdLimiter l = limiter(2, 10, 2);
    l.acquire().join().release(AimdLimiter.Outcome.OVERLOAD, 0);
    assertThat(l.limit()).isEqualTo(2);
    for (int i = 0; i < 5; i++) {
      l.acquire().join().release(AimdLimiter.Outcome.SUCCESS, 0);
    }
    // +1/2 per success from 2: 2.5, 2.9, 3.24, 3.55, 3.83
    assertThat(l.limit()).isEqualTo(3);
    for (int i = 0; i < 200; i++) {
      l.acquire().join().release(AimdLimiter.Outcome.SUCCESS, 0);
    }
    assertThat(l.limit()).isEqualTo(10);
  }

  @Test
  void overloadWithAWaitPausesGrantsUntilItPasses() throws Exception {
    AimdLimiter l = limiter(1, 4, 4);
    l.acquire().join().release(AimdLimiter.Outcome.OVERLOAD, TimeUnit.MILLISECONDS.toNanos(50));
    CompletableFuture<AimdLimiter.Permit> waiting = l.acquire();
    assertThat(waiting).isNotDone();
    now.addAndGet(TimeUnit.MILLISECONDS.toNanos(60));
    assertThat(waiting.get(2, TimeUnit.SECONDS)).isNotNull();
  }

  @Test
  void aCancelledWaiterDoesNotLeakItsSlot() {
    AimdLimiter l = limiter(1, 1, 1);
    AimdLimiter.Permit held = l.acquire().join();
    CompletableFuture<AimdLimiter.Permit> gaveUp = l.acquire();
    CompletableFuture<AimdLimiter.Permit> next = l.acquire();
    gaveUp.cancel(false);
    held.release(AimdLimiter.Outcome.NEUTRAL, 0);
    assertThat(next).isDone();
    assertThat(l.inFlight()).isEqualTo(1);
  }

  @Test
  void releasingTwiceCountsOnce() {
    AimdLimiter l = limiter(1, 2, 2);
    AimdLimiter.Permit p = l.acquire().join();
    p.release(AimdLimiter.Outcome.NEUTRAL, 0);
    p.release(AimdLimiter.Outcome.NEUTRAL, 0);
    assertThat(l.inFlight()).isZero();
  }
}
