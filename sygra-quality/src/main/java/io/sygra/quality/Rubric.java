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
 * The response criteria the judge scores, by category. Each criterion is scored 1 (poor) to 5
 * (excellent), or -1 when it does not apply to the response; {@code overall} is the mean of the
 * applicable scores. A category without criteria of its own uses those of {@link #FALLBACK}.
 *
 * <p>The default criteria follow SyGra's quality-tagging rubric: for {@code generic},
 * instruction_following, accuracy, relevance, clarity, completeness and conciseness; for {@code
 * math}, {@code reasoning}, {@code code}, {@code complex_instruction_following}, {@code open_qa}
 * and {@code closed_qa}, criteria specific to those tasks (see {@link #defaults()}).
 *
 * @param criteria category name → its criteria, in order
 */
public record Rubric(Map<String, List<Criterion>> criteria) {
  /** The category whose criteria apply to categories without their own. */
  public static final String FALLBACK = "generic";

  /**
   * One criterion.
   *
   * @param name the JSON key of its score, e.g. {@code instruction_following}
   * @param description what it measures, shown to the judge
   */
  public record Criterion(String name, String description) {
    /** Validates. */
    public Criterion {
      Objects.requireNonNull(name, "name");
      ConfigurationException.check(
          name.matches("[a-z][a-z0-9_]*"),
          "rubric",
          "criterion name must be lower-case letters, digits and '_', was '" + name + "'");
      Objects.requireNonNull(description, "description");
    }
  }

  /** Validates and copies. */
  public Rubric {
    Map<String, List<Criterion>> copy = new LinkedHashMap<>();
    criteria.forEach(
        (k, v) -> {
          ConfigurationException.check(
              !v.isEmpty(), "rubric", "category '" + k + "' needs at least one criterion");
          Set<String> names = new LinkedHashSet<>();
          for (Criterion c : v) {
            ConfigurationException.check(
                names.add(c.name()),
                "rubric",
                "criterion '" + c.name() + "' appears twice in category '" + k + "'");
          }
          copy.put(k, List.copyOf(v));
        });
    ConfigurationException.check(
        copy.containsKey(FALLBACK),
        "rubric",
        "needs criteria for the fallback category '" + FALLBACK + "'");
    criteria = Collections.unmodifiableMap(copy);
  }

  /** The criteria for {@code category}, or the fallback's. */
  public List<Criterion> criteriaFor(String category) {
    List<Criterion> c = category == null ? null : criteria.get(category);
    return c != null ? c : criteria.get(FALLBACK);
  }

  /** A copy with {@code category}'s criteria replaced (or added). */
  public Rubric with(String category, List<Criterion> categoryCriteria) {
    Map<String, List<Criterion>> m = new LinkedHashMap<>(criteria);
    m.put(Objects.requireNonNull(category, "category"), categoryCriteria);
    return new Rubric(m);
  }

  /** The default rubric (see the class description). */
  public static Rubric defaults() {
    Map<String, List<Criterion>> m = new LinkedHashMap<>();
    Criterion follow =
        c(
            "instruction_following",
            "Does the response do what the user asked, within safe and ethical limits?");
    m.put(
        "generic",
        List.of(
            follow,
            c("accuracy", "Is the information correct and consistent with the request?"),
            c("relevance", "Does the response stay on the user's question without digressions?"),
            c("clarity", "Is it easy to understand, well organised and unambiguous?"),
            c("completeness", "Does it address every part of the request with enough detail?"),
            c("conciseness", "Is it as short as it can be without losing substance?")));
    m.put(
        "math",
        List.of(
            follow,
            c("completeness", "Are all parts of the problem addressed?"),
            c("readability", "Are the steps clear, structured and easy to follow?"),
            c("correctness", "Is the final answer mathematically correct?"),
            c("logical_correctness", "Are the reasoning and the intermediate steps sound?")));
    m.put(
        "reasoning",
        List.of(
            follow,
            c("correctness", "Is the conclusion correct and clearly stated?"),
            c(
                "interpretation_accuracy",
                "Is the problem understood correctly before reasoning starts?"),
            c(
                "logical_soundness",
                "Are the steps consistent, without leaps or premature conclusions?"),
            c("reasoning_completeness", "Are all necessary steps present and explained?"),
            c("depth_of_reasoning", "Does it handle multi-step logic and counterfactuals well?"),
            c(
                "causal_reasoning",
                "Are causes, effects and their timing understood correctly (-1 if none)?")));
    m.put(
        "code",
        List.of(
            follow,
            c("correctness", "Would the code produce the right result for the task?"),
            c("completeness", "Does it cover all requirements?"),
            c("readability", "Is the code clear, idiomatic and maintainable?"),
            c("error_handling", "Are errors and edge cases handled (-1 if not relevant)?"),
            c("dependency_management", "Are needed imports and dependencies present?"),
            c("syntax_validity", "Is the code free of syntax errors?"),
            c("logical_correctness", "Is the logic free of bugs?"),
            c("efficiency", "Is the solution reasonably efficient?")));
    m.put(
        "complex_instruction_following",
        List.of(
            c(
                "adherence_to_constraints",
                "Are all stated constraints met (keywords, language, length, format, content),"
                    + " without producing harmful content?"),
            c(
                "clarity_and_coherence",
                "Is the response well structured, grammatical and coherent?"),
            c(
                "contextual_accuracy_and_relevance",
                "Does it address the prompt accurately, with the knowledge it needs?"),
            c(
                "tone_style_role_consistency",
                "Does it keep the requested tone, style or persona (-1 if none requested)?"),
            c(
                "helpfulness_honesty_safety",
                "Is it helpful and truthful while avoiding harmful or deceptive content?"),
            c(
                "decision_support_and_story_telling",
                "Are recommendations well reasoned or narratives coherent (-1 if neither)?")));
    m.put(
        "open_qa",
        List.of(
            follow,
            c("relevance", "Does it answer the question's intent without unrelated detail?"),
            c("accuracy", "Is it factually correct, without unsupported claims?"),
            c("completeness", "Does it address every aspect of the question?"),
            c("linguistic_clarity_and_grammar", "Is the language clear, fluent and correct?")));
    m.put(
        "closed_qa",
        List.of(
            follow,
            c(
                "contextual_alignment",
                "Is the answer grounded in the given context, without outside knowledge?"),
            c("accuracy", "Is it correct with respect to the context?"),
            c("completeness", "Does it address every aspect of the question?"),
            c("linguistic_clarity_and_grammar", "Is the language clear, fluent and correct?")));
    return new Rubric(m);
  }

  private static Criterion c(String name, String description) {
    return new Criterion(name, description);
  }

  /** The criteria as the judge sees them: one {@code - name: description} line each. */
  public static String render(List<Criterion> criteria) {
    List<String> lines = new ArrayList<>(criteria.size());
    criteria.forEach(c -> lines.add("- " + c.name() + ": " + c.description()));
    return String.join("\n", lines);
  }
}
