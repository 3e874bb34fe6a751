package io.sygra.core.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Normalizes arbitrary Java values into immutable JSON-compatible trees: {@code String}, {@code
 * Boolean}, {@code Integer}/{@code Long}/{@code BigInteger}, {@code Double}/{@code BigDecimal},
 * unmodifiable {@code List} and {@code Map<String, ?>}, and {@code null}. Records, POJOs, enums and
 * {@code JsonNode}s are converted through Jackson. Values that are already normalized are returned
 * as they are, which keeps state updates cheap on the hot path.
 */
public final class JsonValues {
  private JsonValues() {}

  /** Marker type for lists and maps produced here, so they are not copied twice. */
  private static final class FrozenList<E> extends java.util.AbstractList<E>
      implements java.util.RandomAccess {
    private final Object[] items;

    FrozenList(Object[] items) {
      this.items = items;
    }

    @Override
    @SuppressWarnings("unchecked")
    public E get(int index) {
      return (E) items[index];
    }

    @Override
    public int size() {
      return items.length;
    }
  }

  /** True when {@code value} is already an immutable JSON-compatible tree produced here. */
  public static boolean isFrozen(Object value) {
    return value == null
        || value instanceof String
        || value instanceof Boolean
        || value instanceof Integer
        || value instanceof Long
        || (value instanceof Double d && Double.isFinite(d))
        || value instanceof BigInteger
        || value instanceof BigDecimal
        || value instanceof FrozenList
        || value instanceof ArrayMap;
  }

  /**
   * Returns an immutable JSON-compatible copy of {@code value}.
   *
   * @param path where the value sits, used in error messages (e.g. {@code "answer"})
   * @throws IllegalArgumentException naming the path when the value cannot be represented as JSON
   */
  public static Object freeze(Object value, String path) {
    if (isFrozen(value)) {
      return value;
    }
    if (value instanceof Short || value instanceof Byte) {
      return ((Number) value).intValue();
    }
    if (value instanceof Float f) {
      return checkFinite(f.doubleValue(), path);
    }
    if (value instanceof Double d) {
      return checkFinite(d, path);
    }
    if (value instanceof Number n) {
      return new BigDecimal(n.toString());
    }
    if (value instanceof CharSequence cs) {
      return cs.toString();
    }
    if (value instanceof Character c) {
      return String.valueOf(c);
    }
    if (value instanceof Enum<?> e) {
      return e.name();
    }
    if (value instanceof Collection<?> c) {
      Object[] items = new Object[c.size()];
      int i = 0;
      for (Object item : c) {
        items[i] = freeze(item, path + "[" + i + "]");
        i++;
      }
      return new FrozenList<>(items);
    }
    if (value instanceof Object[] array) {
      return freeze(java.util.Arrays.asList(array), path);
    }
    if (value instanceof Map<?, ?> m) {
      ArrayMap.Builder b = new ArrayMap.Builder(m.size());
      for (Map.Entry<?, ?> e : m.entrySet()) {
        if (!(e.getKey() instanceof String k)) {
          throw new IllegalArgumentException(
              path + ": map keys must be strings, found " + typeName(e.getKey()));
        }
        b.put(k, freeze(e.getValue(), path + "." + k));
      }
      return b.build();
    }
    if (value instanceof JsonNode node) {
      return freeze(Json.MAPPER.convertValue(node, Object.class), path);
    }
    if (value instanceof java.util.Optional<?> o) {
      return freeze(o.orElse(null), path);
    }
    try {
      Object converted = Json.MAPPER.convertValue(value, Object.class);
      if (converted != null && converted.getClass() == value.getClass()) {
        throw new IllegalArgumentException("not convertible");
      }
      return freeze(converted, path);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          path + ": a " + typeName(value) + " cannot be represented as JSON: " + e.getMessage(), e);
    }
  }

  private static Double checkFinite(double d, String path) {
    if (Double.isNaN(d) || Double.isInfinite(d)) {
      throw new IllegalArgumentException(path + ": " + d + " is not a JSON number");
    }
    return d;
  }

  /** Freezes a map of values, keeping insertion order. */
  public static ArrayMap freezeMap(Map<String, ?> map) {
    if (map instanceof ArrayMap a) {
      return a;
    }
    return (ArrayMap) freeze(map, "$");
  }

  /** Wraps an already frozen list without copying its elements again. */
  public static List<Object> frozenList(List<?> frozenItems) {
    return new FrozenList<>(frozenItems.toArray());
  }

  /** A short human name for the JSON type of {@code value}, used in error messages. */
  public static String typeName(Object value) {
    if (value == null) {
      return "null";
    }
    if (value instanceof String) {
      return "string";
    }
    if (value instanceof Boolean) {
      return "boolean";
    }
    if (value instanceof Number) {
      return "number";
    }
    if (value instanceof List<?>) {
      return "array";
    }
    if (value instanceof Map<?, ?>) {
      return "object";
    }
    return value.getClass().getSimpleName();
  }

  /** Mutable deep copy, for callers that want to edit a value. */
  @SuppressWarnings("unchecked")
  public static Object thaw(Object value) {
    if (value instanceof List<?> l) {
      List<Object> out = new ArrayList<>(l.size());
      for (Object o : l) {
        out.add(thaw(o));
      }
      return out;
    }
    if (value instanceof Map<?, ?> m) {
      Map<String, Object> out = new LinkedHashMap<>();
      ((Map<String, Object>) m).forEach((k, v) -> out.put(k, thaw(v)));
      return out;
    }
    return value;
  }
}
