package io.sygra.quality;

import io.sygra.core.ConfigurationException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Stage 1: runs the {@link QualityTagger}s on a sample and applies the {@link QualityRules} to
 * their tags. Local, fast and deterministic; no model is called.
 *
 * <pre>{@code
 * Heuristics h = Heuristics.builder()
 *     .defaultTaggers()                                   // shape, language, diversity, ...
 *     .rules(QualityRules.heuristicDefaults().without("refusal.refusal"))
 *     .build();
 * Heuristics.Result r = h.evaluate(QualitySample.of("r1", conversation));
 * r.passed();  r.reasons();  r.tags();  // tags go to quality.heuristic
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class Heuristics {
  private final List<QualityTagger> taggers;
  private final QualityRules rules;

  private Heuristics(Builder b) {
    this.taggers = List.copyOf(b.taggers.values());
    this.rules = b.rules;
  }

  /**
   * Every built-in tagger (language detection included) with {@link
   * QualityRules#heuristicDefaults()}.
   */
  public static Heuristics defaults() {
    return builder().defaultTaggers().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * The outcome for one sample.
   *
   * @param tags tagger name → its tags (the {@code quality.heuristic} object)
   * @param reasons the reasons of the failed rules, in rule order; empty when the sample passed
   */
  public record Result(Map<String, Object> tags, List<String> reasons) {
    /** Copies; see the record description. */
    public Result {
      tags = Collections.unmodifiableMap(new LinkedHashMap<>(tags));
      reasons = List.copyOf(reasons);
    }

    /** True when no rule failed. */
    public boolean passed() {
      return reasons.isEmpty();
    }
  }

  /**
   * Tags {@code sample} and applies the rules.
   *
   * @throws QualityException when a tagger throws, naming the tagger and the record
   */
  public Result evaluate(QualitySample sample) {
    Map<String, Object> tags = new LinkedHashMap<>(taggers.size() * 2);
    for (QualityTagger t : taggers) {
      Map<String, Object> v;
      try {
        v = t.tag(sample);
      } catch (RuntimeException e) {
        throw new QualityException("tagger " + t.name(), sample.id(), String.valueOf(e), e);
      }
      tags.put(t.name(), Objects.requireNonNull(v, () -> "tagger " + t.name() + " returned null"));
    }
    Map<String, Object> quality = Map.of(Quality.HEURISTIC, tags);
    return new Result(tags, rules.failures(quality));
  }

  /** The taggers in run order. */
  public List<QualityTagger> taggers() {
    return taggers;
  }

  /** The rules applied to the tags. */
  public QualityRules rules() {
    return rules;
  }

  /** Tagger names and rule descriptions, for fingerprints and reports. */
  public String describe() {
    List<String> names = new ArrayList<>();
    taggers.forEach(t -> names.add(t.name()));
    return "taggers=" + names + " rules=" + rules.describe();
  }

  /** Configures {@link Heuristics}; setters validate at once. */
  public static final class Builder {
    private final Map<String, QualityTagger> taggers = new LinkedHashMap<>();
    private QualityRules rules = QualityRules.heuristicDefaults();

    private Builder() {}

    /** Adds the built-in taggers: shape, language, diversity, repetition, refusal, pii, labels. */
    public Builder defaultTaggers() {
      return defaultTaggers(true);
    }

    /**
     * Adds the built-in taggers, with or without language detection (which is the slowest and, with
     * its models, the largest in memory).
     */
    public Builder defaultTaggers(boolean withLanguage) {
      tagger(ShapeTagger.create());
      if (withLanguage) {
        tagger(LanguageTagger.create());
      }
      tagger(LexicalDiversityTagger.create());
      tagger(RepetitionTagger.create());
      tagger(RefusalTagger.create());
      tagger(PiiTagger.create());
      tagger(LabelsTagger.create());
      return this;
    }

    /** Adds a tagger, replacing one with the same name in place. */
    public Builder tagger(QualityTagger tagger) {
      Objects.requireNonNull(tagger, "tagger");
      String name = tagger.name();
      ConfigurationException.check(
          name != null && name.matches("[A-Za-z0-9_]+"),
          "tagger",
          "name must be letters, digits or '_', was '" + name + "'");
      taggers.put(name, tagger);
      return this;
    }

    /** Removes the named taggers (e.g. {@code language}). */
    public Builder withoutTaggers(String... names) {
      Set<String> n = new LinkedHashSet<>(List.of(names));
      for (String name : n) {
        ConfigurationException.check(
            taggers.remove(name) != null,
            "tagger",
            "no tagger named '" + name + "'; taggers: " + taggers.keySet());
      }
      return this;
    }

    /** The rules (default {@link QualityRules#heuristicDefaults()}). */
    public Builder rules(QualityRules rules) {
      this.rules = Objects.requireNonNull(rules, "rules");
      return this;
    }

    /**
     * Builds.
     *
     * @throws ConfigurationException when no tagger was added
     */
    public Heuristics build() {
      ConfigurationException.check(
          !taggers.isEmpty(), "taggers", "add at least one tagger (e.g. defaultTaggers())");
      return new Heuristics(this);
    }
  }
}
