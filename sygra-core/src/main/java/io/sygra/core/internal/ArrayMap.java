package io.sygra.core.internal;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * An immutable, insertion-ordered map of string keys backed by two arrays. State updates copy a few
 * references instead of rehashing a {@code LinkedHashMap}, which is what makes a node step cheap;
 * lookups scan linearly for small maps and use a lazily built index for large ones. Values must
 * already be frozen (see {@link JsonValues}).
 */
public final class ArrayMap extends AbstractMap<String, Object> {
  private static final int INDEX_THRESHOLD = 12;

  /** The empty map. */
  public static final ArrayMap EMPTY = new ArrayMap(new String[0], new Object[0]);

  private final String[] keys;
  private final Object[] values;
  private transient volatile Map<String, Integer> index;
  private transient Set<Entry<String, Object>> entries;

  private ArrayMap(String[] keys, Object[] values) {
    this.keys = keys;
    this.values = values;
  }

  /** Adopts already-frozen keys and values (arrays are not copied; callers hand over ownership). */
  static ArrayMap adopt(String[] keys, Object[] values) {
    return keys.length == 0 ? EMPTY : new ArrayMap(keys, values);
  }

  private int indexOf(Object key) {
    if (keys.length > INDEX_THRESHOLD) {
      Map<String, Integer> idx = index;
      if (idx == null) {
        idx = new HashMap<>(keys.length * 2);
        for (int i = 0; i < keys.length; i++) {
          idx.put(keys[i], i);
        }
        index = idx;
      }
      Integer i = idx.get(key);
      return i == null ? -1 : i;
    }
    for (int i = 0; i < keys.length; i++) {
      if (keys[i] == key) {
        return i;
      }
    }
    for (int i = 0; i < keys.length; i++) {
      if (keys[i].equals(key)) {
        return i;
      }
    }
    return -1;
  }

  @Override
  public Object get(Object key) {
    int i = indexOf(key);
    return i < 0 ? null : values[i];
  }

  @Override
  public boolean containsKey(Object key) {
    return indexOf(key) >= 0;
  }

  @Override
  public int size() {
    return keys.length;
  }

  @Override
  public boolean isEmpty() {
    return keys.length == 0;
  }

  /** A map with {@code key} set to the frozen {@code value} (replaced in place, or appended). */
  public ArrayMap with(String key, Object frozenValue) {
    int i = indexOf(key);
    if (i >= 0) {
      if (values[i] == frozenValue) {
        return this;
      }
      Object[] v = values.clone();
      v[i] = frozenValue;
      return new ArrayMap(keys, v);
    }
    String[] k = Arrays.copyOf(keys, keys.length + 1);
    Object[] v = Arrays.copyOf(values, values.length + 1);
    k[keys.length] = key;
    v[values.length] = frozenValue;
    return new ArrayMap(k, v);
  }

  /** A map without {@code key}. */
  public ArrayMap without(String key) {
    int i = indexOf(key);
    if (i < 0) {
      return this;
    }
    String[] k = new String[keys.length - 1];
    Object[] v = new Object[values.length - 1];
    System.arraycopy(keys, 0, k, 0, i);
    System.arraycopy(values, 0, v, 0, i);
    System.arraycopy(keys, i + 1, k, i, keys.length - i - 1);
    System.arraycopy(values, i + 1, v, i, values.length - i - 1);
    return adopt(k, v);
  }

  @Override
  public Set<Entry<String, Object>> entrySet() {
    Set<Entry<String, Object>> e = entries;
    if (e == null) {
      e =
          new AbstractSet<>() {
            @Override
            public Iterator<Entry<String, Object>> iterator() {
              return new Iterator<>() {
                private int i;

                @Override
                public boolean hasNext() {
                  return i < keys.length;
                }

                @Override
                public Entry<String, Object> next() {
                  if (i >= keys.length) {
                    throw new NoSuchElementException();
                  }
                  Entry<String, Object> en = new SimpleImmutableEntry<>(keys[i], values[i]);
                  i++;
                  return en;
                }
              };
            }

            @Override
            public int size() {
              return keys.length;
            }
          };
      entries = e;
    }
    return e;
  }

  @Override
  public void forEach(java.util.function.BiConsumer<? super String, ? super Object> action) {
    for (int i = 0; i < keys.length; i++) {
      action.accept(keys[i], values[i]);
    }
  }

  @Override
  public Object put(String key, Object value) {
    throw new UnsupportedOperationException("immutable");
  }

  @Override
  public Object remove(Object key) {
    throw new UnsupportedOperationException("immutable");
  }

  @Override
  public void clear() {
    throw new UnsupportedOperationException("immutable");
  }

  /** Collects keys and values in order, replacing values of repeated keys. */
  public static final class Builder {
    private String[] keys;
    private Object[] values;
    private int size;

    public Builder(int expected) {
      keys = new String[Math.max(4, expected)];
      values = new Object[keys.length];
    }

    public Builder(ArrayMap from, int extra) {
      keys = Arrays.copyOf(from.keys, from.keys.length + Math.max(4, extra));
      values = Arrays.copyOf(from.values, keys.length);
      size = from.keys.length;
    }

    public Builder put(String key, Object frozenValue) {
      for (int i = 0; i < size; i++) {
        if (keys[i].equals(key)) {
          values[i] = frozenValue;
          return this;
        }
      }
      if (size == keys.length) {
        keys = Arrays.copyOf(keys, size * 2);
        values = Arrays.copyOf(values, size * 2);
      }
      keys[size] = key;
      values[size] = frozenValue;
      size++;
      return this;
    }

    public Object get(String key) {
      for (int i = 0; i < size; i++) {
        if (keys[i].equals(key)) {
          return values[i];
        }
      }
      return null;
    }

    public ArrayMap build() {
      return adopt(Arrays.copyOf(keys, size), Arrays.copyOf(values, size));
    }
  }
}
