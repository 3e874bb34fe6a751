package io.sygra.quality;

import io.sygra.core.ConfigurationException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An ordered set of {@link QualityRule}s with unique reasons. Immutable: the {@code with...}
 * methods return new sets.
 *
 * <pre>{@code
 * QualityRules rules = QualityRules.heuristicDefaults()
 *     .without("refusal.refusal")                 // keep refusals (safety preference data)
 *     .withLimit("shape.too_long", 4096)          // stricter length limit
 *     .with(QualityRule.below("llm.low_overall", "llm.overall", 3.5));
 * }</pre>
 */
public final class QualityRules {
  private static final QualityRules NONE = new QualityRules(new LinkedHashMap<>());

  private final Map<String, QualityRule> rules;

  private QualityRules(LinkedHashMap<String, QualityRule> rules) {
    this.rules = Collections.unmodifiableMap(rules);
  }

  /** No rules: every record passes. */
  public static QualityRules none() {
    return NONE;
  }

  /** A set of the given rules. */
  public static QualityRules of(QualityRule... rules) {
    QualityRules r = NONE;
    for (QualityRule rule : rules) {
      r = r.with(rule);
    }
    return r;
  }

  /**
   * The default stage-1 rules over the built-in taggers' tags (see the module README for the
   * reasoning behind each threshold):
   *
   * <ul>
   *   <li>{@code shape.no_response}, {@code shape.empty_turn}, {@code shape.non_alternating},
   *       {@code shape.truncated}, {@code shape.too_long} (more than 16,384 tokens);
   *   <li>{@code language.mismatch};
   *   <li>{@code diversity.low_mtld} (MTLD below 15);
   *   <li>Gopher repetition: {@code repetition.duplicate_lines} (&gt; 0.30), {@code
   *       repetition.duplicate_paragraphs} (&gt; 0.30), {@code repetition.duplicate_line_chars}
   *       (&gt; 0.20), {@code repetition.top_2gram} .. {@code top_4gram} (&gt; 0.20, 0.18, 0.16),
   *       {@code repetition.duplicate_5gram} .. {@code duplicate_10gram} (&gt; 0.15 down to 0.10);
   *   <li>{@code refusal.refusal}, {@code refusal.boilerplate};
   *   <li>{@code pii.email}, {@code pii.phone}, {@code pii.credit_card}, {@code pii.secret} (IP
   *       addresses are tagged, not failed);
   *   <li>human labels above 0.5: {@code labels.spam}, {@code labels.lang_mismatch}, {@code
   *       labels.pii}, {@code labels.not_appropriate}, {@code labels.hate_speech}, {@code
   *       labels.toxicity}; and {@code detoxify.toxicity} above 0.8.
   * </ul>
   */
  public static QualityRules heuristicDefaults() {
    List<QualityRule> r = new ArrayList<>();
    String s = "heuristic.shape.";
    r.add(QualityRule.below("shape.no_response", s + "response_turns", 1));
    r.add(QualityRule.above("shape.empty_turn", s + "empty_turns", 0));
    r.add(QualityRule.isTrue("shape.non_alternating", s + "non_alternating"));
    r.add(QualityRule.isTrue("shape.truncated", s + "truncated"));
    r.add(QualityRule.above("shape.too_long", s + "tokens", 16384));
    r.add(QualityRule.isTrue("language.mismatch", "heuristic.language.mismatch"));
    r.add(QualityRule.below("diversity.low_mtld", "heuristic.diversity.mtld", 15));
    String p = "heuristic.repetition.";
    r.add(QualityRule.above("repetition.duplicate_lines", p + "duplicate_line_fraction", 0.30));
    r.add(
        QualityRule.above(
            "repetition.duplicate_paragraphs", p + "duplicate_paragraph_fraction", 0.30));
    r.add(
        QualityRule.above(
            "repetition.duplicate_line_chars", p + "duplicate_line_char_fraction", 0.20));
    double[] top = {0.20, 0.18, 0.16};
    for (int n = 2; n <= 4; n++) {
      r.add(
          QualityRule.above(
              "repetition.top_" + n + "gram", p + "top_" + n + "gram_char_fraction", top[n - 2]));
    }
    double[] dup = {0.15, 0.14, 0.13, 0.12, 0.11, 0.10};
    for (int n = 5; n <= 10; n++) {
      r.add(
          QualityRule.above(
              "repetition.duplicate_" + n + "gram",
              p + "duplicate_" + n + "gram_char_fraction",
              dup[n - 5]));
    }
    r.add(QualityRule.isTrue("refusal.refusal", "heuristic.refusal.refusal"));
    r.add(QualityRule.isTrue("refusal.boilerplate", "heuristic.refusal.boilerplate"));
    for (String kind : List.of("email", "phone", "credit_card", "secret")) {
      r.add(QualityRule.above("pii." + kind, "heuristic.pii." + kind, 0));
    }
    for (String label :
        List.of("spam", "lang_mismatch", "pii", "not_appropriate", "hate_speech", "toxicity")) {
      r.add(QualityRule.above("labels." + label, "heuristic.labels.human." + label, 0.5));
    }
    r.add(QualityRule.above("detoxify.toxicity", "heuristic.labels.detoxify.toxicity", 0.8));
    return of(r.toArray(new QualityRule[0]));
  }

