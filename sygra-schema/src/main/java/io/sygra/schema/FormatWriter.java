package io.sygra.schema;

import io.sygra.schema.internal.JsonlWriter;
import java.io.Closeable;
import java.io.Flushable;
import java.io.OutputStream;
import java.util.Objects;

/**
 * Appends examples to JSONL output in one format, field names exactly as the format defines them.
 *
 * <p>Each {@link #write} renders the whole example before any of it is committed, so an example the
 * format cannot represent leaves no partial line behind. Complete records are buffered and reach
 * the stream in large writes, on {@link #flush()} and on {@link #close()}. Conversions between
 * kinds are explicit: SFT formats accept a conversation, a DPO pair (written as prompt + chosen) or
 * a desirable KTO example; DPO formats need a pair; {@code kto} writes a pair as two lines (label
 * true, then false). Not thread-safe.
 */
public interface FormatWriter extends Closeable, Flushable {
  /** The format being written. */
  Format format();

  /**
   * Writes one example.
   *
   * @return the number of output records (lines) written: 1, or 2 for a pair written as kto
   * @throws SchemaException when the format cannot represent the example; nothing is written
   */
  int write(Example example);

  /** Output records written so far. */
  long written();

  @Override
  void flush();

  @Override
  void close();

  /**
   * A writer to {@code out}, which it closes on {@link #close()}.
   *
   * @param includeMetadata write each example's {@code metadata} object when non-empty (never for
   *     the OpenAI formats, which reject unknown keys)
   * @throws IllegalArgumentException when the format cannot be written
   */
  static FormatWriter open(Format format, OutputStream out, boolean includeMetadata) {
    Objects.requireNonNull(format, "format");
    Objects.requireNonNull(out, "out");
    if (!format.canWrite()) {
      throw new IllegalArgumentException(
          format + " cannot be written; writable formats: " + Format.names(false, true));
    }
    return new JsonlWriter(format, out, includeMetadata);
  }
}
