package io.sygra.llm.internal;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Generates a JSON value that satisfies a JSON schema, for the simulated model. Honours {@code
 * type}, {@code enum}, {@code const}, {@code properties} (every property is generated, required or
 * not), {@code additionalProperties} schemas, {@code items}, {@code prefixItems}, {@code
 * minItems}/{@code maxItems}, {@code uniqueItems}, {@code minLength}/{@code maxLength}, the bounds
 * and {@code multipleOf} of numbers, {@code format} (date, date-time, time, email, uri, uuid),
 * {@code anyOf}/{@code oneOf} (first non-null branch), {@code allOf} (merged), and local {@code
 * $ref}s. A {@code pattern} is met when one of a few stock strings happens to match it; there is no
 * general regex generator. Strings are chosen by property name (a {@code reason} gets a sentence, a
 * {@code title} a short phrase) from the prompt's content words.
 */
public final class SchemaSampler {
  private static final int MAX_DEPTH = 12;

  private final Map<String, Object> root;
  private final SplittableRandom rng;
  private final List<String> words;

  public SchemaSampler(Map<String, Object> root, SplittableRandom rng, List<String> words) {
    this.root = root;
    this.rng = rng;
    this.words = TextSynth.orFallback(words);
  }

  /** A value conforming to the root schema. */
  public Object sample() {
    return sample(root, "value", 0);
  }

  @SuppressWarnings("unchecked")
  private Object sample(Object schemaObj, String name, int depth) {
    if (!(schemaObj instanceof Map<?, ?>) || depth > MAX_DEPTH) {
      return depth > MAX_DEPTH ? null : TextSynth.phrase(rng, words, 2);
    }
    Map<String, Object> s = (Map<String, Object>) schemaObj;
    if (s.get("$ref") instanceof String ref) {
      Object target = resolve(ref);
      if (target instanceof Map<?, ?> t) {
        Map<String, Object> merged = new LinkedHashMap<>((Map<String, Object>) t);
        s.forEach(
            (k, v) -> {
              if (!k.equals("$ref")) {
                merged.put(k, v);
              }
            });
        return sample(merged, name, depth + 1);
      }
    }
    if (s.get("allOf") instanceof List<?> all) {
      return sample(mergeAll(s, all), name, depth + 1);
    }
    if (s.containsKey("const")) {
      return s.get("const");
    }
    if (s.get("enum") instanceof List<?> options && !options.isEmpty()) {
      return options.get(rng.nextInt(options.size()));
    }
    for (String key : List.of("anyOf", "oneOf")) {
      if (s.get(key) instanceof List<?> branches && !branches.isEmpty()) {
        Object chosen = branches.get(0);
        for (Object b : branches) {
          if (!(b instanceof Map<?, ?> bm && "null".equals(bm.get("type")))) {
            chosen = b;
            break;
          }
        }
        return sample(chosen, name, depth + 1);
      }
    }
    String type = pickType(s);
    return switch (type) {
      case "null" -> null;
      case "boolean" -> rng.nextBoolean();
      case "integer" -> integer(s, name);
      case "number" -> number(s, name);
      case "array" -> array(s, name, depth);
      case "object" -> object(s, depth);
      default -> string(s, name);
    };
  }

