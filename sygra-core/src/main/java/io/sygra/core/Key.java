package io.sygra.core;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JavaType;
import io.sygra.core.internal.Json;
import io.sygra.core.internal.JsonValues;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A typed name for a {@link State} value. State holds JSON-compatible values; a key converts them
 * to its Java type on read (numbers widen or narrow exactly, objects become records or beans
 * through Jackson) and back to JSON on write, so graphs get type safety without unchecked casts.
 *
 * <pre>{@code
 * static final Key<String> QUESTION = Key.string("question");
 * static final Key<Verdict> VERDICT = Key.of("verdict", Verdict.class);
 * String q = state.require(QUESTION);
 * }</pre>
 *
 * <p>Keys are immutable and thread-safe; equal when name and type are equal.
 *
 * @param <T> the Java type of the value
 */
public final class Key<T> {
  private final String name;
  private final JavaType type;
  private final Class<?> raw;

  private Key(String name, JavaType type) {
    ConfigurationException.check(
        name != null && !name.isBlank(), "key", "name must be non-blank, was '" + name + "'");
    this.name = name;
    this.type = Objects.requireNonNull(type, "type");
    this.raw = type.getRawClass();
  }

  /** A key whose value converts to {@code type} (a JSON scalar type, record, bean or enum). */
  public static <T> Key<T> of(String name, Class<T> type) {
    return new Key<>(name, Json.MAPPER.constructType(type));
  }

  /**
   * A key with a generic type, e.g. {@code Key.of("scores", new TypeReference<Map<String,
   * Integer>>() {})}.
   */
  public static <T> Key<T> of(String name, TypeReference<T> type) {
    return new Key<>(name, Json.MAPPER.constructType(type));
  }

  /** A string key. */
  public static Key<String> string(String name) {
    return of(name, String.class);
  }

  /**
   * An integer key; reading a non-integral or out-of-range number fails with {@link
   * StateException}.
   */
  public static Key<Integer> integer(String name) {
    return of(name, Integer.class);
  }

  /** A long key. */
  public static Key<Long> longKey(String name) {
    return of(name, Long.class);
  }

  /** A double key. */
  public static Key<Double> number(String name) {
    return of(name, Double.class);
  }

  /** A boolean key. */
  public static Key<Boolean> bool(String name) {
    return of(name, Boolean.class);
  }

  /** A list key whose elements convert to {@code element}. */
  public static <E> Key<List<E>> listOf(String name, Class<E> element) {
    return new Key<>(
        name, Json.MAPPER.getTypeFactory().constructCollectionType(List.class, element));
  }

  /** A map key with string keys and values converting to {@code value}. */
  public static <V> Key<Map<String, V>> mapOf(String name, Class<V> value) {
    return new Key<>(
        name, Json.MAPPER.getTypeFactory().constructMapType(Map.class, String.class, value));
  }

  /** The state key name. */
  public String name() {
    return name;
  }

  /** The Java type, as Jackson sees it; used by structured-output nodes to derive schemas. */
  public JavaType javaType() {
    return type;
  }

  /** Converts a stored JSON value to {@code T}. */
  @SuppressWarnings("unchecked")
  T read(Object json) {
    if (json == null) {
      return null;
    }
    if (raw == Object.class) {
      return (T) json;
    }
    if (!type.isContainerType() && raw.isInstance(json)) {
      return (T) json;
    }
    if (json instanceof Number n && Number.class.isAssignableFrom(boxed(raw))) {
      return (T) convertNumber(n);
    }
    if (raw == String.class && !(json instanceof String)) {
      throw mismatch(json);
    }
    if ((raw == Boolean.class || raw == boolean.class) && !(json instanceof Boolean)) {
      throw mismatch(json);
    }
    try {
      return Json.MAPPER.convertValue(json, type);
    } catch (IllegalArgumentException e) {
      throw new StateException(
          name,
          "cannot read "
              + JsonValues.typeName(json)
              + " as "
              + type.toCanonical()
              + ": "
              + firstLine(e.getMessage()),
          e);
    }
  }

  private StateException mismatch(Object json) {
    return new StateException(
        name, "expected " + raw.getSimpleName() + ", found " + JsonValues.typeName(json));
  }

  private Object convertNumber(Number n) {
    Class<?> target = boxed(raw);
    try {
      if (target == Integer.class) {
        return new BigDecimal(n.toString()).intValueExact();
      }
      if (target == Long.class) {
        return new BigDecimal(n.toString()).longValueExact();
      }
      if (target == Double.class) {
        return n.doubleValue();
      }
      if (target == Float.class) {
        return n.floatValue();
      }
      if (target == BigInteger.class) {
        return new BigDecimal(n.toString()).toBigIntegerExact();
      }
      if (target == BigDecimal.class) {
        return new BigDecimal(n.toString());
      }
      if (target == Short.class) {
        return new BigDecimal(n.toString()).shortValueExact();
      }
      if (target == Number.class) {
        return n;
      }
    } catch (ArithmeticException e) {
      throw new StateException(
          name, "number " + n + " does not fit " + target.getSimpleName() + " exactly", e);
    }
    throw new StateException(name, "cannot read a number as " + target.getSimpleName());
  }

  private static Class<?> boxed(Class<?> c) {
    if (!c.isPrimitive()) {
      return c;
    }
    if (c == int.class) {
      return Integer.class;
    }
    if (c == long.class) {
      return Long.class;
    }
    if (c == double.class) {
      return Double.class;
    }
    if (c == boolean.class) {
      return Boolean.class;
    }
    if (c == float.class) {
      return Float.class;
    }
    if (c == short.class) {
      return Short.class;
    }
    return c;
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Key<?> k && k.name.equals(name) && k.type.equals(type);
  }

  @Override
  public int hashCode() {
    return name.hashCode() * 31 + type.hashCode();
  }

  @Override
  public String toString() {
    return "Key[" + name + ": " + type.toCanonical() + "]";
  }
}
