package io.sygra.core.run;

import java.util.Iterator;

/**
 * A streaming cursor over a source's records. {@link #next()} may throw {@link SourceException} for
 * a bad record; when the exception is {@linkplain SourceException#recoverable() recoverable} the
 * reader has already moved past it and {@link #hasNext()} may be called again. Not thread-safe; the
 * pipeline reads from one thread.
 */
public interface RecordReader extends Iterator<SourceRecord>, AutoCloseable {
  @Override
  void close();
}
