package io.sygra.schema.internal;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Deep, immutable copies of JSON-compatible values: strings, booleans, numbers, lists, string-keyed
 * maps and {@code null}. Used for metadata and tool definitions so records stay immutable.
 */
public final class JsonValues {
  private JsonValues() {}

  /** Marks maps already known to be frozen, so they are not copied again. */
  private static final class FrozenMap extends java.util.AbstractMap<String, Object> {
    private final Map<String, Object> delegate;

    FrozenMap(Map<String, Object> delegate) {
      this.delegate = Collections.unmodifiableMap(delegate);
    }

    @Override
    public java.util.Set<Entry<String, Object>> entrySet() {
      return delegate.entrySet();
    }

    @Override
    public Object get(Object key) {
      return delegate.get(key);
    }

    @Override
    public boolean containsKey(Object key) {
      return delegate.containsKey(key);
    }

    @Override
    public int size() {
      return delegate.size();
    }
  }

  /** Marks lists already known to be frozen. */
  private static final class FrozenList extends java.util.AbstractList<Object>
      implements java.util.RandomAccess {
    private final Object[] items;

    FrozenList(Object[] items) {
      this.items = items;
    }

    @Override
    public Object get(int index) {
      return items[index];
    }

    @Override
    public int size() {
      return items.length;
    }
  }

  /**
   * Adopts a fresh map whose values are already frozen JSON values (or {@link #trustedList}s),
   * without copying. Only for maps that no other code holds a reference to.
   */
  public static Map<String, Object> trustedMap(LinkedHashMap<String, Object> frozenValues) {
    return new FrozenMap(frozenValues);
  }

  /** Adopts a fresh list of frozen values without copying; see {@link #trustedMap}. */
  public static List<Object> trustedList(List<?> frozenItems) {
    return new FrozenList(frozenItems.toArray());
  }

  /** An unmodifiable deep copy of {@code map} in insertion order; {@code null} becomes empty. */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> freezeMap(Map<String, ?> map, String path) {
    if (map == null || map.isEmpty()) {
      return Map.of();
    }
    return (Map<String, Object>) freeze(map, path);
  }

  /** An unmodifiable deep copy of a list of objects; {@code null} becomes empty. */
  @SuppressWarnings("unchecked")
  public static List<Map<String, Object>> freezeObjectList(
      List<? extends Map<String, ?>> list, String path) {
    if (list == null || list.isEmpty()) {
      return List.of();
    }
    List<Map<String, Object>> out = new ArrayList<>(list.size());
    int i = 0;
    for (Map<String, ?> m : list) {
      if (m == null) {
        throw new IllegalArgumentException(path + "[" + i + "]: null, expected an object");
      }
      out.add((Map<String, Object>) freeze(m, path + "[" + i + "]"));
      i++;
    }
    return Collections.unmodifiableList(out);
  }

  /**
   * An immutable JSON-compatible copy of {@code value}.
   *
   * @throws IllegalArgumentException naming {@code path} when the value is not JSON-compatible
   */
  public static Object freeze(Object value, String path) {
    if (value == null
        || value instanceof FrozenMap
        || value instanceof FrozenList
        || value instanceof String
        || value instanceof Boolean
        || value instanceof Integer
        || value instanceof Long
        || value instanceof BigInteger
        || value instanceof BigDecimal) {
      return value;
    }
    if (value instanceof Double d) {
      return finite(d, path);
    }
    if (value instanceof Float f) {
      return finite(f.doubleValue(), path);
    }
    if (value instanceof Short || value instanceof Byte) {
      return ((Number) value).intValue();
    }
    if (value instanceof Number n) {
      return new BigDecimal(n.toString());
    }
    if (value instanceof CharSequence cs) {
      return cs.toString();
    }
    if (value instanceof Map<?, ?> m) {
      Map<String, Object> copy = new LinkedHashMap<>(Math.max(4, m.size() * 2));
      for (Map.Entry<?, ?> e : m.entrySet()) {
        if (!(e.getKey() instanceof String k)) {
          throw new IllegalArgumentException(path + ": map keys must be strings");
        }
        copy.put(k, freeze(e.getValue(), path + "." + k));
      }
      return new FrozenMap(copy);
    }
    if (value instanceof Collection<?> c) {
      Object[] copy = new Object[c.size()];
      int i = 0;
      for (Object o : c) {
        copy[i] = freeze(o, path + "[" + i + "]");
        i++;
      }
      return new FrozenList(copy);
    }
    if (value instanceof Object[] a) {
      return freeze(java.util.Arrays.asList(a), path);
    }
    throw new IllegalArgumentException(
        path + ": a " + value.getClass().getSimpleName() + " is not a JSON value");
  }

  private static Double finite(double d, String path) {
    if (Double.isNaN(d) || Double.isInfinite(d)) {
      throw new IllegalArgumentException(path + ": " + d + " is not a JSON number");
    }
    return d;
  }
}
