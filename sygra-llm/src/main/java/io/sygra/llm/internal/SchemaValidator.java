package io.sygra.llm.internal;

import io.sygra.llm.SchemaViolation;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Validates JSON values (maps, lists, strings, numbers, booleans, null) against the subset of JSON
 * Schema that schema generators and LLM providers use: {@code type}, {@code enum}, {@code const},
 * {@code properties}, {@code required}, {@code additionalProperties}, {@code min/maxProperties},
 * {@code items}, {@code prefixItems}, {@code min/maxItems}, {@code uniqueItems}, {@code
 * min/maxLength}, {@code pattern}, {@code minimum}, {@code maximum}, {@code exclusiveMinimum},
 * {@code exclusiveMaximum} (number and draft-4 boolean forms), {@code multipleOf}, {@code anyOf},
 * {@code oneOf}, {@code allOf}, {@code not}, and local {@code $ref}s ({@code #}, {@code
 * #/$defs/...}, {@code #/definitions/...}). Other keywords ({@code format}, {@code description}...)
 * are annotations and are ignored. Thread-safe; stateless apart from a regex cache.
 */
public final class SchemaValidator {
  private static final int MAX_VIOLATIONS = 20;
  private static final Map<String, Pattern> PATTERNS = new ConcurrentHashMap<>();

  private final Map<String, Object> root;
  private final boolean allowAdditional;
  private final List<SchemaViolation> out = new ArrayList<>();

  private SchemaValidator(Map<String, Object> root, boolean allowAdditional) {
    this.root = root;
    this.allowAdditional = allowAdditional;
  }

  /**
   * Validates {@code value} against {@code schema}.
   *
   * @param allowAdditional when true, {@code additionalProperties: false} is not enforced (extra
   *     fields a model adds are ignored rather than rejected)
   * @return the violations found (at most 20), empty when valid
   */
  public static List<SchemaViolation> validate(
      Map<String, Object> schema, Object value, boolean allowAdditional) {
    SchemaValidator v = new SchemaValidator(schema, allowAdditional);
    v.check(schema, value, "$", 0);
    return List.copyOf(v.out);
  }

  private void add(String path, String message) {
    if (out.size() < MAX_VIOLATIONS) {
      out.add(new SchemaViolation(path, message));
    }
  }

  @SuppressWarnings("unchecked")
  private void check(Object schemaObj, Object value, String path, int depth) {
    if (schemaObj instanceof Boolean b) {
      if (!b) {
        add(path, "no value is allowed here");
      }
      return;
    }
    if (!(schemaObj instanceof Map<?, ?>)) {
      return;
    }
    if (depth > 64) {
      add(path, "schema nesting is too deep (recursive $ref?)");
      return;
    }
    Map<String, Object> s = (Map<String, Object>) schemaObj;
    Object ref = s.get("$ref");
    if (ref instanceof String r) {
      Object target = resolve(r);
      if (target == null) {
        add(path, "the schema refers to '" + r + "', which it does not define");
        return;
      }
      check(target, value, path, depth + 1);
    }
    Object type = s.get("type");
    if (type != null && !typeMatches(type, value)) {
      add(path, "expected " + typeText(type) + ", found " + describe(value));
      return;
    }
    Object enumValues = s.get("enum");
    if (enumValues instanceof List<?> options) {
      boolean found = false;
      for (Object o : options) {
        found |= jsonEquals(o, value);
      }
      if (!found) {
        add(path, describe(value) + " is not one of " + NodeJson.write(options));
      }
    }
    if (s.containsKey("const") && !jsonEquals(s.get("const"), value)) {
      add(path, describe(value) + " is not the required value " + NodeJson.write(s.get("const")));
    }
    if (value instanceof Map<?, ?> m) {
      checkObject(s, (Map<String, Object>) m, path, depth);
    } else if (value instanceof List<?> l) {
      checkArray(s, l, path, depth);
    } else if (value instanceof String str) {
      checkString(s, str, path);
    } else if (value instanceof Number n) {
      checkNumber(s, n, path);
    }
    checkCombinators(s, value, path, depth);
  }

  @SuppressWarnings("unchecked")
  private void checkObject(Map<String, Object> s, Map<String, Object> m, String path, int depth) {
    Object req = s.get("required");
    if (req instanceof List<?> required) {
      for (Object r : required) {
        if (r instanceof String name && !m.containsKey(name)) {
          add(path, "missing required property '" + name + "'");
        }
      }
    }
    Map<String, Object> props =
        s.get("properties") instanceof Map<?, ?> p ? (Map<String, Object>) p : Map.of();
    Object additional = s.get("additionalProperties");
    for (Map.Entry<String, Object> e : m.entrySet()) {
      String childPath = child(path, e.getKey());
      Object ps = props.get(e.getKey());
      if (ps != null) {
        check(ps, e.getValue(), childPath, depth + 1);
      } else if (Boolean.FALSE.equals(additional)) {
        if (!allowAdditional) {
          add(childPath, "property is not allowed (allowed: " + props.keySet() + ")");
        }
      } else if (additional instanceof Map<?, ?>) {
        check(additional, e.getValue(), childPath, depth + 1);
      }
    }
    Long min = asLong(s.get("minProperties"));
    if (min != null && m.size() < min) {
      add(path, "has " + m.size() + " properties, fewer than the minimum " + min);
    }
    Long max = asLong(s.get("maxProperties"));
    if (max != null && m.size() > max) {
      add(path, "has " + m.size() + " properties, more than the maximum " + max);
    }
  }

  private void checkArray(Map<String, Object> s, List<?> l, String path, int depth) {
    int prefix = 0;
    if (s.get("prefixItems") instanceof List<?> tuple) {
      prefix = Math.min(tuple.size(), l.size());
      for (int i = 0; i < prefix; i++) {
        check(tuple.get(i), l.get(i), path + "[" + i + "]", depth + 1);
      }
    }
    Object items = s.get("items");
    if (items instanceof List<?> tuple) { // draft-7 tuple form
      for (int i = 0; i < Math.min(tuple.size(), l.size()); i++) {
        check(tuple.get(i), l.get(i), path + "[" + i + "]", depth + 1);
      }
    } else if (items != null) {
      for (int i = prefix; i < l.size(); i++) {
        check(items, l.get(i), path + "[" + i + "]", depth + 1);
      }
    }
    Long min = asLong(s.get("minItems"));
    if (min != null && l.size() < min) {
      add(path, "has " + l.size() + " items, fewer than the minimum " + min);
    }
    Long max = asLong(s.get("maxItems"));
    if (max != null && l.size() > max) {
      add(path, "has " + l.size() + " items, more than the maximum " + max);
    }
    if (Boolean.TRUE.equals(s.get("uniqueItems"))) {
      Set<String> seen = new HashSet<>();
      for (int i = 0; i < l.size(); i++) {
        if (!seen.add(NodeJson.canonical(normalize(l.get(i))))) {
          add(path + "[" + i + "]", "duplicates an earlier item, but items must be unique");
          break;
        }
      }
    }
  }

  private void checkString(Map<String, Object> s, String str, String path) {
    int len = str.codePointCount(0, str.length());
    Long min = asLong(s.get("minLength"));
    if (min != null && len < min) {
      add(path, "is " + len + " characters long, shorter than the minimum " + min);
    }
    Long max = asLong(s.get("maxLength"));
    if (max != null && len > max) {
      add(path, "is " + len + " characters long, longer than the maximum " + max);
    }
    if (s.get("pattern") instanceof String regex) {
      Pattern p = pattern(regex);
      if (p != null && !p.matcher(str).find()) {
        add(path, describe(str) + " does not match the pattern " + regex);
      }
    }
  }

  private void checkNumber(Map<String, Object> s, Number n, String path) {
    BigDecimal v = decimal(n);
    if (v == null) {
      return;
    }
    BigDecimal min = decimal(s.get("minimum"));
    BigDecimal max = decimal(s.get("maximum"));
    Object exMinRaw = s.get("exclusiveMinimum");
    Object exMaxRaw = s.get("exclusiveMaximum");
    if (min != null) {
      if (Boolean.TRUE.equals(exMinRaw) ? v.compareTo(min) <= 0 : v.compareTo(min) < 0) {
        add(
            path,
            n
                + " is less than the "
                + (Boolean.TRUE.equals(exMinRaw) ? "exclusive " : "")
                + "minimum "
                + plain(min));
      }
    }
    if (max != null) {
      if (Boolean.TRUE.equals(exMaxRaw) ? v.compareTo(max) >= 0 : v.compareTo(max) > 0) {
        add(
            path,
            n
                + " is greater than the "
                + (Boolean.TRUE.equals(exMaxRaw) ? "exclusive " : "")
                + "maximum "
                + plain(max));
      }
    }
    BigDecimal exMin = exMinRaw instanceof Number ? decimal(exMinRaw) : null;
    if (exMin != null && v.compareTo(exMin) <= 0) {
      add(path, n + " must be greater than " + plain(exMin));
    }
    BigDecimal exMax = exMaxRaw instanceof Number ? decimal(exMaxRaw) : null;
    if (exMax != null && v.compareTo(exMax) >= 0) {
      add(path, n + " must be less than " + plain(exMax));
    }
    BigDecimal multiple = decimal(s.get("multipleOf"));
    if (multiple != null
        && multiple.signum() > 0
        && v.remainder(multiple).compareTo(BigDecimal.ZERO) != 0) {
      add(path, n + " is not a multiple of " + plain(multiple));
    }
  }

  private void checkCombinators(Map<String, Object> s, Object value, String path, int depth) {
    if (s.get("allOf") instanceof List<?> all) {
      for (Object sub : all) {
        check(sub, value, path, depth + 1);
      }
    }
    if (s.get("anyOf") instanceof List<?> any) {
      List<SchemaViolation> firstFailure = null;
      boolean ok = false;
      for (Object sub : any) {
        List<SchemaViolation> v = trial(sub, value, path, depth);
        if (v.isEmpty()) {
          ok = true;
          break;
        }
        if (firstFailure == null) {
          firstFailure = v;
        }
      }
      if (!ok && !any.isEmpty()) {
        add(path, "matches none of the allowed shapes (anyOf); first: " + firstFailure.get(0));
      }
    }
    if (s.get("oneOf") instanceof List<?> one) {
      int matches = 0;
      for (Object sub : one) {
        if (trial(sub, value, path, depth).isEmpty()) {
          matches++;
        }
      }
      if (matches != 1) {
        add(path, "must match exactly one allowed shape (oneOf), matched " + matches);
      }
    }
    if (s.containsKey("not") && trial(s.get("not"), value, path, depth).isEmpty()) {
      add(path, "matches a shape that is not allowed (not)");
    }
  }

  private List<SchemaViolation> trial(Object schema, Object value, String path, int depth) {
    SchemaValidator sub = new SchemaValidator(root, allowAdditional);
    sub.check(schema, value, path, depth + 1);
    return sub.out;
  }

  /** Resolves a local JSON pointer reference; null when it cannot be found. */
  @SuppressWarnings("unchecked")
  private Object resolve(String ref) {
    if (ref.equals("#")) {
      return root;
    }
    if (!ref.startsWith("#/")) {
      return null;
    }
    Object cur = root;
    for (String raw : ref.substring(2).split("/", -1)) {
      String token = raw.replace("~1", "/").replace("~0", "~");
      if (!(cur instanceof Map<?, ?> m)) {
        return null;
      }
      cur = ((Map<String, Object>) m).get(token);
    }
    return cur;
  }

  static boolean typeMatches(Object type, Object value) {
    if (type instanceof List<?> types) {
      for (Object t : types) {
        if (typeMatches(t, value)) {
          return true;
        }
      }
      return false;
    }
    if (!(type instanceof String t)) {
      return true;
    }
    return switch (t) {
      case "null" -> value == null;
      case "boolean" -> value instanceof Boolean;
      case "object" -> value instanceof Map<?, ?>;
      case "array" -> value instanceof List<?>;
      case "string" -> value instanceof String;
      case "number" -> value instanceof Number;
      case "integer" -> isInteger(value);
      default -> true;
    };
  }

  private static boolean isInteger(Object v) {
    if (v instanceof Integer
        || v instanceof Long
        || v instanceof BigInteger
        || v instanceof Short
        || v instanceof Byte) {
      return true;
    }
    if (v instanceof Double || v instanceof Float) {
      double d = ((Number) v).doubleValue();
      return !Double.isInfinite(d) && d == Math.rint(d);
    }
    if (v instanceof BigDecimal b) {
      return b.stripTrailingZeros().scale() <= 0;
    }
    return false;
  }

  private static String typeText(Object type) {
    if (type instanceof List<?> l) {
      List<String> names = new ArrayList<>();
      for (Object o : l) {
        names.add(String.valueOf(o));
      }
      return String.join(" or ", names);
    }
    return String.valueOf(type);
  }

  /** A short description of a value for messages: its JSON text, cut at 60 characters. */
  static String describe(Object v) {
    if (v == null) {
      return "null";
    }
    String kind;
    if (v instanceof Map<?, ?>) {
      kind = "an object";
    } else if (v instanceof List<?>) {
      kind = "an array";
    } else {
      String text = NodeJson.write(v);
      return text.length() <= 60 ? text : text.substring(0, 57) + "...";
    }
    return kind;
  }

  private static boolean jsonEquals(Object a, Object b) {
    if (a instanceof Number x && b instanceof Number y) {
      BigDecimal dx = decimal(x);
      BigDecimal dy = decimal(y);
      return dx != null && dy != null && dx.compareTo(dy) == 0;
    }
    if (a instanceof Number || b instanceof Number) {
      return false;
    }
    return NodeJson.canonical(normalize(a)).equals(NodeJson.canonical(normalize(b)));
  }

  /** Numbers normalized so 1 and 1.0 compare equal inside lists and maps. */
  private static Object normalize(Object v) {
    if (v instanceof Number n) {
      BigDecimal d = decimal(n);
      return d == null ? n : d.stripTrailingZeros().toPlainString();
    }
    if (v instanceof Map<?, ?> m) {
      Map<String, Object> out = new java.util.LinkedHashMap<>();
      m.forEach((k, x) -> out.put(String.valueOf(k), normalize(x)));
      return out;
    }
    if (v instanceof List<?> l) {
      List<Object> out = new ArrayList<>(l.size());
      for (Object o : l) {
        out.add(normalize(o));
      }
      return out;
    }
    return v;
  }

  private static BigDecimal decimal(Object n) {
    if (!(n instanceof Number num)) {
      return null;
    }
    if (num instanceof BigDecimal b) {
      return b;
    }
    if (num instanceof BigInteger b) {
      return new BigDecimal(b);
    }
    if (num instanceof Double || num instanceof Float) {
      double d = num.doubleValue();
      if (Double.isNaN(d) || Double.isInfinite(d)) {
        return null;
      }
      return BigDecimal.valueOf(d);
    }
    return BigDecimal.valueOf(num.longValue());
  }

  private static String plain(BigDecimal d) {
    return d.stripTrailingZeros().toPlainString();
  }

  private static Long asLong(Object o) {
    return o instanceof Number n ? n.longValue() : null;
  }

  private static Pattern pattern(String regex) {
    try {
      return PATTERNS.computeIfAbsent(regex, Pattern::compile);
    } catch (PatternSyntaxException e) {
      return null; // a pattern Java cannot compile constrains nothing we can check
    }
  }

  private static String child(String path, String name) {
    boolean simple = !name.isEmpty();
    for (int i = 0; i < name.length() && simple; i++) {
      char c = name.charAt(i);
      simple = Character.isLetterOrDigit(c) || c == '_' || c == '-';
    }
    return simple ? path + "." + name : path + "['" + name.replace("'", "\\'") + "']";
  }
}
