package io.sygra.core.run;

import io.sygra.core.ConfigurationException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * Built-in {@link Transform}s. Positions ({@code skipFirst}, {@code range}) count records as they
 * reach the transform, 0-based. Bad records (recoverable {@link SourceException}s) pass through
 * untouched and do not count as positions.
 */
public final class Transforms {
  private Transforms() {}

  /** Renames field {@code from} to {@code to} (records without it pass unchanged). */
  public static Transform rename(String from, String to) {
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    return map(
        v -> {
          if (!v.containsKey(from)) {
            return v;
          }
          Map<String, Object> out = new LinkedHashMap<>();
          v.forEach((k, x) -> out.put(k.equals(from) ? to : k, x));
          return out;
        });
  }

  /** Renames several fields at once ({@code old -> new}). */
  public static Transform rename(Map<String, String> renames) {
    Map<String, String> r = Map.copyOf(renames);
    return map(
        v -> {
          Map<String, Object> out = new LinkedHashMap<>();
          v.forEach((k, x) -> out.put(r.getOrDefault(k, k), x));
          return out;
        });
  }

  /** Adds (or overwrites) field {@code key} with a constant value. */
  public static Transform add(String key, Object value) {
    return add(key, v -> value);
  }

  /** Adds (or overwrites) field {@code key} with a value computed from the record. */
  public static Transform add(String key, Function<Map<String, Object>, ?> value) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
    return map(
        v -> {
          Map<String, Object> out = new LinkedHashMap<>(v);
          out.put(key, value.apply(v));
          return out;
        });
  }

  /** Replaces each record's values with {@code fn(values)}. */
  public static Transform map(UnaryOperator<Map<String, Object>> fn) {
    Objects.requireNonNull(fn, "fn");
    return up ->
        new Delegating(up) {
          @Override
          public SourceRecord next() {
            SourceRecord r = up.next();
            return r.withValues(Objects.requireNonNull(fn.apply(r.values()), "map returned null"));
          }
        };
  }

  /** Keeps records for which {@code keep} is true (dropped records never enter the graph). */
  public static Transform filter(Predicate<Map<String, Object>> keep) {
    Objects.requireNonNull(keep, "keep");
    return up -> new Filtering(up, (r, i) -> keep.test(r.values()));
  }

  /** Skips the first {@code n} records. */
  public static Transform skipFirst(long n) {
    ConfigurationException.check(n >= 0, "skipFirst", "must be >= 0, was " + n);
    return up -> new Filtering(up, (r, i) -> i >= n);
  }

  /** Keeps only records at positions {@code [from, to)}. */
  public static Transform range(long from, long to) {
    ConfigurationException.check(
        from >= 0 && to >= from, "range", "needs 0 <= from <= to, was [" + from + ", " + to + ")");
    return up -> new Filtering(up, (r, i) -> i >= from && i < to);
  }

  /** Skips records at positions {@code [from, to)}. */
  public static Transform skipRange(long from, long to) {
    ConfigurationException.check(
        from >= 0 && to >= from,
        "skipRange",
        "needs 0 <= from <= to, was [" + from + ", " + to + ")");
    return up -> new Filtering(up, (r, i) -> i < from || i >= to);
  }

  /** Keeps at most the first {@code n} records and stops reading after them. */
  public static Transform limit(long n) {
    ConfigurationException.check(n >= 0, "limit", "must be >= 0, was " + n);
    return up ->
        new Delegating(up) {
          private long taken;

          @Override
          public boolean hasNext() {
            return taken < n && up.hasNext();
          }

          @Override
          public SourceRecord next() {
            if (taken >= n) {
              throw new NoSuchElementException();
            }
            SourceRecord r = up.next();
            taken++;
            return r;
          }
        };
  }

  /** Skips the last {@code n} records (holds {@code n} records of look-ahead). */
  public static Transform skipLast(int n) {
    ConfigurationException.check(n >= 0, "skipLast", "must be >= 0, was " + n);
    return up ->
        new Delegating(up) {
          private final ArrayDeque<SourceRecord> buffer = new ArrayDeque<>();

          @Override
          public boolean hasNext() {
            while (buffer.size() <= n && up.hasNext()) {
              buffer.add(up.next());
            }
            return buffer.size() > n;
          }

          @Override
          public SourceRecord next() {
            if (!hasNext()) {
              throw new NoSuchElementException();
            }
            return buffer.poll();
          }
        };
  }

  /**
   * Combines windows of {@code size} consecutive records, starting a new window every {@code
   * stride} records, into one record per window: each field becomes the list of that field's values
   * across the window (missing values as null). A final partial window is emitted when at least one
   * record is left after the last full one and {@code stride >= size}; with overlapping windows
   * only full windows are emitted.
   */
  public static Transform window(int size, int stride) {
    return window(size, stride, Transforms::combineByField);
  }

  /** Like {@link #window(int, int)} with a custom combiner. */
  public static Transform window(
      int size, int stride, Function<List<Map<String, Object>>, Map<String, ?>> combiner) {
    ConfigurationException.check(size >= 1, "window.size", "must be >= 1, was " + size);
    ConfigurationException.check(stride >= 1, "window.stride", "must be >= 1, was " + stride);
    Objects.requireNonNull(combiner, "combiner");
    return up ->
        new Delegating(up) {
          private final ArrayDeque<SourceRecord> buf = new ArrayDeque<>();
          private SourceRecord ready;
          private long skipPending;
          private boolean emittedPartial;

          @Override
          public boolean hasNext() {
            if (ready != null) {
              return true;
            }
            while (skipPending > 0 && up.hasNext()) {
              up.next();
              skipPending--;
            }
            while (buf.size() < size && up.hasNext()) {
              buf.add(up.next());
            }
            if (buf.isEmpty() || (buf.size() < size && (stride < size || emittedPartial))) {
              return false;
            }
            List<SourceRecord> win = new ArrayList<>(buf);
            List<Map<String, Object>> values = new ArrayList<>(win.size());
            win.forEach(r -> values.add(r.values()));
            String origin = win.get(0).origin() + ".." + win.get(win.size() - 1).origin();
            ready = SourceRecord.of(combiner.apply(values), origin);
            if (buf.size() < size) {
              emittedPartial = true;
              buf.clear();
            } else {
              for (int i = 0; i < stride && !buf.isEmpty(); i++) {
                buf.poll();
              }
              skipPending = Math.max(0, stride - size);
            }
            return true;
          }

          @Override
          public SourceRecord next() {
            if (!hasNext()) {
              throw new NoSuchElementException();
            }
            SourceRecord r = ready;
            ready = null;
            return r;
          }
        };
  }

  private static Map<String, ?> combineByField(List<Map<String, Object>> window) {
    Map<String, List<Object>> out = new LinkedHashMap<>();
    for (Map<String, Object> r : window) {
      for (String k : r.keySet()) {
        out.computeIfAbsent(k, x -> new ArrayList<>());
      }
    }
    for (Map.Entry<String, List<Object>> e : out.entrySet()) {
      for (Map<String, Object> r : window) {
        e.getValue().add(r.get(e.getKey()));
      }
    }
    return out;
  }

  /** Applies transforms in order. */
  public static Transform chain(List<Transform> transforms) {
    List<Transform> ts = List.copyOf(transforms);
    return up -> {
      RecordReader r = up;
      for (Transform t : ts) {
        r = t.apply(r);
      }
      return r;
    };
  }

  private abstract static class Delegating implements RecordReader {
    final RecordReader up;

    Delegating(RecordReader up) {
      this.up = up;
    }

    @Override
    public boolean hasNext() {
      return up.hasNext();
    }

    @Override
    public void close() {
      up.close();
    }
  }

  private interface PositionPredicate {
    boolean keep(SourceRecord r, long position);
  }

  private static final class Filtering extends Delegating {
    private final PositionPredicate keep;
    private long position;
    private SourceRecord next;

    Filtering(RecordReader up, PositionPredicate keep) {
      super(up);
      this.keep = keep;
    }

    @Override
    public boolean hasNext() {
      while (next == null && up.hasNext()) {
        SourceRecord r = up.next();
        if (keep.keep(r, position++)) {
          next = r;
        }
      }
      return next != null;
    }

    @Override
    public SourceRecord next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      SourceRecord r = next;
      next = null;
      return r;
    }
  }
}
