package io.sygra.core.internal;

import io.sygra.core.run.Sink;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single thread that appends a run's outcomes to disk (or to a user sink). Producers hand over
 * finished lines from any thread; the writer drains everything queued, writes it, and flushes
 * before waiting again (group commit), so a record leaves the process's memory within one drain of
 * completing and {@code kill -9} loses at most the lines of the drain in progress. Every checkpoint
 * interval the files are also fsynced. The journal is flushed before the outputs in each drain, so
 * a fan-out's children are never on disk without the fan-out entry.
 */
public final class RunWriter implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RunWriter.class);

  /** Destination of an item. */
  public enum Kind {
    JOURNAL,
    OUTPUT,
    DROPPED,
    FAILED
  }

  private record Item(Kind kind, byte[] line, Map<String, Object> record) {}

  private static final Item POISON = new Item(null, null, null);

  private final LinkedBlockingQueue<Item> queue = new LinkedBlockingQueue<>();
  private final Map<Kind, FileOutputStream> files = new EnumMap<>(Kind.class);
  private final Map<Kind, java.io.BufferedOutputStream> buffers = new EnumMap<>(Kind.class);
  private final Sink sink;
  private final long syncNanos;
  private final Thread thread;
  private volatile Throwable failure;
  private long lastSync = System.nanoTime();
  private boolean dirty;

  /** Writes into a run directory's files. */
  public static RunWriter forDirectory(Path dir, long syncIntervalNanos) {
    return new RunWriter(dir, null, syncIntervalNanos);
  }

  /** Writes outputs to {@code sink}; drops, failures and journal entries are not persisted. */
  public static RunWriter forSink(Sink sink) {
    return new RunWriter(null, sink, Long.MAX_VALUE);
  }

  private RunWriter(Path dir, Sink sink, long syncNanos) {
    this.sink = sink;
    this.syncNanos = syncNanos;
    if (dir != null) {
      try {
        open(Kind.JOURNAL, dir.resolve(RunDirectory.JOURNAL));
        open(Kind.OUTPUT, dir.resolve(RunDirectory.OUTPUT));
        open(Kind.DROPPED, dir.resolve(RunDirectory.DROPPED));
        open(Kind.FAILED, dir.resolve(RunDirectory.FAILED));
      } catch (IOException e) {
        closeFiles();
        throw new UncheckedIOException("opening run files in " + dir, e);
      }
    }
    thread = new Thread(this::loop, "sygra-writer");
    thread.setDaemon(true);
    thread.start();
  }

  private void open(Kind kind, Path path) throws IOException {
    FileOutputStream fos = new FileOutputStream(path.toFile(), true);
    files.put(kind, fos);
    buffers.put(kind, new java.io.BufferedOutputStream(fos, 1 << 16));
  }

  /** Queues one JSON line (without the newline) for {@code kind}. */
  public void append(Kind kind, byte[] line) {
    checkHealthy();
    queue.add(new Item(kind, line, null));
  }

  /** Queues an output record for the sink (sink mode only). */
  public void appendRecord(Map<String, Object> record) {
    checkHealthy();
    queue.add(new Item(Kind.OUTPUT, null, record));
  }

  /** True when outputs go to a user sink rather than a run directory. */
  public boolean sinkMode() {
    return sink != null;
  }

  private void checkHealthy() {
    Throwable f = failure;
    if (f != null) {
      throw new UncheckedIOException(
          "the run's writer failed: " + f.getMessage(),
          f instanceof IOException io ? io : new IOException(f));
    }
  }

  private void loop() {
    List<Item> batch = new ArrayList<>(1024);
    boolean stop = false;
    try {
      while (!stop) {
        long waitNanos = Math.max(1_000_000, syncNanos - (System.nanoTime() - lastSync));
        Item first = queue.poll(Math.min(waitNanos, 200_000_000L), TimeUnit.NANOSECONDS);
        if (first != null) {
          batch.add(first);
          queue.drainTo(batch);
          for (Item it : batch) {
            if (it == POISON) {
              stop = true;
            } else {
              write(it);
            }
          }
          batch.clear();
          flush();
        }
        if (dirty && (stop || System.nanoTime() - lastSync >= syncNanos)) {
          sync();
        }
      }
    } catch (Throwable t) {
      failure = t;
      LOG.error("run writer failed; no further outcomes are written", t);
    }
  }

  private void write(Item it) throws IOException {
    if (sink != null) {
      if (it.kind() == Kind.OUTPUT && it.record() != null) {
        sink.write(it.record());
      }
      return;
    }
    java.io.BufferedOutputStream out = buffers.get(it.kind());
    out.write(it.line());
    out.write('\n');
    dirty = true;
  }

  private void flush() throws IOException {
    if (sink != null) {
      sink.flush();
      return;
    }
    // Journal first: children must never be on disk without their fan-out entry.
    buffers.get(Kind.JOURNAL).flush();
    buffers.get(Kind.OUTPUT).flush();
    buffers.get(Kind.DROPPED).flush();
    buffers.get(Kind.FAILED).flush();
  }

  private void sync() throws IOException {
    for (FileOutputStream f : files.values()) {
      f.getChannel().force(false);
    }
    dirty = false;
    lastSync = System.nanoTime();
  }

  /** Writes and fsyncs everything queued so far, then stops the writer thread. */
  @Override
  public void close() {
    queue.add(POISON);
    try {
      thread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    closeFiles();
    if (sink != null) {
      sink.close();
    }
    checkHealthy();
  }

  /** Best-effort flush from a shutdown hook (SIGTERM, Ctrl-C): whatever is queued reaches disk. */
  public void emergencyFlush() {
    queue.add(POISON);
    try {
      thread.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void closeFiles() {
    for (java.io.BufferedOutputStream b : buffers.values()) {
      try {
        b.close();
      } catch (IOException e) {
        LOG.warn("closing run file", e);
      }
    }
  }
}
