package io.sygra.schema.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.sygra.schema.Format;
import io.sygra.schema.FormatReader;
import io.sygra.schema.Location;
import io.sygra.schema.ReadResult;
import io.sygra.schema.SchemaException;
import java.nio.file.Path;
import java.util.NoSuchElementException;

/** A {@link FormatReader} for the one-record-per-value formats. */
public final class RecordReader implements FormatReader {
  private final Format format;
  private final Codec codec;
  private final JsonInput input;
  private ReadResult pending;
  private boolean done;
  private long read;

  /** Opens {@code path}; see {@link FormatReader#open}. */
  public RecordReader(Format format, Path path, String source) {
    this.format = format;
    this.codec = Codec.of(format);
    this.input = JsonInput.open(path, source);
  }

  @Override
  public Format format() {
    return format;
  }

  @Override
  public long recordsRead() {
    return read;
  }

  @Override
  public boolean hasNext() {
    if (pending == null && !done) {
      if (input.next()) {
        read++;
        pending = readCurrent(input, codec);
      } else {
        done = true;
      }
    }
    return pending != null;
  }

  @Override
  public ReadResult next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    ReadResult r = pending;
    pending = null;
    return r;
  }

  static ReadResult readCurrent(JsonInput input, Codec codec) {
    Location loc = input.location();
    JsonNode node;
    try {
      node = input.readNode();
    } catch (SchemaException e) {
      return new ReadResult.Rejected(loc, e.relocate(loc, null), input.rawText());
    }
    if (node == null) {
      return new ReadResult.Rejected(
          loc, new SchemaException(loc, "$", "no JSON value"), input.rawText());
    }
    try {
      return new ReadResult.Ok(loc, codec.read(node));
    } catch (SchemaException e) {
      return new ReadResult.Rejected(loc, e.relocate(loc, null), raw(input, node));
    } catch (IllegalArgumentException e) {
      return new ReadResult.Rejected(
          loc, new SchemaException(loc, "$", String.valueOf(e.getMessage()), e), raw(input, node));
    }
  }

  static String raw(JsonInput input, JsonNode node) {
    return input.shape() == JsonInput.Shape.JSONL ? input.rawText() : Json.write(node);
  }

  @Override
  public void close() {
    input.close();
  }
}
