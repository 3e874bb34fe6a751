package io.sygra.spark.internal;

import io.sygra.core.run.RecordReader;
import io.sygra.core.run.Source;
import io.sygra.core.run.SourceException;
import io.sygra.core.run.SourceRecord;
import java.util.NoSuchElementException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A pipeline source fed by the Spark task thread, which alone may consume Spark's input iterator
 * (upstream operators use the task's thread-local context). Bounded, so memory stays within the
 * concurrency window however large the partition. Opened once.
 */
final class QueueSource implements Source {
  private static final Object END = new Object();

  /** Ends the input with an error: the pipeline finishes the records in flight and aborts. */
  private record Abort(String why) {}

  /** An input record that could not be read; the pipeline applies its bad-record policy. */
  private record Bad(SourceException error) {}

  private final BlockingQueue<Object> queue;
  private final String description;
  private boolean opened;

  QueueSource(int capacity, String description) {
    this.queue = new ArrayBlockingQueue<>(capacity);
    this.description = description;
  }

  /** Offers a record, waiting up to {@code millis}; false when the queue stayed full. */
  boolean offer(SourceRecord record, long millis) throws InterruptedException {
    return queue.offer(record, millis, TimeUnit.MILLISECONDS);
  }

  /** Offers an unreadable record. */
  boolean offerBad(SourceException error, long millis) throws InterruptedException {
    return queue.offer(new Bad(error), millis, TimeUnit.MILLISECONDS);
  }

  /**
   * Ends the input after the records already queued, normally when {@code abortReason} is null,
   * else with an abort (the pipeline finishes those records, then stops). Waits up to {@code
   * millis} for room; false when the queue stayed full.
   */
  boolean finish(String abortReason, long millis) throws InterruptedException {
    Object marker = abortReason == null ? END : new Abort(abortReason);
    return queue.offer(marker, millis, TimeUnit.MILLISECONDS);
  }

  /** Drops the queued records and ends the input with an abort at once (the task was killed). */
  void abortNow(String reason) {
    queue.clear();
    Object marker = new Abort(reason);
    while (!queue.offer(marker)) {
      queue.poll(); // only if the reader refilled it meanwhile; the input is over anyway
    }
  }

  @Override
  public synchronized RecordReader open() {
    if (opened) {
      throw new IllegalStateException(description + " can be read once");
    }
    opened = true;
    return new RecordReader() {
      private Object next;
      private boolean ended;

      @Override
      public boolean hasNext() {
        if (next != null) {
          return true;
        }
        if (ended) {
          return false;
        }
        Object o;
        try {
          o = queue.take();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          ended = true;
          throw new SourceException(description, "interrupted while waiting for input", false, e);
        }
        if (o == END) {
          ended = true;
          return false;
        }
        if (o instanceof Abort a) {
          ended = true;
          throw new SourceException(description, a.why(), false);
        }
        next = o;
        return true;
      }

      @Override
      public SourceRecord next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        Object o = next;
        next = null;
        if (o instanceof Bad b) {
          throw b.error();
        }
        return (SourceRecord) o;
      }

      @Override
      public void close() {}
    };
  }

  @Override
  public String describe() {
    return description;
  }
}
