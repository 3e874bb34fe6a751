package io.sygra.spark.internal;

import io.sygra.spark.PartitionException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Exclusive ownership of a partition directory by one task attempt: a set of held directories
 * within this JVM (file locks cannot tell two threads of one JVM apart) plus an OS file lock on
 * {@code .lock} across JVMs. The OS drops the file lock when a process dies, so a retry after a
 * lost executor is not blocked. A second attempt of the same partition (speculation, or a retry
 * while the first attempt is still finishing its in-flight records) waits here, and then resumes
 * from what the first attempt recorded instead of paying for the same calls again.
 */
public final class PartitionLock implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PartitionLock.class);
  private static final Set<Path> HELD = ConcurrentHashMap.newKeySet();
  private static final long POLL_MILLIS = 100;

  private final Path dir;
  private final FileChannel channel;
  private final FileLock lock;
  private boolean released;

  private PartitionLock(Path dir, FileChannel channel, FileLock lock) {
    this.dir = dir;
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * Acquires the lock of {@code dir} (created if absent), waiting while another attempt holds it.
   *
   * @param killed polled while waiting; when it turns true the wait is abandoned
   * @throws PartitionException on timeout, when killed, or when the lock file cannot be opened
   */
  public static PartitionLock acquire(
      Path dir, Duration timeout, BooleanSupplier killed, String who) {
    Path key = dir.toAbsolutePath().normalize();
    long deadline = System.nanoTime() + timeout.toNanos();
    boolean logged = false;
    while (true) {
      if (HELD.add(key)) {
        try {
          Files.createDirectories(key);
          FileChannel ch =
              FileChannel.open(
                  key.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
          FileLock fl;
          try {
            fl = ch.tryLock();
          } catch (IOException | OverlappingFileLockException e) {
            ch.close();
            throw e;
          }
          if (fl != null) {
            return new PartitionLock(key, ch, fl);
          }
          ch.close();
        } catch (IOException | RuntimeException e) {
          HELD.remove(key);
          throw new PartitionException(
              who, key, "cannot lock the partition directory: " + e.getMessage(), e);
        }
        HELD.remove(key);
      }
      if (!logged) {
        LOG.info("{}: waiting for another attempt to release {}", who, key);
        logged = true;
      }
      if (killed.getAsBoolean()) {
        throw new PartitionException(who, key, "killed while waiting for the partition lock", null);
      }
      if (System.nanoTime() > deadline) {
        throw new PartitionException(
            who,
            key,
            "another attempt has held the partition for more than "
                + timeout
                + " (raise SparkRunOptions.partitionLockTimeout, or remove a stale .lock on a"
                + " filesystem that does not release locks of dead processes)",
            null);
      }
      try {
        Thread.sleep(POLL_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new PartitionException(who, key, "interrupted while waiting for the lock", e);
      }
    }
  }

  /** The locked directory. */
  public Path directory() {
    return dir;
  }

  /** Releases the lock. Idempotent. */
  @Override
  public synchronized void close() {
    if (released) {
      return;
    }
    released = true;
    try {
      lock.release();
      channel.close();
    } catch (IOException e) {
      LOG.warn("releasing the lock of {}: {}", dir, e.toString());
    } finally {
      HELD.remove(dir);
    }
  }
}
