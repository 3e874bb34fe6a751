package io.sygra.llm.internal.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The rolling-window budget with a hand-moved time source. */
class RateBudgetTest {
  private final ScheduledExecutorService timer = new ScheduledThreadPoolExecutor(1);
  private final AtomicLong now = new AtomicLong(1_000_000_000L);

  @AfterEach
  void stop() {
    timer.shutdownNow();
  }

  private RateBudget budget(int requests, long tokens) {
    return new RateBudget(requests, tokens, Duration.ofSeconds(60), timer, now::get);
  }

  private void advance(Duration d) {
    now.addAndGet(d.toNanos());
  }

  @Test
  void requestLimitHoldsForAnyWindowPosition() {
    RateBudget b = budget(2, 0);
    assertThat(b.acquire(0)).isDone();
    advance(Duration.ofSeconds(30));
    assertThat(b.acquire(0)).isDone();
    CompletableFuture<RateBudget.Reservation> third = b.acquire(0);
    assertThat(third).isNotDone();
    advance(Duration.ofSeconds(29));
    assertThat(b.requestsInWindow()).isEqualTo(2);
    advance(Duration.ofSeconds(1)); // the first request leaves the window
    assertThat(b.requestsInWindow()).isEqualTo(1);
    b.acquire(0).cancel(false); // any later call drains the queue
    assertThat(third).isDone();
  }

  @Test
  void settlingBelowTheEstimateReturnsTokensAtOnce() {
    RateBudget b = budget(0, 1000);
    RateBudget.Reservation first = b.acquire(800).join();
    CompletableFuture<RateBudget.Reservation> second = b.acquire(500);
    assertThat(second).isNotDone();
    first.settle(100);
    assertThat(second).isDone();
    assertThat(b.tokensInWindow()).isEqualTo(600);
  }

  @Test
  void settlingAboveTheEstimateChargesTheExcess() {
    RateBudget b = budget(0, 1000);
    b.acquire(100).join().settle(900);
    assertThat(b.tokensInWindow()).isEqualTo(900);
    assertThat(b.acquire(200)).isNotDone();
  }

  @Test
  void waitersAreServedInOrderSoLargeRequestsAreNotStarved() {
    RateBudget b = budget(0, 1000);
    RateBudget.Reservation r = b.acquire(900).join();
    CompletableFuture<RateBudget.Reservation> big = b.acquire(800);
    CompletableFuture<RateBudget.Reservation> small = b.acquire(50);
    assertThat(small).isNotDone(); // it would fit, but the big one is first in line
    r.settle(0);
    assertThat(big).isDone();
    assertThat(small).isDone();
  }

  @Test
  void aRequestLargerThanTheWholeBudgetWaitsForAnEmptyWindowInsteadOfForever() {
    RateBudget b = budget(0, 1000);
    b.acquire(10).join();
    CompletableFuture<RateBudget.Reservation> huge = b.acquire(5000);
    assertThat(huge).isNotDone();
    advance(Duration.ofSeconds(60));
    b.acquire(0).cancel(false);
    assertThat(huge).isDone();
    assertThat(huge.join().tokens()).isEqualTo(1000);
  }

  @Test
  void theTimerWakesWaitersWhenTheWindowMoves() throws Exception {
    RateBudget b = new RateBudget(1, 0, Duration.ofMillis(100), timer, System::nanoTime);
    b.acquire(0).join();
    CompletableFuture<RateBudget.Reservation> next = b.acquire(0);
    assertThat(next.get(2, TimeUnit.SECONDS)).isNotNull();
  }
}