  private String pickType(Map<String, Object> s) {
    Object t = s.get("type");
    if (t instanceof String str) {
      return str;
    }
    if (t instanceof List<?> l) {
      for (Object o : l) {
        if (!"null".equals(o)) {
          return String.valueOf(o);
        }
      }
      return "null";
    }
    if (s.containsKey("properties")) {
      return "object";
    }
    if (s.containsKey("items")) {
      return "array";
    }
    return "string";
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> mergeAll(Map<String, Object> s, List<?> all) {
    Map<String, Object> merged = new LinkedHashMap<>(s);
    merged.remove("allOf");
    Map<String, Object> props = new LinkedHashMap<>();
    Set<Object> required = new LinkedHashSet<>();
    if (s.get("properties") instanceof Map<?, ?> p) {
      props.putAll((Map<String, Object>) p);
    }
    for (Object sub : all) {
      Object resolved = sub;
      if (sub instanceof Map<?, ?> m && m.get("$ref") instanceof String ref) {
        resolved = resolve(ref);
      }
      if (resolved instanceof Map<?, ?> m) {
        Map<String, Object> sm = (Map<String, Object>) m;
        sm.forEach(
            (k, v) -> {
              if (!k.equals("properties") && !k.equals("required")) {
                merged.putIfAbsent(k, v);
              }
            });
        if (sm.get("properties") instanceof Map<?, ?> p) {
          props.putAll((Map<String, Object>) p);
        }
        if (sm.get("required") instanceof List<?> r) {
          required.addAll(r);
        }
      }
    }
    if (!props.isEmpty()) {
      merged.put("properties", props);
      merged.putIfAbsent("type", "object");
    }
    if (!required.isEmpty()) {
      merged.put("required", new ArrayList<>(required));
    }
    return merged;
  }

  @SuppressWarnings("unchecked")
  private Object object(Map<String, Object> s, int depth) {
    Map<String, Object> out = new LinkedHashMap<>();
    Set<Object> required = s.get("required") instanceof List<?> r ? new HashSet<>(r) : Set.of();
    if (s.get("properties") instanceof Map<?, ?> p) {
      for (Map.Entry<String, Object> e : ((Map<String, Object>) p).entrySet()) {
        // Deep in a recursive type, optional properties are left out so generation ends.
        if (depth > MAX_DEPTH / 2 && !required.contains(e.getKey())) {
          continue;
        }
        out.put(e.getKey(), sample(e.getValue(), e.getKey(), depth + 1));
      }
    } else if (s.get("additionalProperties") instanceof Map<?, ?> valueSchema) {
      int n = 1 + rng.nextInt(2);
      for (int i = 0; i < n && i < words.size(); i++) {
        out.put(words.get(i), sample(valueSchema, words.get(i), depth + 1));
      }
    }
    Long min = asLong(s.get("minProperties"));
    int extra = 0;
    while (min != null && out.size() < min && extra < 50) {
      String key = "item" + (++extra);
      Object valueSchema =
          s.get("additionalProperties") instanceof Map<?, ?> vs ? vs : Map.of("type", "string");
      out.putIfAbsent(key, sample(valueSchema, key, depth + 1));
    }
    return out;
  }

  private Object array(Map<String, Object> s, String name, int depth) {
    Long minL = asLong(s.get("minItems"));
    Long maxL = asLong(s.get("maxItems"));
    boolean deep = depth > MAX_DEPTH / 2;
    int min = minL == null ? (deep ? 0 : 1) : minL.intValue();
    int max = maxL == null ? Math.max(min, Math.min(min + 2, 3)) : maxL.intValue();
    // Deep in a recursive type, arrays get their minimum size so generation ends.
    max = deep ? min : Math.max(min, Math.min(max, min + 4));
    List<?> prefix = s.get("prefixItems") instanceof List<?> p ? p : List.of();
    Object items = s.get("items");
    boolean unique = Boolean.TRUE.equals(s.get("uniqueItems"));
    int n = min + rng.nextInt(max - min + 1);
    n = Math.max(n, Math.min(prefix.size(), max));
    List<Object> out = new ArrayList<>(n);
    Set<String> seen = new HashSet<>();
    String itemName = singular(name);
    for (int i = 0; i < n; i++) {
      Object itemSchema = i < prefix.size() ? prefix.get(i) : items;
      Object v = null;
      for (int tries = 0; tries < 20; tries++) {
        v =
            itemSchema == null
                ? TextSynth.phrase(rng, words, 2)
                : sample(itemSchema, itemName, depth + 1);
        if (!unique || seen.add(NodeJson.canonical(v))) {
          break;
        }
        v = null;
      }
      if (v == null && unique) {
        break; // the item schema allows too few distinct values; stop short
      }
      out.add(v);
    }
    return out;
  }

  private String string(Map<String, Object> s, String name) {
    String n = name.toLowerCase(Locale.ROOT);
    String format = s.get("format") instanceof String f ? f : "";
    String v =
        switch (format) {
          case "date" ->
              String.format(
                  Locale.ROOT, "2024-%02d-%02d", 1 + rng.nextInt(12), 1 + rng.nextInt(28));
          case "date-time" ->
              String.format(
                  Locale.ROOT,
                  "2024-%02d-%02dT%02d:%02d:00Z",
                  1 + rng.nextInt(12),
                  1 + rng.nextInt(28),
                  rng.nextInt(24),
                  rng.nextInt(60));
          case "time" ->
              String.format(Locale.ROOT, "%02d:%02d:00", rng.nextInt(24), rng.nextInt(60));
          case "email", "idn-email" -> slug() + "@example.com";
          case "uri", "url", "iri" -> "https://example.com/" + slug();
          case "uuid" -> new java.util.UUID(rng.nextLong(), rng.nextLong()).toString();
          default -> byName(n, name);
        };
    Long minL = asLong(s.get("minLength"));
    Long maxL = asLong(s.get("maxLength"));
    if (minL != null) {
      StringBuilder sb = new StringBuilder(v);
      while (sb.codePointCount(0, sb.length()) < minL) {
        sb.append(sb.length() == 0 ? "" : " ").append(words.get(rng.nextInt(words.size())));
      }
      v = sb.toString();
    }
    if (maxL != null && v.codePointCount(0, v.length()) > maxL) {
      v = v.substring(0, v.offsetByCodePoints(0, maxL.intValue())).strip();
      if (minL != null && v.codePointCount(0, v.length()) < minL) {
        v = v + "x".repeat((int) (minL - v.codePointCount(0, v.length())));
      }
    }
    if (s.get("pattern") instanceof String regex) {
      v = matchPattern(regex, v);
    }
    return v;
  }

  private String byName(String n, String original) {
    if (containsAny(
        n,
        "reason",
        "explanation",
        "rationale",
        "feedback",
        "critique",
        "justification",
        "summary",
        "description",
        "answer",
        "response",
        "content",
        "comment",
        "analysis",
        "thought",
        "text",
        "body",
        "solution",
        "argument",
        "detail",
        "note")) {
      return TextSynth.paragraph(rng, words, 10 + rng.nextInt(15));
    }
    if (n.contains("question") || n.contains("prompt") || n.contains("instruction")) {
      return TextSynth.question(rng, words);
    }
    if (n.equals("id") || n.endsWith("_id") || original.endsWith("Id")) {
      return "id-" + Long.toHexString(rng.nextLong() & 0xffffffffL);
    }
    if (n.contains("lang")) {
      return "en";
    }
    if (n.contains("query") || n.equals("q") || n.contains("search") || n.contains("keyword")) {
      return String.join(" ", words.subList(0, Math.min(3, words.size())));
    }
    if (containsAny(
        n,
        "title",
        "name",
        "topic",
        "label",
        "category",
        "subject",
        "tag",
        "city",
        "entity",
        "term")) {
      return TextSynth.phrase(rng, words, 3);
    }
    return TextSynth.paragraph(rng, words, 3 + rng.nextInt(4));
  }

  private String matchPattern(String regex, String v) {
    Pattern p;
    try {
      p = Pattern.compile(regex);
    } catch (PatternSyntaxException e) {
      return v;
    }
    if (p.matcher(v).find()) {
      return v;
    }
    String w = words.get(0).replaceAll("[^\\p{L}]", "");
    for (String c :
        List.of(
            w,
            w.toUpperCase(Locale.ROOT),
            "abc",
            "ABC",
            "42",
            "a1",
            "A1",
            "2024-01-01",
            "user@example.com",
            "https://example.com",
            "yes",
            "no",
            "x")) {
      if (p.matcher(c).find()) {
        return c;
      }
    }
    return v;
  }

  private Object integer(Map<String, Object> s, String name) {
    BigDecimal[] range = range(s, name, true);
    long lo = range[0].setScale(0, RoundingMode.CEILING).longValueExact();
    long hi = range[1].setScale(0, RoundingMode.FLOOR).longValueExact();
    if (hi < lo) {
      hi = lo;
    }
    long v = lo + (hi == lo ? 0 : Math.floorMod(rng.nextLong(), hi - lo + 1));
    BigDecimal multiple = decimal(s.get("multipleOf"));
    if (multiple != null && multiple.signum() > 0 && multiple.stripTrailingZeros().scale() <= 0) {
      long m = multiple.longValue();
      long up = Math.floorDiv(v + m - 1, m) * m;
      v = up <= hi ? up : Math.floorDiv(v, m) * m;
    }
    return v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE ? (Object) (int) v : (Object) v;
  }

  private Object number(Map<String, Object> s, String name) {
    BigDecimal[] range = range(s, name, false);
    double lo = range[0].doubleValue();
    double hi = range[1].doubleValue();
    double v = lo + rng.nextDouble() * Math.max(0, hi - lo);
    BigDecimal d = BigDecimal.valueOf(v).setScale(2, RoundingMode.HALF_UP);
    if (d.compareTo(range[0]) < 0 || d.compareTo(range[1]) > 0) {
      d = range[0];
    }
    BigDecimal multiple = decimal(s.get("multipleOf"));
    if (multiple != null && multiple.signum() > 0) {
      d = d.divide(multiple, 0, RoundingMode.CEILING).multiply(multiple);
      if (d.compareTo(range[1]) > 0) {
        d = d.subtract(multiple);
      }
    }
    return d.doubleValue();
  }

  /** Inclusive [lo, hi] for a number, honouring exclusive bounds and name-based defaults. */
  private BigDecimal[] range(Map<String, Object> s, String name, boolean integral) {
    BigDecimal step = integral ? BigDecimal.ONE : new BigDecimal("0.01");
    BigDecimal lo = decimal(s.get("minimum"));
    BigDecimal hi = decimal(s.get("maximum"));
    Object exMin = s.get("exclusiveMinimum");
    Object exMax = s.get("exclusiveMaximum");
    if (exMin instanceof Number) {
      BigDecimal e = decimal(exMin).add(step);
      lo = lo == null || e.compareTo(lo) > 0 ? e : lo;
    } else if (Boolean.TRUE.equals(exMin) && lo != null) {
      lo = lo.add(step);
    }
    if (exMax instanceof Number) {
      BigDecimal e = decimal(exMax).subtract(step);
      hi = hi == null || e.compareTo(hi) < 0 ? e : hi;
    } else if (Boolean.TRUE.equals(exMax) && hi != null) {
      hi = hi.subtract(step);
    }
    BigDecimal[] def = defaults(name.toLowerCase(Locale.ROOT), integral);
    if (lo == null && hi == null) {
      lo = def[0];
      hi = def[1];
    } else if (lo == null) {
      lo = hi.subtract(def[1].subtract(def[0]));
    } else if (hi == null) {
      hi = lo.add(def[1].subtract(def[0]));
    }
    if (hi.compareTo(lo) < 0) {
      hi = lo;
    }
    return new BigDecimal[] {lo, hi};
  }

  private static BigDecimal[] defaults(String n, boolean integral) {
    if (containsAny(n, "score", "rating", "grade", "rank")) {
      return new BigDecimal[] {BigDecimal.ONE, BigDecimal.TEN};
    }
    if (n.contains("year")) {
      return new BigDecimal[] {BigDecimal.valueOf(1990), BigDecimal.valueOf(2024)};
    }
    if (n.contains("age")) {
      return new BigDecimal[] {BigDecimal.valueOf(18), BigDecimal.valueOf(80)};
    }
    if (containsAny(n, "count", "number", "num", "quantity", "steps", "turns")) {
      return new BigDecimal[] {BigDecimal.ONE, BigDecimal.valueOf(5)};
    }
    if (!integral && containsAny(n, "confidence", "probability", "ratio", "fraction", "weight")) {
      return new BigDecimal[] {BigDecimal.ZERO, BigDecimal.ONE};
    }
    return integral
        ? new BigDecimal[] {BigDecimal.ZERO, BigDecimal.valueOf(100)}
        : new BigDecimal[] {BigDecimal.ZERO, BigDecimal.ONE};
  }

  private String slug() {
    return words
        .get(rng.nextInt(words.size()))
        .replaceAll("[^\\p{Alnum}]", "")
        .toLowerCase(Locale.ROOT);
  }

  private static String singular(String name) {
    return name.endsWith("s") && name.length() > 3 ? name.substring(0, name.length() - 1) : name;
  }

  private static boolean containsAny(String n, String... parts) {
    for (String p : parts) {
      if (n.contains(p)) {
        return true;
      }
    }
    return false;
  }

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
      if (!(cur instanceof Map<?, ?> m)) {
        return null;
      }
      cur = ((Map<String, Object>) m).get(raw.replace("~1", "/").replace("~0", "~"));
    }
    return cur;
  }

  private static Long asLong(Object o) {
    return o instanceof Number n ? n.longValue() : null;
  }

  private static BigDecimal decimal(Object o) {
    if (!(o instanceof Number n)) {
      return null;
    }
    if (n instanceof BigDecimal b) {
      return b;
    }
    if (n instanceof Double || n instanceof Float) {
      return BigDecimal.valueOf(n.doubleValue());
    }
    return new BigDecimal(n.toString());
  }
}
