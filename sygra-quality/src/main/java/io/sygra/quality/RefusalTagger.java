package io.sygra.quality;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds refusals and assistant boilerplate in the responses ({@code quality.heuristic.refusal}):
 * {@code refusal} ("I'm sorry, but I can't help with that", "I must decline"...), {@code
 * boilerplate} ("As an AI language model...", "I don't have personal opinions"...), and the matched
 * phrases ({@code refusal_phrases}, {@code boilerplate_phrases}, lower-cased).
 *
 * <p>The default patterns are English; add patterns for other languages or house phrasings with
 * {@link Builder#refusal(String)} and {@link Builder#boilerplate(String)} (Java regular
 * expressions, matched case-insensitively). Thread-safe.
 */
public final class RefusalTagger implements QualityTagger {
  /** Default refusal patterns. */
  public static final List<String> DEFAULT_REFUSALS =
      List.of(
          "\\bI(?:'m| am) (?:sorry|afraid),? (?:but )?(?:I|as an AI[^,.]*,? I) "
              + "(?:can(?:no|')t|cannot|won't|will not|am unable|'m unable|am not able|'m not"
              + " able|must decline)",
          "\\bI (?:can(?:no|')t|cannot|won't|will not) (?:help|assist|provide|comply|fulfill|"
              + "create|generate|write|do that|engage|support|share|give)",
          "\\bI(?:'m| am) (?:not able|unable) to (?:help|assist|provide|comply|fulfill|create|"
              + "generate|write|do that|engage|support|share|give)",
          "\\bI (?:must|have to|need to) (?:respectfully )?(?:decline|refuse)",
          "\\bI won't be able to (?:help|assist|provide|do)",
          "\\bit(?:'s| is) not appropriate (?:for me )?to\\b",
          "\\bI apologi[sz]e,? but (?:I|as an AI)",
          "\\bI(?:'m| am) not (?:comfortable|going to) (?:help|assist|provid|answer|writ|creat|"
              + "generat|discuss)",
          "\\b(?:this|that) (?:request )?(?:goes against|violates) (?:my|the) "
              + "(?:guidelines|policies|principles|programming)");

  /**
   * Lower-case words one of which must occur for the default refusal pattern at the same index to
   * match; checked with a substring search first, so the regular expressions only run on the few
   * texts that could match.
   */
  private static final List<List<String>> REFUSAL_TRIGGERS =
      List.of(
          List.of("sorry", "afraid"),
          List.of("can't", "cannot", "won't", "will not"),
          List.of("unable", "not able"),
          List.of("decline", "refuse"),
          List.of("won't be able"),
          List.of("not appropriate"),
          List.of("apologi"),
          List.of("not comfortable", "not going to"),
          List.of("goes against", "violates"));

  /** Default boilerplate patterns. */
  public static final List<String> DEFAULT_BOILERPLATE =
      List.of(
          "\\bas an AI(?: language model| assistant| model| developed by [\\w ]+)?\\b",
          "\\bas a (?:large )?language model\\b",
          "\\bI(?:'m| am) (?:just |only )?an AI\\b",
          "\\bI(?:'m| am) (?:just |only )?a (?:large )?language model\\b",
          "\\bI (?:do not|don't) have (?:personal )?(?:opinions|feelings|emotions|beliefs|"
              + "preferences|experiences)\\b",
          "\\bmy (?:knowledge|training) (?:cutoff|cut-off|data)\\b",
          "\\bI (?:do not|don't) have (?:access to )?(?:real-time|the internet|current)\\b");

  private static final List<List<String>> BOILERPLATE_TRIGGERS =
      List.of(
          List.of("as an ai"),
          List.of("language model"),
          List.of("an ai"),
          List.of("language model"),
          List.of("don't have", "do not have"),
          List.of("my knowledge", "my training"),
          List.of("don't have", "do not have"));

  /** A pattern and the lower-case words that must occur for it to match (null: always run). */
  private record Rule(Pattern pattern, List<String> triggers) {
    boolean mayMatch(String lower) {
      if (triggers == null) {
        return true;
      }
      for (String t : triggers) {
        if (lower.contains(t)) {
          return true;
        }
      }
      return false;
    }
  }

