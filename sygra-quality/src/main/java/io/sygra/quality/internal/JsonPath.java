package io.sygra.quality.internal;

import java.util.Map;

/** Dotted-path lookup in nested JSON maps: {@code heuristic.shape.tokens}. */
public final class JsonPath {
  private JsonPath() {}

  /** The value at {@code path}, or null when any step is absent or not an object. */
  public static Object get(Map<String, ?> root, String path) {
    Object cur = root;
    int i = 0;
    int n = path.length();
    while (i < n) {
      int dot = path.indexOf('.', i);
      String key = dot < 0 ? path.substring(i) : path.substring(i, dot);
      if (!(cur instanceof Map<?, ?> m)) {
        return null;
      }
      cur = m.get(key);
      if (cur == null) {
        return null;
      }
      i = dot < 0 ? n : dot + 1;
    }
    return cur;
  }

  /** The steps of a dotted path, for {@link #get(Map, String[])}. */
  public static String[] steps(String path) {
    return path.split("\\.", -1);
  }

  /** The value at the path of {@code steps}, or null when any step is absent or not an object. */
  public static Object get(Map<String, ?> root, String[] steps) {
    Object cur = root;
    for (String step : steps) {
      if (!(cur instanceof Map<?, ?> m)) {
        return null;
      }
      cur = m.get(step);
      if (cur == null) {
        return null;
      }
    }
    return cur;
  }

  /** The number at {@code path}, or null. */
  public static Double number(Map<String, ?> root, String path) {
    return get(root, path) instanceof Number num ? num.doubleValue() : null;
  }
}
