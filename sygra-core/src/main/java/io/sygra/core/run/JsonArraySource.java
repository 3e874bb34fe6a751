package io.sygra.core.run;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamReadException;
import io.sygra.core.internal.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * Reads a JSON file holding an array of objects, streaming element by element (never the whole
 * array). A file holding a single object, or a sequence of top-level objects, is read as that many
 * records. Elements that are not objects raise a recoverable {@link SourceException} naming {@code
 * file[index]}; malformed JSON raises a non-recoverable one with line and column, since the parser
 * cannot find the next element. Create with {@link Sources#json(Path)}.
 */
public final class JsonArraySource implements Source {
  private final Path path;

  JsonArraySource(Path path) {
    this.path = Objects.requireNonNull(path, "path");
  }

  @Override
  public String describe() {
    return "json:" + path;
  }

  @Override
  public RecordReader open() {
    JsonParser p;
    try {
      p = Json.MAPPER.getFactory().createParser(Files.newInputStream(path));
    } catch (NoSuchFileException e) {
      throw new SourceException(path.toString(), "file not found", false, e);
    } catch (IOException e) {
      throw new SourceException(path.toString(), "cannot open: " + e.getMessage(), false, e);
    }
    return new Reader(p);
  }

  private final class Reader extends LookaheadReader {
    private final JsonParser p;
    private boolean started;
    private boolean inArray;
    private long index = -1;

    Reader(JsonParser p) {
      this.p = p;
    }

    @Override
    @SuppressWarnings("unchecked")
    protected void advance() {
      try {
        JsonToken t = p.nextToken();
        if (!started) {
          started = true;
          if (t == null) {
            end();
            failed(new SourceException(path.toString(), "the input file is empty", false));
            return;
          }
          if (t == JsonToken.START_ARRAY) {
            inArray = true;
            t = p.nextToken();
          }
        }
        if (t == null || (inArray && t == JsonToken.END_ARRAY)) {
          end();
          if (inArray && p.nextToken() != null) {
            failed(
                new SourceException(
                    where(p.currentLocation()), "unexpected content after the JSON array", false));
          }
          return;
        }
        index++;
        String where = path + "[" + index + "]";
        if (t != JsonToken.START_OBJECT) {
          p.skipChildren();
          failed(new SourceException(where, "expected a JSON object, found " + t.name(), true));
          return;
        }
        Map<String, Object> m = Json.MAPPER.readValue(p, Map.class);
        found(SourceRecord.of(m, where));
      } catch (StreamReadException e) {
        end();
        failed(
            new SourceException(
                where(e.getLocation()), "malformed JSON: " + e.getOriginalMessage(), false, e));
      } catch (IOException e) {
        end();
        failed(new SourceException(path.toString(), "read failed: " + e, false, e));
      }
    }

    private String where(JsonLocation loc) {
      return path + ":" + loc.getLineNr() + ":" + loc.getColumnNr();
    }

    @Override
    public void close() {
      try {
        p.close();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
