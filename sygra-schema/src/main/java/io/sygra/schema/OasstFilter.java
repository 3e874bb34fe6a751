package io.sygra.schema;

import io.sygra.core.ConfigurationException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Decides which OASST messages are kept. A message is kept when it and all its ancestors pass;
 * orphans (parent absent from the input) and their descendants are never kept.
 *
 * <p>A message always fails when {@code deleted == true} or {@code review_result == false}.
 * Optional rules: a language ({@code lang} must equal it, ignoring case; a missing {@code lang}
 * fails), label thresholds ({@code quality >= x}, {@code toxicity <= y}, {@code spam <= z}; a
 * message without that label passes, since it cannot be judged), requiring a passed review ({@code
 * review_result == true}), and excluding synthetic messages. Immutable and thread-safe.
 *
 * <pre>{@code
 * OasstFilter f = OasstFilter.builder().lang("en").minLabel("quality", 0.5)
 *     .maxLabel("toxicity", 0.2).build();
 * }</pre>
 */
public final class OasstFilter {
  private static final OasstFilter DEFAULT = builder().build();

  private final String lang;
  private final Map<String, Double> minLabels;
  private final Map<String, Double> maxLabels;
  private final boolean requireReviewPassed;
  private final boolean excludeSynthetic;

  private OasstFilter(Builder b) {
    this.lang = b.lang;
    this.minLabels = Collections.unmodifiableMap(new LinkedHashMap<>(b.minLabels));
    this.maxLabels = Collections.unmodifiableMap(new LinkedHashMap<>(b.maxLabels));
    this.requireReviewPassed = b.requireReviewPassed;
    this.excludeSynthetic = b.excludeSynthetic;
  }

  /** Only the fixed rules: excludes deleted messages and failed reviews. */
  public static OasstFilter defaults() {
    return DEFAULT;
  }

  /** A builder starting from {@link #defaults()}. */
  public static Builder builder() {
    return new Builder();
  }

  /** The language required, or {@code null} for any. */
  public String lang() {
    return lang;
  }

  /** Minimum label values by label name. */
  public Map<String, Double> minLabels() {
    return minLabels;
  }

  /** Maximum label values by label name. */
  public Map<String, Double> maxLabels() {
    return maxLabels;
  }

  /**
   * True when {@code m} itself passes (its ancestors are not considered here).
   *
   * @see #reason(OasstMessage)
   */
  public boolean passes(OasstMessage m) {
    return reason(m) == null;
  }

  /** Why {@code m} itself fails, or {@code null} when it passes. */
  public String reason(OasstMessage m) {
    if (Boolean.TRUE.equals(m.deleted())) {
      return "deleted";
    }
    if (Boolean.FALSE.equals(m.reviewResult())) {
      return "failed review";
    }
    if (requireReviewPassed && !Boolean.TRUE.equals(m.reviewResult())) {
      return "not reviewed";
    }
    if (excludeSynthetic && Boolean.TRUE.equals(m.synthetic())) {
      return "synthetic";
    }
    if (lang != null && (m.lang() == null || !m.lang().equalsIgnoreCase(lang))) {
      return "lang " + m.lang() + " is not " + lang;
    }
    if (!minLabels.isEmpty() || !maxLabels.isEmpty()) {
      for (Map.Entry<String, Double> e : minLabels.entrySet()) {
        Double v = m.label(e.getKey());
        if (v != null && v < e.getValue()) {
          return e.getKey() + " " + v + " < " + e.getValue();
        }
      }
      for (Map.Entry<String, Double> e : maxLabels.entrySet()) {
        Double v = m.label(e.getKey());
        if (v != null && v > e.getValue()) {
          return e.getKey() + " " + v + " > " + e.getValue();
        }
      }
    }
    return null;
  }

  @Override
  public String toString() {
    return "OasstFilter[lang="
        + lang
        + ", min="
        + minLabels
        + ", max="
        + maxLabels
        + ", requireReviewPassed="
        + requireReviewPassed
        + ", excludeSynthetic="
        + excludeSynthetic
        + "]";
  }

  /** Builds an {@link OasstFilter}; setters validate at once. Not thread-safe. */
  public static final class Builder {
    private String lang;
    private final Map<String, Double> minLabels = new LinkedHashMap<>();
    private final Map<String, Double> maxLabels = new LinkedHashMap<>();
    private boolean requireReviewPassed;
    private boolean excludeSynthetic;

    private Builder() {}

    /** Keep only messages whose {@code lang} equals {@code lang}, ignoring case; null for any. */
    public Builder lang(String lang) {
      ConfigurationException.check(
          lang == null || !lang.isBlank(), "lang", "must be non-blank, was '" + lang + "'");
      this.lang = lang == null ? null : lang.trim().toLowerCase(Locale.ROOT);
      return this;
    }

    /** Exclude messages whose label {@code name} is below {@code min} (e.g. quality 0.5). */
    public Builder minLabel(String name, double min) {
      checkLabel(name, min);
      minLabels.put(name, min);
      return this;
    }

    /** Exclude messages whose label {@code name} is above {@code max} (e.g. toxicity 0.2). */
    public Builder maxLabel(String name, double max) {
      checkLabel(name, max);
      maxLabels.put(name, max);
      return this;
    }

    /** Exclude messages that were not reviewed ({@code review_result} null). Default false. */
    public Builder requireReviewPassed(boolean value) {
      this.requireReviewPassed = value;
      return this;
    }

    /** Exclude model-written messages ({@code synthetic: true}). Default false. */
    public Builder excludeSynthetic(boolean value) {
      this.excludeSynthetic = value;
      return this;
    }

    private static void checkLabel(String name, double threshold) {
      ConfigurationException.check(
          name != null && !name.isBlank(), "label", "name must be non-blank, was '" + name + "'");
      ConfigurationException.check(
          threshold >= 0 && threshold <= 1,
          "label." + name,
          "threshold must be in [0, 1], was " + threshold);
    }

    /** The filter. */
    public OasstFilter build() {
      return new OasstFilter(this);
    }
  }
}
