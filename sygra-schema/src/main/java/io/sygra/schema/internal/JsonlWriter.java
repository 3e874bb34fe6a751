package io.sygra.schema.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import io.sygra.schema.Example;
import io.sygra.schema.Format;
import io.sygra.schema.FormatWriter;
import io.sygra.schema.SchemaException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/** Renders each example into a buffer, then appends it: no partial lines on failure. */
public final class JsonlWriter implements FormatWriter {
  private final Format format;
  private final OutputStream out;
  private final boolean includeMetadata;
  private final RecordWriter records;
  private final Buffer buffer = new Buffer();
  private JsonGenerator generator;
  private long written;
  private int committed;
  private static final int FLUSH_AT = 1 << 20;
  private java.util.Map<String, byte[]> rawTexts = java.util.Map.of();

  /**
   * Raw JSON bytes (string content without quotes) to write for texts, by text identity; used for
   * the examples written until the next call. The bytes must be valid JSON string content.
   */
  public void rawTexts(java.util.Map<String, byte[]> texts) {
    this.rawTexts = texts;
  }

  /** Writes sygra-oasst rows or the records of {@code format} to {@code out}. */
  public JsonlWriter(Format format, OutputStream out, boolean includeMetadata) {
    this.format = format;
    this.out = out;
    this.includeMetadata = includeMetadata;
    this.records =
        format == Format.SYGRA_OASST ? new SygraOasstCodec.Writer() : codecWriter(Codec.of(format));
  }

  /** Writes one example through a generator. */
  interface RecordWriter {
    int write(Example e, JsonGenerator g, boolean metadata) throws IOException;
  }

  private static RecordWriter codecWriter(Codec codec) {
    return (e, g, m) -> {
      codec.write(e, g, m);
      return -1;
    };
  }

  @Override
  public Format format() {
    return format;
  }

  @Override
  public int write(Example example) {
    try {
      if (generator == null) {
        generator = Json.MAPPER.getFactory().createGenerator(buffer);
        generator.setRootValueSeparator(null);
      }
      int lines;
      Messages.RAW_TEXTS.set(rawTexts);
      try {
        lines = records.write(example, generator, includeMetadata);
      } finally {
        Messages.RAW_TEXTS.set(java.util.Map.of());
      }
      generator.flush();
      if (lines < 0) {
        lines =
            format == Format.KTO && example instanceof io.sygra.schema.Preference p && p.isPaired()
                ? 2
                : 1;
      }
      // Whole records accumulate here and reach the stream in large writes.
      if (buffer.size() >= FLUSH_AT) {
        buffer.writeTo(out);
        buffer.reset();
      }
      committed = buffer.size();
      written += lines;
      return lines;
    } catch (SchemaException e) {
      discard();
      throw e;
    } catch (IOException e) {
      discard();
      throw new UncheckedIOException(e);
    } catch (RuntimeException e) {
      discard();
      throw e;
    }
  }

  private void discard() {
    // The generator may be mid-object; start afresh so the next example is written cleanly,
    // keeping the records already completed in the buffer.
    generator = null;
    buffer.truncate(committed);
  }

  @Override
  public long written() {
    return written;
  }

  @Override
  public void flush() {
    try {
      buffer.writeTo(out);
      buffer.reset();
      committed = 0;
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    try {
      buffer.writeTo(out);
      buffer.reset();
      committed = 0;
      out.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** An unsynchronized byte buffer. */
  private static final class Buffer extends ByteArrayOutputStream {
    Buffer() {
      super(1 << 16);
    }

    @Override
    public void write(int b) {
      ensure(1);
      buf[count++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) {
      ensure(len);
      System.arraycopy(b, off, buf, count, len);
      count += len;
    }

    private void ensure(int n) {
      if (count + n > buf.length) {
        buf = java.util.Arrays.copyOf(buf, Math.max(buf.length * 2, count + n));
      }
    }

    @Override
    public void writeTo(OutputStream o) throws IOException {
      o.write(buf, 0, count);
    }

    @Override
    public void reset() {
      count = 0;
      if (buf.length > (1 << 22)) {
        buf = new byte[1 << 16]; // do not keep a huge record's buffer forever
      }
    }

    void truncate(int size) {
      count = size;
    }
  }
}
