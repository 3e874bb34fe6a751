package io.sygra.core.run;

import java.util.NoSuchElementException;

/**
 * Base of the file readers: holds one read-ahead record or the error met while reading it, so
 * {@link #hasNext()} can be asked repeatedly and a bad record surfaces from {@link #next()} in its
 * place in the stream.
 */
abstract class LookaheadReader implements RecordReader {
  private SourceRecord next;
  private SourceException pending;
  private boolean done;

  /**
   * Reads ahead: calls {@link #found(SourceRecord)} or {@link #failed(SourceException)} once, or
   * {@link #end()}, or nothing for a skipped entry (it is then called again).
   */
  protected abstract void advance();

  protected final void found(SourceRecord record) {
    next = record;
  }

  protected final void failed(SourceException error) {
    pending = error;
  }

  /** No more records; a pending error, if any, is still delivered. */
  protected final void end() {
    done = true;
  }

  @Override
  public final boolean hasNext() {
    while (next == null && pending == null && !done) {
      advance();
    }
    return next != null || pending != null;
  }

  @Override
  public final SourceRecord next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    if (pending != null) {
      SourceException e = pending;
      pending = null;
      throw e;
    }
    SourceRecord r = next;
    next = null;
    return r;
  }
}
