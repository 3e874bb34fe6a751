package io.sygra.core.run;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamReadException;
import io.sygra.core.ConfigurationException;
import io.sygra.core.internal.Json;
import io.sygra.core.internal.LineReader;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * Reads JSON Lines: one JSON object per line, blank lines ignored, UTF-8 (a BOM is skipped).
 * Streams: memory is bounded by the longest line, itself capped by {@link #maxLineBytes(int)}.
 *
 * <p>Each bad line (malformed JSON, invalid UTF-8, not an object, too long) raises a recoverable
 * {@link SourceException} naming {@code file:line}; a file that is a JSON array, or is empty,
 * raises a non-recoverable one. Create with {@link Sources#jsonl(Path)}. Immutable.
 */
public final class JsonlSource implements Source {
  /** Default cap on one line: 32 MiB. */
  public static final int DEFAULT_MAX_LINE_BYTES = 32 << 20;

  private final Path path;
  private final int maxLineBytes;
  private final boolean allowEmpty;

  JsonlSource(Path path, int maxLineBytes, boolean allowEmpty) {
    this.path = Objects.requireNonNull(path, "path");
    ConfigurationException.check(
        maxLineBytes > 0, "maxLineBytes", "must be > 0, was " + maxLineBytes);
    this.maxLineBytes = maxLineBytes;
    this.allowEmpty = allowEmpty;
  }

  /** A copy with another line-length cap (bytes). */
  public JsonlSource maxLineBytes(int maxLineBytes) {
    return new JsonlSource(path, maxLineBytes, allowEmpty);
  }

  /** A copy that accepts an empty file (zero records) instead of failing. */
  public JsonlSource allowEmpty() {
    return new JsonlSource(path, maxLineBytes, true);
  }

  /** The file read. */
  public Path path() {
    return path;
  }

  @Override
  public String describe() {
    return "jsonl:" + path;
  }

  @Override
  public RecordReader open() {
    try {
      return new Reader(
          new LineReader(
              new BufferedInputStream(Files.newInputStream(path), 1 << 16), maxLineBytes));
    } catch (NoSuchFileException e) {
      throw new SourceException(path.toString(), "file not found", false, e);
    } catch (IOException e) {
      throw new SourceException(path.toString(), "cannot open: " + e.getMessage(), false, e);
    }
  }

  private final class Reader extends LookaheadReader {
    private final LineReader lines;
    private boolean sawContent;

    Reader(LineReader lines) {
      this.lines = lines;
    }

    @Override
    protected void advance() {
      byte[] line;
      try {
        line = lines.next();
      } catch (IOException e) {
        end();
        failed(
            new SourceException(
                path + ":" + (lines.lineNumber() + 1), "read failed: " + e, false, e));
        return;
      }
      String where = path + ":" + lines.lineNumber();
      if (line == null) {
        end();
        if (!sawContent && !allowEmpty) {
          failed(
              new SourceException(
                  path.toString(),
                  "the input file is empty (no records); use Sources.jsonl(path).allowEmpty() if"
                      + " that is expected",
                  false));
        }
        return;
      }
      if (line == LineReader.TOO_LONG) {
        sawContent = true;
        failed(
            new SourceException(
                where,
                "line is "
                    + lines.lastLineBytes()
                    + " bytes, over the limit of "
                    + maxLineBytes
                    + " (JsonlSource.maxLineBytes)",
                true));
        return;
      }
      int len = lines.length();
      int start = 0;
      while (start < len && isSpace(line[start])) {
        start++;
      }
      if (start == len) {
        return; // blank line
      }
      if (!sawContent && line[start] == '[') {
        end();
        failed(
            new SourceException(
                where,
                "the file is a JSON array, not JSON Lines (one object per line); read it with"
                    + " Sources.json(path)",
                false));
        return;
      }
      sawContent = true;
      try {
        found(SourceRecord.of(parseObject(line, start, len - start, where), where));
      } catch (SourceException e) {
        failed(e);
      }
    }

    @Override
    public void close() {
      try {
        lines.close();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  private static boolean isSpace(byte b) {
    return b == ' ' || b == '\t' || b == '\r';
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> parseObject(byte[] bytes, int off, int len, String where) {
    try (JsonParser p = Json.MAPPER.getFactory().createParser(bytes, off, len)) {
      JsonToken t = p.nextToken();
      if (t != JsonToken.START_OBJECT) {
        throw new SourceException(where, "expected a JSON object, found " + describe(t), true);
      }
      Map<String, Object> m = Json.MAPPER.readValue(p, Map.class);
      JsonToken after = p.nextToken();
      if (after != null) {
        throw new SourceException(
            where, "unexpected content after the JSON object (" + describe(after) + ")", true);
      }
      return m;
    } catch (SourceException e) {
      throw e;
    } catch (StreamReadException e) {
      throw new SourceException(where, reason(e), true, e);
    } catch (IOException e) {
      throw new SourceException(where, "malformed JSON: " + e.getMessage(), true, e);
    }
  }

  private static String reason(StreamReadException e) {
    String m = e.getOriginalMessage();
    if (m != null && m.contains("UTF-8")) {
      return "invalid UTF-8 (" + m + ")";
    }
    return "malformed JSON: " + m + " (column " + e.getLocation().getColumnNr() + ")";
  }

  private static String describe(JsonToken t) {
    if (t == null) {
      return "nothing";
    }
    return switch (t) {
      case START_ARRAY -> "an array";
      case VALUE_STRING -> "a string";
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
      case VALUE_TRUE, VALUE_FALSE -> "a boolean";
      case VALUE_NULL -> "null";
      default -> t.asString() == null ? t.name() : "'" + t.asString() + "'";
    };
  }
}