  /**
   * The default stage-2 rules over the judge's tags: {@code llm.error} (the judge failed: the
   * record is not scored and does not pass), {@code llm.preference_tie} (the two orders disagreed),
   * {@code llm.preference_inverted} (the judge preferred the rejected reply in both orders). Add
   * {@code QualityRule.below("llm.low_overall", "llm.overall", x)} for a score gate.
   */
  public static QualityRules judgeDefaults() {
    return of(
        QualityRule.present("llm.error", "llm.error"),
        QualityRule.equalTo("llm.preference_tie", "llm.preference.label", "tie"),
        QualityRule.equalTo("llm.preference_inverted", "llm.preference.label", "rejected"));
  }

  /** The rules in order. */
  public List<QualityRule> rules() {
    return List.copyOf(rules.values());
  }

  /** True when there is no rule. */
  public boolean isEmpty() {
    return rules.isEmpty();
  }

  /** The rule with this reason, or null. */
  public QualityRule rule(String reason) {
    return rules.get(reason);
  }

  /** A copy with {@code rule} added, or replacing the rule with the same reason in place. */
  public QualityRules with(QualityRule rule) {
    Objects.requireNonNull(rule, "rule");
    LinkedHashMap<String, QualityRule> m = new LinkedHashMap<>(rules);
    m.put(rule.reason(), rule);
    return new QualityRules(m);
  }

  /** A copy with all rules of {@code other} added (replacing rules with the same reasons). */
  public QualityRules with(QualityRules other) {
    LinkedHashMap<String, QualityRule> m = new LinkedHashMap<>(rules);
    m.putAll(other.rules);
    return new QualityRules(m);
  }

  /**
   * A copy without the named rules; a name ending in {@code .*} removes a whole family (e.g. {@code
   * repetition.*}).
   *
   * @throws ConfigurationException naming a reason that matches no rule
   */
  public QualityRules without(String... reasons) {
    LinkedHashMap<String, QualityRule> m = new LinkedHashMap<>(rules);
    for (String r : reasons) {
      boolean removed;
      if (r.endsWith(".*")) {
        String prefix = r.substring(0, r.length() - 1);
        removed = m.keySet().removeIf(k -> k.startsWith(prefix));
      } else {
        removed = m.remove(r) != null;
      }
      ConfigurationException.check(
          removed,
          "rule",
          "no rule named '" + r + "'; rules: " + String.join(", ", rules.keySet()));
    }
    return new QualityRules(m);
  }

  /**
   * A copy with a new threshold for the named threshold rule.
   *
   * @throws ConfigurationException when no such rule exists or it has no threshold
   */
  public QualityRules withLimit(String reason, double limit) {
    QualityRule r = rules.get(reason);
    ConfigurationException.check(
        r != null,
        "rule",
        "no rule named '" + reason + "'; rules: " + String.join(", ", rules.keySet()));
    return with(r.withLimit(limit));
  }

  /** The reasons of the rules that {@code quality} fails, in rule order. */
  public List<String> failures(Map<String, Object> quality) {
    List<String> out = null;
    for (QualityRule r : rules.values()) {
      if (r.fails(quality)) {
        if (out == null) {
          out = new ArrayList<>(2);
        }
        out.add(r.reason());
      }
    }
    return out == null ? List.of() : out;
  }

  /** {@code reason → description} of every rule, for reports. */
  public Map<String, String> describe() {
    Map<String, String> m = new LinkedHashMap<>();
    rules.values().forEach(r -> m.put(r.reason(), r.description()));
    return m;
  }

  @Override
  public String toString() {
    return "QualityRules" + rules.keySet();
  }
}
