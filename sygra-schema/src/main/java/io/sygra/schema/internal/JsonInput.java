package io.sygra.schema.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.JsonNode;
import io.sygra.schema.Location;
import io.sygra.schema.SchemaException;
import java.io.BufferedInputStream;
import java.io.CharConversionException;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Streams the top-level records of a JSON input in constant memory: JSONL (one value per line), a
 * JSON array (one record per element) or one or more whole JSON documents (a single pretty-printed
 * object, as in axolotl fixtures). The shape is detected from the first bytes.
 *
 * <p>JSONL is split into lines at the byte level (eight bytes per step); a malformed line is the
 * consumer's to reject, and reading goes on with the next line. Consumers may read a line's bytes
 * directly ({@link #lineBuffer()}) or through a Jackson parser created on demand ({@link
 * #parser()}, positioned on the record's first token). In the other shapes a syntax error is fatal,
 * because a JSON parser cannot resynchronize inside an array, and {@link #next()} throws.
 */
public final class JsonInput implements Closeable {
  /** The detected input shape. */
  public enum Shape {
    /** One JSON value per line. */
    JSONL,
    /** A JSON array of records. */
    ARRAY,
    /** One or more JSON documents, possibly spanning lines. */
    DOCUMENTS
  }

  private static final int BUFFER = 1 << 20;

  private final String source;
  private final Shape shape;
  private final InputStream in;

  // JSONL state
  private byte[] buf;
  private int start;
  private int end;
  private int scanFrom;
  private boolean eof;
  private int lineStart;
  private int lineEnd;
  private long lineNo;
  private JsonParser lineParser;

  // ARRAY / DOCUMENTS state
  private JsonParser docParser;
  private JsonParser elementParser;
  private long index = -1;
  private JsonNode current;
  private boolean arrayDone;

  private Location location;

  private JsonInput(Path path, String source, Shape shape) throws IOException {
    this.source = source;
    this.shape = shape;
    this.in = Files.newInputStream(path);
    if (shape == Shape.JSONL) {
      buf = new byte[BUFFER];
    } else {
      BufferedInputStream bin = new BufferedInputStream(in, BUFFER);
      bin.mark(4);
      byte[] head = bin.readNBytes(4);
      bin.reset();
      if (!mayBeUtf8(head, 0, head.length)) {
        in.close();
        throw new SchemaException(
            Location.line(source, 1), "$", "not UTF-8 text: " + NOT_UTF8_START);
      }
      try {
        docParser = Json.FACTORY.createParser(bin);
      } catch (CharConversionException e) {
        in.close();
        throw new SchemaException(
            Location.line(source, 1), "$", "not UTF-8 text: " + e.getMessage());
      }
      if (shape == Shape.ARRAY) {
        JsonToken t;
        try {
          t = docParser.nextToken();
        } catch (StreamReadException | CharConversionException e) {
          t = null;
        }
        if (t != JsonToken.START_ARRAY) {
          throw new SchemaException(Location.line(source, 1), "$", "expected a JSON array");
        }
      }
    }
  }

  /**
   * Opens {@code path}, detecting its shape.
   *
   * @param source the name used in locations (normally the file name)
   * @throws UncheckedIOException when the file cannot be read
   */
  public static JsonInput open(Path path, String source) {
    try {
      return new JsonInput(path, source, detect(path));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + path + ": " + e.getMessage(), e);
    }
  }

  /** Opens {@code path} with a known shape. */
  public static JsonInput open(Path path, String source, Shape shape) {
    try {
      return new JsonInput(path, source, shape);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + path + ": " + e.getMessage(), e);
    }
  }

  /**
   * Detects the shape: {@code [} first means an array; otherwise JSONL, unless the first non-blank
   * line is not a complete JSON value (a pretty-printed document).
   */
  public static Shape detect(Path path) throws IOException {
    try (InputStream s = Files.newInputStream(path)) {
      byte[] head = s.readNBytes(1 << 16);
      int i = skipBomAndSpace(head, 0, head.length);
      if (i < head.length && head[i] == '[') {
        return Shape.ARRAY;
      }
      if (i >= head.length) {
        return Shape.JSONL;
      }
      int nl = i;
      while (nl < head.length && head[nl] != '\n') {
        nl++;
      }
      if (nl == head.length && head.length == (1 << 16)) {
        return Shape.JSONL; // a first line longer than the probe: JSONL with a long record
      }
      if (!mayBeUtf8(head, i, nl - i)) {
        return Shape.JSONL; // a line in another encoding is rejected like any other bad line
      }
      try (JsonParser p = Json.FACTORY.createParser(head, i, nl - i)) {
        Json.MAPPER.readTree(p);
        return Shape.JSONL;
      } catch (com.fasterxml.jackson.core.io.JsonEOFException e) {
        return Shape.DOCUMENTS;
      } catch (StreamReadException | CharConversionException e) {
        return Shape.JSONL; // a malformed first line is rejected like any other line
      }
    }
  }

  private static int skipBomAndSpace(byte[] b, int i, int n) {
    if (n - i >= 3
        && (b[i] & 0xFF) == 0xEF
        && (b[i + 1] & 0xFF) == 0xBB
        && (b[i + 2] & 0xFF) == 0xBF) {
      i += 3;
    }
    while (i < n && (b[i] == ' ' || b[i] == '\t' || b[i] == '\r' || b[i] == '\n')) {
      i++;
    }
    return i;
  }

  /** The detected shape. */
  public Shape shape() {
    return shape;
  }

  /** The input name used in locations. */
  public String source() {
    return source;
  }

  /**
   * Advances to the next record.
   *
   * @return false at the end of the input
   * @throws SchemaException for a syntax error in an array or document input (fatal)
   * @throws UncheckedIOException when reading fails
   */
  public boolean next() {
    try {
      return shape == Shape.JSONL ? nextLine() : nextDocument();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + source + ": " + e.getMessage(), e);
    }
  }

  /** Where the current record starts. */
  public Location location() {
    return location;
  }

  /** The buffer holding the current JSONL line (valid until {@link #next()}). */
  public byte[] lineBuffer() {
    return buf;
  }

  /** Offset of the current JSONL line in {@link #lineBuffer()}. */
  public int lineStart() {
    return lineStart;
  }

  /** End (exclusive) of the current JSONL line in {@link #lineBuffer()}, without line breaks. */
  public int lineEnd() {
    return lineEnd;
  }

  /**
   * A parser positioned on the current record's first token. For JSONL it covers exactly the
   * current line and is created on first use.
   *
   * @throws StreamReadException when the line does not even start with a JSON token
   */
  public JsonParser parser() throws IOException {
    if (shape == Shape.JSONL) {
      if (lineParser == null) {
        if (!mayBeUtf8(buf, lineStart, lineEnd - lineStart)) {
          throw notUtf8(null, null);
        }
        try {
          lineParser = Json.FACTORY.createParser(buf, lineStart, lineEnd - lineStart);
          lineParser.nextToken();
        } catch (CharConversionException e) {
          throw notUtf8(lineParser, e);
        }
      }
      return lineParser;
    }
    if (elementParser == null) {
      elementParser = current.traverse(Json.MAPPER);
      elementParser.nextToken();
    }
    return elementParser;
  }

  /**
   * For JSONL: checks that nothing follows the value just read on the line.
   *
   * @throws SchemaException when there is more
   */
  public void requireEndOfLine() throws IOException {
    if (shape == Shape.JSONL && lineParser != null && lineParser.nextToken() != null) {
      throw new SchemaException(location, "$", "more than one JSON value on the line");
    }
  }

  /**
   * The current record as a tree.
   *
   * @throws SchemaException when a JSONL line is not exactly one well-formed JSON value
   */
  public JsonNode readNode() {
    if (shape != Shape.JSONL) {
      return current;
    }
    try {
      JsonParser p = parser();
      JsonNode n = Json.MAPPER.readTree(p);
      requireEndOfLine();
      return n;
    } catch (StreamReadException e) {
      throw new SchemaException(location, "$", "malformed JSON: " + e.getOriginalMessage(), e);
    } catch (CharConversionException e) {
      throw new SchemaException(location, "$", "not UTF-8 text: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The raw text of the current JSONL line, or the element serialized compactly otherwise. */
  public String rawText() {
    if (shape != Shape.JSONL) {
      return current == null ? null : Json.write(current);
    }
    return new String(buf, lineStart, lineEnd - lineStart, StandardCharsets.UTF_8);
  }

  /** The current record as a tree when it parses, else its raw text as a string node. */
  public JsonNode rawRecord() {
    if (shape != Shape.JSONL) {
      return current;
    }
    JsonNode n = Json.tryParse(rawText());
    return n != null ? n : Json.MAPPER.getNodeFactory().textNode(rawText());
  }

  private boolean nextLine() throws IOException {
    closeLineParser();
    while (readLine()) {
      lineNo++;
      int s = lineStart;
      if (lineNo == 1
          && lineEnd - s >= 3
          && (buf[s] & 0xFF) == 0xEF
          && (buf[s + 1] & 0xFF) == 0xBB
          && (buf[s + 2] & 0xFF) == 0xBF) {
        lineStart += 3;
      }
      if (lineEnd > lineStart && buf[lineEnd - 1] == '\r') {
        lineEnd--;
      }
      boolean blank = true;
      for (int i = lineStart; i < lineEnd; i++) {
        byte b = buf[i];
        if (b != ' ' && b != '\t') {
          blank = false;
          break;
        }
      }
      if (!blank) {
        location = Location.line(source, lineNo);
        return true;
      }
    }
    return false;
  }

  private static final java.lang.invoke.VarHandle LONGS =
      java.lang.invoke.MethodHandles.byteArrayViewVarHandle(
          long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);
  private static final long ONES = 0x0101010101010101L;
  private static final long HIGHS = 0x8080808080808080L;
  private static final long NEWLINES = 0x0A0A0A0A0A0A0A0AL;

  /** Index of the first newline in [from, to), or -1; scans eight bytes at a time. */
  private static int indexOfNewline(byte[] b, int from, int to) {
    int i = from;
    for (; i + 8 <= to; i += 8) {
      long x = (long) LONGS.get(b, i) ^ NEWLINES;
      long found = (x - ONES) & ~x & HIGHS;
      if (found != 0) {
        return i + (Long.numberOfTrailingZeros(found) >>> 3);
      }
    }
    for (; i < to; i++) {
      if (b[i] == '\n') {
        return i;
      }
    }
    return -1;
  }

  private boolean readLine() throws IOException {
    while (true) {
      int i = indexOfNewline(buf, scanFrom, end);
      if (i >= 0) {
        lineStart = start;
        lineEnd = i;
        start = i + 1;
        scanFrom = start;
        return true;
      }
      scanFrom = end;
      if (eof) {
        if (start < end) {
          lineStart = start;
          lineEnd = end;
          start = end;
          return true;
        }
        return false;
      }
      if (start > 0) {
        System.arraycopy(buf, start, buf, 0, end - start);
        end -= start;
        scanFrom -= start;
        start = 0;
      }
      if (end == buf.length) {
        buf = Arrays.copyOf(buf, buf.length * 2);
      }
      int n = in.read(buf, end, buf.length - end);
      if (n < 0) {
        eof = true;
      } else {
        end += n;
      }
    }
  }

  private boolean nextDocument() throws IOException {
    if (arrayDone) {
      return false;
    }
    elementParser = null;
    try {
      JsonToken t = docParser.nextToken();
      if (t == null) {
        if (shape == Shape.ARRAY) {
          throw new SchemaException(
              Location.line(source, docParser.currentLocation().getLineNr()),
              "$",
              "unterminated JSON array");
        }
        return false;
      }
      if (shape == Shape.ARRAY && t == JsonToken.END_ARRAY) {
        arrayDone = true;
        if (docParser.nextToken() != null) {
          throw new SchemaException(
              Location.line(source, docParser.currentTokenLocation().getLineNr()),
              "$",
              "content after the end of the JSON array");
        }
        return false;
      }
      index++;
      long line = docParser.currentTokenLocation().getLineNr();
      location = new Location(source, Math.max(line, 0), shape == Shape.ARRAY ? index : -1);
      current = Json.MAPPER.readTree(docParser);
      return true;
    } catch (StreamReadException e) {
      long line = e.getLocation() == null ? 0 : Math.max(0, e.getLocation().getLineNr());
      throw new SchemaException(
          Location.line(source, line), "$", "malformed JSON: " + e.getOriginalMessage(), e);
    } catch (CharConversionException e) {
      long line = Math.max(0, docParser.currentLocation().getLineNr());
      throw new SchemaException(
          Location.line(source, line), "$", "not UTF-8 text: " + e.getMessage(), e);
    }
  }

  private static final String NOT_UTF8_START = "starts with a NUL byte or a UTF-16/32 mark";

  private static StreamReadException notUtf8(JsonParser p, CharConversionException e) {
    return new com.fasterxml.jackson.core.JsonParseException(
        p, "not UTF-8 text: " + (e == null ? NOT_UTF8_START : e.getMessage()));
  }

  /**
   * False when Jackson's encoding detection would take these bytes for UTF-16 or UTF-32: a NUL in
   * the first four bytes (never in UTF-8 JSON, where control characters are escaped) or a UTF-16/32
   * byte-order mark. Input is UTF-8 by contract; without this check such a record is decoded in
   * another encoding and may fail anywhere in it with an I/O error instead of a rejection.
   */
  static boolean mayBeUtf8(byte[] b, int off, int len) {
    if (len > 0 && (b[off] == (byte) 0xFE || b[off] == (byte) 0xFF)) {
      return false;
    }
    for (int i = off, end = off + Math.min(4, len); i < end; i++) {
      if (b[i] == 0) {
        return false;
      }
    }
    return true;
  }

  private void closeLineParser() throws IOException {
    if (lineParser != null) {
      lineParser.close();
      lineParser = null;
    }
  }

  @Override
  public void close() {
    try {
      closeLineParser();
      if (docParser != null) {
        docParser.close();
      }
      in.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
