package io.sygra.schema;

import io.sygra.schema.internal.RecordReader;
import io.sygra.schema.internal.SygraOasstCodec;
import java.io.Closeable;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Objects;

/**
 * Streams the records of one input file in constant memory, each as a {@link ReadResult}: the
 * example, or a rejection naming the line (or array index) and the JSON path at fault. JSONL, a
 * JSON array, and a single JSON object are all accepted.
 *
 * <p>Reading goes on after a rejected record. {@link #next()} throws {@link SchemaException} only
 * when the input itself cannot be parsed further (a syntax error inside a JSON array), and {@link
 * java.io.UncheckedIOException} when the file cannot be read. Not thread-safe; close it when done.
 *
 * <pre>{@code
 * try (FormatReader r = FormatReader.open(Format.SHAREGPT, Path.of("chats.json"))) {
 *   while (r.hasNext()) {
 *     if (r.next() instanceof ReadResult.Ok ok) {
 *       Example e = ok.example();
 *     }
 *   }
 * }
 * }</pre>
 *
 * <p>OASST trees are read with {@link OasstReader}, which groups messages into trees.
 */
public interface FormatReader extends Iterator<ReadResult>, Closeable {
  /** The format being read. */
  Format format();

  /** Input records consumed so far (lines or array elements, blank lines excluded). */
  long recordsRead();

  @Override
  void close();

  /**
   * Opens {@code input} for reading in {@code format}.
   *
   * @throws IllegalArgumentException for {@link Format#OASST} (use {@link OasstReader}) or a
   *     write-only format
   * @throws java.io.UncheckedIOException when the file cannot be opened
   */
  static FormatReader open(Format format, Path input) {
    Objects.requireNonNull(format, "format");
    Objects.requireNonNull(input, "input");
    if (format == Format.OASST) {
      throw new IllegalArgumentException("read OASST trees with OasstReader");
    }
    if (!format.canRead()) {
      throw new IllegalArgumentException(format + " cannot be read");
    }
    String source = input.getFileName() == null ? input.toString() : input.getFileName().toString();
    if (format == Format.SYGRA_OASST) {
      return SygraOasstCodec.reader(input, source);
    }
    return new RecordReader(format, input, source);
  }
}