  private final List<Rule> refusal;
  private final List<Rule> boilerplate;

  private RefusalTagger(List<String> refusals, List<String> boilerplates) {
    this.refusal = rules(refusals, DEFAULT_REFUSALS, REFUSAL_TRIGGERS);
    this.boilerplate = rules(boilerplates, DEFAULT_BOILERPLATE, BOILERPLATE_TRIGGERS);
  }

  private static List<Rule> rules(
      List<String> patterns, List<String> defaults, List<List<String>> triggers) {
    List<Rule> out = new ArrayList<>(patterns.size());
    for (String p : patterns) {
      int i = defaults.indexOf(p);
      out.add(
          new Rule(
              Pattern.compile(p, Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE),
              i >= 0 ? triggers.get(i) : null));
    }
    return out;
  }

  /** A tagger with the default patterns. */
  public static RefusalTagger create() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  public String name() {
    return "refusal";
  }

  @Override
  public Map<String, Object> tag(QualitySample sample) {
    List<String> refusals = new ArrayList<>(0);
    List<String> boiler = new ArrayList<>(0);
    for (QualitySample.Turn t : sample.turns()) {
      if (!t.isAssistant()) {
        continue;
      }
      String c = normalizeQuotes(t.content());
      String lower = c.toLowerCase(java.util.Locale.ROOT);
      for (Rule r : refusal) {
        if (r.mayMatch(lower)) {
          find(r.pattern(), c, refusals);
        }
      }
      for (Rule r : boilerplate) {
        if (r.mayMatch(lower)) {
          find(r.pattern(), c, boiler);
        }
      }
    }
    Map<String, Object> m = new LinkedHashMap<>(6);
    m.put("refusal", !refusals.isEmpty());
    m.put("boilerplate", !boiler.isEmpty());
    if (!refusals.isEmpty()) {
      m.put("refusal_phrases", refusals);
    }
    if (!boiler.isEmpty()) {
      m.put("boilerplate_phrases", boiler);
    }
    return m;
  }

  private static String normalizeQuotes(String s) {
    return s.indexOf('\u2019') >= 0 ? s.replace('\u2019', '\'') : s;
  }

  private static void find(Pattern p, String text, List<String> out) {
    Matcher m = p.matcher(text);
    while (m.find() && out.size() < 5) {
      String phrase = m.group().toLowerCase(java.util.Locale.ROOT);
      if (!out.contains(phrase)) {
        out.add(phrase);
      }
    }
  }

  /** Adds patterns to the defaults (or replaces them). */
  public static final class Builder {
    private final List<String> refusals = new ArrayList<>(DEFAULT_REFUSALS);
    private final List<String> boilerplate = new ArrayList<>(DEFAULT_BOILERPLATE);

    private Builder() {}

    /**
     * Adds a refusal pattern (Java regex, case-insensitive).
     *
     * @throws io.sygra.core.ConfigurationException when the pattern does not compile
     */
    public Builder refusal(String regex) {
      refusals.add(checked("refusal", regex));
      return this;
    }

    /** Adds a boilerplate pattern (Java regex, case-insensitive). */
    public Builder boilerplate(String regex) {
      boilerplate.add(checked("boilerplate", regex));
      return this;
    }

    /** Removes the default patterns, keeping only those added. */
    public Builder clearDefaults() {
      refusals.removeAll(DEFAULT_REFUSALS);
      boilerplate.removeAll(DEFAULT_BOILERPLATE);
      return this;
    }

    public RefusalTagger build() {
      return new RefusalTagger(refusals, boilerplate);
    }

    private static String checked(String field, String regex) {
      Objects.requireNonNull(regex, field);
      try {
        Pattern.compile(regex);
      } catch (java.util.regex.PatternSyntaxException e) {
        throw new io.sygra.core.ConfigurationException(
            field, "pattern '" + regex + "' does not compile: " + e.getDescription());
      }
      return regex;
    }
  }
}
