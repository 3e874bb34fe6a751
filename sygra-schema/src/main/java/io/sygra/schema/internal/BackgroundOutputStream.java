package io.sygra.schema.internal;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Buffers bytes in large chunks and writes them to the target stream on a background thread, so the
 * system calls that copy output into the page cache overlap with producing the next chunk instead
 * of stalling it. Memory is bounded: at most {@value #CHUNKS} chunks of {@value #CHUNK} bytes
 * exist, and the producer waits when all of them are queued.
 *
 * <p>A write error on the background thread is raised by the next {@link #write}, {@link #flush()}
 * or {@link #close()}; bytes after it are discarded. {@link #close()} writes what is pending, stops
 * the thread and closes the target (also after an error). Not thread-safe for producers: one thread
 * writes.
 */
public final class BackgroundOutputStream extends OutputStream {
  static final int CHUNK = 1 << 20;
  static final int CHUNKS = 3;

  /** A filled chunk, or (length -1) the request to report back when all before it are written. */
  private record Chunk(byte[] bytes, int length) {}

  private final OutputStream target;
  private final BlockingQueue<Chunk> filled = new ArrayBlockingQueue<>(CHUNKS + 1);
  private final BlockingQueue<byte[]> free = new ArrayBlockingQueue<>(CHUNKS);
  private final BlockingQueue<Object> drained = new ArrayBlockingQueue<>(1);
  private final Thread thread;
  private volatile IOException error;
  private byte[] current;
  private int count;
  private boolean closed;

  /**
   * Starts the background thread for {@code target}, which this stream closes.
   *
   * @param name the thread's name, for thread dumps
   */
  public BackgroundOutputStream(OutputStream target, String name) {
    this.target = target;
    for (int i = 1; i < CHUNKS; i++) {
      free.add(new byte[CHUNK]);
    }
    current = new byte[CHUNK];
    thread = new Thread(this::drain, name);
    thread.setDaemon(true);
    thread.start();
  }

  private void drain() {
    while (true) {
      Chunk c;
      try {
        c = filled.take();
      } catch (InterruptedException e) {
        return; // only close() interrupts, after a failed hand-off; nothing is waiting then
      }
      if (c.bytes == null) {
        return;
      }
      if (c.length < 0) {
        drained.add(Boolean.TRUE);
        continue;
      }
      if (error == null) {
        try {
          target.write(c.bytes, 0, c.length);
        } catch (IOException | RuntimeException e) {
          error = e instanceof IOException io ? io : new IOException(e.getMessage(), e);
        }
      }
      free.add(c.bytes);
    }
  }

  @Override
  public void write(int b) throws IOException {
    if (count == CHUNK || closed) {
      handOff();
    }
    current[count++] = (byte) b;
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    java.util.Objects.checkFromIndexSize(off, len, b.length);
    if (closed) {
      throw new IOException("stream closed");
    }
    while (len > 0) {
      if (count == CHUNK) {
        handOff();
      }
      int n = Math.min(len, CHUNK - count);
      System.arraycopy(b, off, current, count, n);
      count += n;
      off += n;
      len -= n;
    }
  }

  private void handOff() throws IOException {
    check();
    if (closed) {
      throw new IOException("stream closed");
    }
    try {
      filled.put(new Chunk(current, count));
      current = free.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while writing output");
    }
    count = 0;
  }

  private void check() throws IOException {
    IOException e = error;
    if (e != null) {
      throw new IOException(e.getMessage(), e);
    }
  }

  /** Waits until every byte written so far has reached the target, then flushes it. */
  @Override
  public void flush() throws IOException {
    if (closed) {
      return;
    }
    if (count > 0) {
      handOff();
    }
    try {
      filled.put(new Chunk(new byte[0], -1));
      drained.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while flushing output");
    }
    check();
    target.flush();
  }

  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    IOException failure = null;
    try {
      flush();
    } catch (IOException e) {
      failure = e;
    }
    closed = true;
    if (!filled.offer(new Chunk(null, 0))) {
      thread.interrupt();
    }
    try {
      thread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      target.close();
    } catch (IOException e) {
      if (failure == null) {
        failure = e;
      } else {
        failure.addSuppressed(e);
      }
    }
    if (failure != null) {
      throw failure;
    }
  }
}
