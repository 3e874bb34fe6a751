package io.sygra.quality;

import io.sygra.core.ConfigurationException;
import io.sygra.quality.internal.JsonPath;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * A named threshold rule over a record's {@code quality} tags: when it {@linkplain #fails fails},
 * its {@link #reason()} is added to {@code quality.reasons} and the record does not pass.
 *
 * <p>Paths are dotted and relative to the {@code quality} object, e.g. {@code
 * heuristic.shape.tokens} or {@code llm.overall}. A rule whose value is absent (a tagger that did
 * not run or did not apply, a label the data set lacks) does not fire: missing data never fails a
 * record by itself.
 *
 * <pre>{@code
 * QualityRule.above("shape.too_long", "heuristic.shape.tokens", 4096)
 * QualityRule.below("llm.low_overall", "llm.overall", 3.5)
 * QualityRule.isTrue("refusal.refusal", "heuristic.refusal.refusal")
 * QualityRule.of("custom.no_urls", "responses without links", q -> ...)
 * }</pre>
 *
 * <p>Immutable and thread-safe (custom predicates must be too).
 */
public final class QualityRule {
  private enum Op {
    ABOVE(">"),
    AT_LEAST(">="),
    BELOW("<"),
    TRUE("is true"),
    PRESENT("is present"),
    EQUALS("=="),
    CUSTOM("custom");

    final String symbol;

    Op(String symbol) {
      this.symbol = symbol;
    }
  }

  private final String reason;
  private final String path;
  private final String[] steps;
  private final Op op;
  private final double limit;
  private final Object value;
  private final String description;
  private final Predicate<Map<String, Object>> custom;

  private QualityRule(
      String reason,
      String path,
      Op op,
      double limit,
      Object value,
      String description,
      Predicate<Map<String, Object>> custom) {
    this.reason = checkReason(reason);
    this.path = path;
    this.steps = path == null ? null : JsonPath.steps(path);
    this.op = op;
    this.limit = limit;
    this.value = value;
    this.custom = custom;
    this.description = description != null ? description : describe(path, op, limit, value);
  }

  /** Fails when the number at {@code path} is greater than {@code limit}. */
  public static QualityRule above(String reason, String path, double limit) {
    return new QualityRule(reason, checkPath(path), Op.ABOVE, checkLimit(limit), null, null, null);
  }

  /** Fails when the number at {@code path} is greater than or equal to {@code limit}. */
  public static QualityRule atLeast(String reason, String path, double limit) {
    return new QualityRule(
        reason, checkPath(path), Op.AT_LEAST, checkLimit(limit), null, null, null);
  }

  /** Fails when the number at {@code path} is less than {@code limit}. */
  public static QualityRule below(String reason, String path, double limit) {
    return new QualityRule(reason, checkPath(path), Op.BELOW, checkLimit(limit), null, null, null);
  }

  /** Fails when the value at {@code path} is {@code true}. */
  public static QualityRule isTrue(String reason, String path) {
    return new QualityRule(reason, checkPath(path), Op.TRUE, Double.NaN, null, null, null);
  }

  /** Fails when a value is present (not null) at {@code path}, e.g. {@code llm.error}. */
  public static QualityRule present(String reason, String path) {
    return new QualityRule(reason, checkPath(path), Op.PRESENT, Double.NaN, null, null, null);
  }

  /** Fails when the value at {@code path} equals {@code value} (numbers compared as doubles). */
  public static QualityRule equalTo(String reason, String path, Object value) {
    Objects.requireNonNull(value, "value");
    return new QualityRule(reason, checkPath(path), Op.EQUALS, Double.NaN, value, null, null);
  }

  /**
   * A rule with its own test.
   *
   * @param failsWhen receives the record's {@code quality} object; true fails the record
   */
  public static QualityRule of(
      String reason, String description, Predicate<Map<String, Object>> failsWhen) {
    Objects.requireNonNull(failsWhen, "failsWhen");
    Objects.requireNonNull(description, "description");
    return new QualityRule(reason, null, Op.CUSTOM, Double.NaN, null, description, failsWhen);
  }

  /** The name added to {@code quality.reasons} when the rule fails, e.g. {@code pii.email}. */
  public String reason() {
    return reason;
  }

  /** A human-readable statement of the rule, e.g. {@code heuristic.shape.tokens > 16384}. */
  public String description() {
    return description;
  }

  /** The path the rule reads, or null for a custom rule. */
  public String path() {
    return path;
  }

  /** True for threshold rules ({@code above}, {@code atLeast}, {@code below}). */
  public boolean hasLimit() {
    return op == Op.ABOVE || op == Op.AT_LEAST || op == Op.BELOW;
  }

  /** The threshold of a threshold rule, NaN otherwise. */
  public double limit() {
    return limit;
  }

  /**
   * The same rule with another threshold.
   *
   * @throws ConfigurationException when the rule has no threshold
   */
  public QualityRule withLimit(double newLimit) {
    ConfigurationException.check(
        hasLimit(), reason, "has no threshold to set (" + description + ")");
    return new QualityRule(reason, path, op, checkLimit(newLimit), null, null, null);
  }

  /** True when {@code quality} (a record's quality object) fails this rule. */
  public boolean fails(Map<String, Object> quality) {
    if (op == Op.CUSTOM) {
      return custom.test(quality);
    }
    Object v = JsonPath.get(quality, steps);
    if (v == null) {
      return false;
    }
    switch (op) {
      case ABOVE:
        return v instanceof Number n && n.doubleValue() > limit;
      case AT_LEAST:
        return v instanceof Number n && n.doubleValue() >= limit;
      case BELOW:
        return v instanceof Number n && n.doubleValue() < limit;
      case TRUE:
        return Boolean.TRUE.equals(v);
      case PRESENT:
        return true;
      case EQUALS:
        if (v instanceof Number n && value instanceof Number w) {
          return n.doubleValue() == w.doubleValue();
        }
        return value.equals(v);
      default:
        throw new IllegalStateException(op.name());
    }
  }

  private static String describe(String path, Op op, double limit, Object value) {
    if (op == Op.TRUE || op == Op.PRESENT) {
      return path + " " + op.symbol;
    }
    if (op == Op.EQUALS) {
      return path + " == " + value;
    }
    String l =
        limit == Math.rint(limit) && Math.abs(limit) < 1e15
            ? String.valueOf((long) limit)
            : String.format(Locale.ROOT, "%s", limit);
    return path + " " + op.symbol + " " + l;
  }

  private static String checkReason(String reason) {
    Objects.requireNonNull(reason, "reason");
    ConfigurationException.check(
        !reason.isBlank() && reason.chars().noneMatch(Character::isWhitespace),
        "reason",
        "must be a non-blank name without spaces, was '" + reason + "'");
    return reason;
  }

  private static String checkPath(String path) {
    Objects.requireNonNull(path, "path");
    ConfigurationException.check(
        !path.isBlank() && !path.startsWith(".") && !path.endsWith(".") && !path.contains(".."),
        "path",
        "must be a dotted path such as heuristic.shape.tokens, was '" + path + "'");
    return path;
  }

  private static double checkLimit(double limit) {
    ConfigurationException.check(!Double.isNaN(limit), "limit", "must be a number, was NaN");
    return limit;
  }

  @Override
  public String toString() {
    return reason + ": fails when " + description;
  }
}
