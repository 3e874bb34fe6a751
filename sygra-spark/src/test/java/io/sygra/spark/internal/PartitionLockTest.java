package io.sygra.spark.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sygra.spark.PartitionException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PartitionLockTest {
  @TempDir Path tmp;

  @Test
  void aSecondOwnerWaitsUntilTheFirstReleases() throws Exception {
    Path dir = tmp.resolve("part-00000-of-00001");
    PartitionLock first = PartitionLock.acquire(dir, Duration.ofSeconds(5), () -> false, "a0");
    AtomicBoolean acquired = new AtomicBoolean();
    CountDownLatch done = new CountDownLatch(1);
    Thread second =
        new Thread(
            () -> {
              try (PartitionLock l =
                  PartitionLock.acquire(dir, Duration.ofSeconds(20), () -> false, "a1")) {
                acquired.set(l.directory().equals(first.directory()));
              }
              done.countDown();
            });
    second.start();

    assertThat(done.await(500, TimeUnit.MILLISECONDS)).as("blocked while held").isFalse();
    assertThat(acquired).isFalse();
    first.close();
    assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(acquired).isTrue();
  }

  @Test
  void waitingEndsWithAnErrorAfterTheTimeout() {
    Path dir = tmp.resolve("p");
    try (PartitionLock held =
        PartitionLock.acquire(dir, Duration.ofSeconds(5), () -> false, "a0")) {
      assertThatThrownBy(
              () -> PartitionLock.acquire(dir, Duration.ofMillis(300), () -> false, "a1"))
          .isInstanceOf(PartitionException.class)
          .hasMessageContaining("a1")
          .hasMessageContaining("held the partition for more than");
      assertThat(held.directory()).isEqualTo(dir.toAbsolutePath().normalize());
    }
  }

  @Test
  void closingTwiceIsHarmlessAndTheLockCanBeTakenAgain() {
    Path dir = tmp.resolve("q");
    PartitionLock l = PartitionLock.acquire(dir, Duration.ofSeconds(1), () -> false, "a0");
    l.close();
    l.close();
    PartitionLock.acquire(dir, Duration.ofSeconds(1), () -> false, "a1").close();
    assertThat(dir.resolve(".lock")).exists();
  }
}
