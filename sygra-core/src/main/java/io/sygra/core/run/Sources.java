package io.sygra.core.run;

import io.sygra.core.ConfigurationException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.function.LongFunction;

/** Factories for the built-in {@link Source}s. */
public final class Sources {
  private Sources() {}

  /** JSON Lines file: one object per line. */
  public static JsonlSource jsonl(Path path) {
    return new JsonlSource(path, JsonlSource.DEFAULT_MAX_LINE_BYTES, false);
  }

  /** JSON file: an array of objects (or a single object), read element by element. */
  public static JsonArraySource json(Path path) {
    return new JsonArraySource(path);
  }

  /** CSV file with a header row; values are strings. */
  public static CsvSource csv(Path path) {
    return new CsvSource(path);
  }

  /**
   * Picks the source by file extension: {@code .jsonl}/{@code .ndjson} → JSONL, {@code .json} →
   * JSON, {@code .csv} → CSV.
   *
   * @throws ConfigurationException for any other extension
   */
  public static Source file(Path path) {
    String n = path.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
    if (n.endsWith(".jsonl") || n.endsWith(".ndjson")) {
      return jsonl(path);
    }
    if (n.endsWith(".json")) {
      return json(path);
    }
    if (n.endsWith(".csv")) {
      return csv(path);
    }
    throw new ConfigurationException(
        "source", "cannot tell the format of '" + path + "': use .jsonl, .json or .csv");
  }

  /**
   * Records from memory, read in iteration order. The iterable is iterated again for every run, so
   * it must yield the same records each time for resumable runs.
   */
  public static Source of(Iterable<? extends Map<String, ?>> records) {
    Objects.requireNonNull(records, "records");
    return new Source() {
      @Override
      public RecordReader open() {
        Iterator<? extends Map<String, ?>> it = records.iterator();
        return new RecordReader() {
          private long i;

          @Override
          public boolean hasNext() {
            return it.hasNext();
          }

          @Override
          public SourceRecord next() {
            return SourceRecord.of(it.next(), "memory[" + i++ + "]");
          }

          @Override
          public void close() {}
        };
      }

      @Override
      public String describe() {
        return "memory";
      }

      @Override
      public OptionalLong size() {
        return records instanceof Collection<?> c
            ? OptionalLong.of(c.size())
            : OptionalLong.empty();
      }
    };
  }

  /**
   * {@code n} empty records with ids {@code "0"} to {@code "n-1"}, for data-less generation (the
   * graph's first nodes sample or invent everything).
   */
  public static Source generate(long n) {
    return generate(n, i -> Map.of());
  }

  /**
   * {@code n} records with ids {@code "0"} to {@code "n-1"} whose values are computed from their
   * index, e.g. {@code generate(1000, i -> Map.of("prompt", "Say " + i))}. Ids are unique, so a run
   * keeps no id set for them.
   *
   * @param values the record values for index {@code i} (JSON-compatible; must not hold the id)
   */
  public static Source generate(long n, LongFunction<Map<String, Object>> values) {
    ConfigurationException.check(n >= 0, "records", "must be >= 0, was " + n);
    Objects.requireNonNull(values, "values");
    return new Source() {
      @Override
      public RecordReader open() {
        return new RecordReader() {
          private long i;

          @Override
          public boolean hasNext() {
            return i < n;
          }

          @Override
          public SourceRecord next() {
            if (i >= n) {
              throw new NoSuchElementException();
            }
            long k = i++;
            return new SourceRecord(values.apply(k), "generated[" + k + "]", Long.toString(k));
          }

          @Override
          public void close() {}
        };
      }

      @Override
      public String describe() {
        return "generate:" + n;
      }

      @Override
      public boolean idsAreUnique() {
        return true;
      }

      @Override
      public OptionalLong size() {
        return OptionalLong.of(n);
      }
    };
  }

  /**
   * Reads every non-null value of {@code field} from {@code source} into a list, e.g. to feed a
   * sequential sampler ({@code Nodes.sampler().sequential("topic", Sources.column(src, "topic"))}).
   *
   * @throws SourceException if the source cannot be read or no record has the field
   */
  public static List<Object> column(Source source, String field) {
    List<Object> values = new ArrayList<>();
    try (RecordReader r = source.open()) {
      while (r.hasNext()) {
        Object v = r.next().values().get(field);
        if (v != null) {
          values.add(v);
        }
      }
    }
    if (values.isEmpty()) {
      throw new SourceException(
          source.describe(), "no record has a value for column '" + field + "'", false);
    }
    return values;
  }
}
