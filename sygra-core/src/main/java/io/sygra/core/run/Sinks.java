package io.sygra.core.run;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.SequenceWriter;
import com.fasterxml.jackson.dataformat.csv.CsvGenerator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import io.sygra.core.internal.Json;
import io.sygra.core.internal.JsonValues;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Factories for the built-in {@link Sink}s. File sinks create parent directories and overwrite. */
public final class Sinks {
  private Sinks() {}

  /** JSON Lines: one compact object per line, UTF-8. */
  public static Sink jsonl(Path path) {
    OutputStream out = open(path);
    return new FileSink("jsonl", path, out) {
      @Override
      void writeRecord(Map<String, Object> record) throws IOException {
        out.write(Json.MAPPER.writeValueAsBytes(record));
        out.write('\n');
      }
    };
  }

  /** A JSON array of objects, streamed (the closing bracket is written on close). */
  public static Sink json(Path path) {
    SequenceWriter seq;
    try {
      seq = Json.MAPPER.writer().withDefaultPrettyPrinter().writeValuesAsArray(open(path));
    } catch (IOException e) {
      throw new UncheckedIOException("opening " + path, e);
    }
    return new FileSink("json", path, seq) {
      @Override
      void writeRecord(Map<String, Object> record) throws IOException {
        seq.write(record);
      }
    };
  }

  /** A file sink: wraps I/O errors with the path, flushes and closes its target. */
  private abstract static class FileSink implements Sink {
    private final String kind;
    private final Path path;
    private final java.io.Flushable target;

    FileSink(String kind, Path path, java.io.Flushable target) {
      this.kind = kind;
      this.path = path;
      this.target = target;
    }

    abstract void writeRecord(Map<String, Object> record) throws IOException;

    @Override
    public void write(Map<String, Object> record) {
      try {
        writeRecord(record);
      } catch (IOException e) {
        throw new UncheckedIOException("writing " + path, e);
      }
    }

    @Override
    public void flush() {
      try {
        target.flush();
      } catch (IOException e) {
        throw new UncheckedIOException("flushing " + path, e);
      }
    }

    @Override
    public void close() {
      try {
        ((java.io.Closeable) target).close();
      } catch (IOException e) {
        throw new UncheckedIOException("closing " + path, e);
      }
    }

    @Override
    public String describe() {
      return kind + ":" + path;
    }
  }

  /**
   * CSV with a header row. {@code columns} fixes the columns; when empty, the first record's keys
   * are used. Nested values (lists, objects) are written as JSON text.
   */
  public static Sink csv(Path path, List<String> columns) {
    Objects.requireNonNull(path, "path");
    List<String> fixed = List.copyOf(columns);
    return new Sink() {
      private final OutputStream out = open(path);
      private SequenceWriter seq;
      private List<String> cols = fixed;

      @Override
      public void write(Map<String, Object> record) {
        try {
          if (seq == null) {
            if (cols.isEmpty()) {
              cols = new ArrayList<>(record.keySet());
            }
            CsvSchema.Builder schema = CsvSchema.builder().setUseHeader(true);
            cols.forEach(schema::addColumn);
            CsvMapper m = new CsvMapper();
            m.getFactory().configure(JsonGenerator.Feature.AUTO_CLOSE_TARGET, true);
            m.getFactory().enable(CsvGenerator.Feature.ALWAYS_QUOTE_EMPTY_STRINGS);
            seq = m.writer(schema.build()).writeValues(out);
          }
          Map<String, Object> row = new LinkedHashMap<>();
          for (String c : cols) {
            Object v = record.get(c);
            row.put(c, v instanceof Map<?, ?> || v instanceof Collection<?> ? Json.write(v) : v);
          }
          seq.write(row);
        } catch (IOException e) {
          throw new UncheckedIOException("writing " + path, e);
        }
      }

      @Override
      public void flush() {
        try {
          if (seq != null) {
            seq.flush();
          }
          out.flush();
        } catch (IOException e) {
          throw new UncheckedIOException("flushing " + path, e);
        }
      }

      @Override
      public void close() {
        try {
          if (seq != null) {
            seq.close();
          } else {
            out.close();
          }
        } catch (IOException e) {
          throw new UncheckedIOException("closing " + path, e);
        }
      }

      @Override
      public String describe() {
        return "csv:" + path;
      }
    };
  }

  /** Collects records into {@code target} (thawed, mutable copies); handy in tests and JShell. */
  @SuppressWarnings("unchecked")
  public static Sink collecting(List<Map<String, Object>> target) {
    Objects.requireNonNull(target, "target");
    return new Sink() {
      @Override
      public void write(Map<String, Object> record) {
        target.add((Map<String, Object>) JsonValues.thaw(record));
      }

      @Override
      public void close() {}

      @Override
      public String describe() {
        return "memory";
      }
    };
  }

  /** Discards records (counts still reach the report). */
  public static Sink discard() {
    return new Sink() {
      @Override
      public void write(Map<String, Object> record) {}

      @Override
      public void close() {}

      @Override
      public String describe() {
        return "discard";
      }
    };
  }

  private static OutputStream open(Path path) {
    try {
      Path parent = path.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      return new BufferedOutputStream(Files.newOutputStream(path), 1 << 16);
    } catch (IOException e) {
      throw new UncheckedIOException("opening " + path, e);
    }
  }
}
