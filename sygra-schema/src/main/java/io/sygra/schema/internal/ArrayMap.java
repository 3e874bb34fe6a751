package io.sygra.schema.internal;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * A small immutable map over two arrays, in insertion order, with linear lookup. OASST messages
 * carry a dozen labels and a few emoji and detoxify scores each; this keeps them compact and cheap
 * to build on the parsing hot path.
 *
 * @param <V> the value type
 */
public final class ArrayMap<V> extends AbstractMap<String, V> {
  private final String[] keys;
  private final Object[] values;
  private final int size;

  private ArrayMap(String[] keys, Object[] values, int size) {
    this.keys = keys;
    this.values = values;
    this.size = size;
  }

  /** An immutable copy of {@code m} (returned as is when it already is an {@code ArrayMap}). */
  public static <V> ArrayMap<V> copyOf(Map<String, ? extends V> m) {
    if (m instanceof ArrayMap<?> a) {
      @SuppressWarnings("unchecked")
      ArrayMap<V> same = (ArrayMap<V>) a;
      return same;
    }
    Builder<V> b = new Builder<>(m.size());
    m.forEach(b::put);
    return b.build();
  }

  @Override
  public int size() {
    return size;
  }

  @Override
  public boolean containsKey(Object key) {
    return indexOf(key) >= 0;
  }

  @Override
  @SuppressWarnings("unchecked")
  public V get(Object key) {
    int i = indexOf(key);
    return i < 0 ? null : (V) values[i];
  }

  private int indexOf(Object key) {
    if (key == null) {
      return -1;
    }
    for (int i = 0; i < size; i++) {
      if (keys[i].equals(key)) {
        return i;
      }
    }
    return -1;
  }

  @Override
  public Set<Entry<String, V>> entrySet() {
    return new AbstractSet<>() {
      @Override
      public int size() {
        return size;
      }

      @Override
      public Iterator<Entry<String, V>> iterator() {
        return new Iterator<>() {
          private int i;

          @Override
          public boolean hasNext() {
            return i < size;
          }

          @Override
          @SuppressWarnings("unchecked")
          public Entry<String, V> next() {
            if (i >= size) {
              throw new NoSuchElementException();
            }
            int k = i++;
            return new SimpleImmutableEntry<>(keys[k], (V) values[k]);
          }
        };
      }
    };
  }

  /** Collects entries; a repeated key replaces the earlier value. Not thread-safe. */
  public static final class Builder<V> {
    private String[] keys;
    private Object[] values;
    private int size;

    /** A builder sized for about {@code expected} entries. */
    public Builder(int expected) {
      keys = new String[Math.max(expected, 2)];
      values = new Object[keys.length];
    }

    /** Adds or replaces an entry. */
    public Builder<V> put(String key, V value) {
      for (int i = 0; i < size; i++) {
        if (keys[i].equals(key)) {
          values[i] = value;
          return this;
        }
      }
      if (size == keys.length) {
        keys = Arrays.copyOf(keys, size * 2);
        values = Arrays.copyOf(values, size * 2);
      }
      keys[size] = key;
      values[size] = value;
      size++;
      return this;
    }

    /** Appends an entry whose key the caller knows to be new (no duplicate check). */
    public Builder<V> add(String key, V value) {
      if (size == keys.length) {
        keys = Arrays.copyOf(keys, size * 2);
        values = Arrays.copyOf(values, size * 2);
      }
      keys[size] = key;
      values[size] = value;
      size++;
      return this;
    }

    /** The map; the builder must not be used afterwards. */
    public ArrayMap<V> build() {
      return new ArrayMap<>(keys, values, size);
    }
  }
}
