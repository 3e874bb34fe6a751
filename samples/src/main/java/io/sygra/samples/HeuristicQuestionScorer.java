package io.sygra.samples;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A question scorer that needs no model: the offline default of the AugCon sample, and its fallback
 * when no embedding endpoint is configured. A score in [0, 1] adds up what the AugCon paper's
 * degraded prompts tend to lose:
 *
 * <ul>
 *   <li>grounding (0.4): the share of the question's content words found in its context;
 *   <li>form (0.25): ends with a question mark and opens with an interrogative word;
 *   <li>length (0.2): 6–30 words is full credit, shorter or longer less;
 *   <li>not a copy (0.15): ROUGE-L with the context below 0.6 (questions that restate the context
 *       verbatim teach nothing).
 * </ul>
 */
public final class HeuristicQuestionScorer implements QuestionScorer {
  private static final Set<String> INTERROGATIVES =
      Set.of(
          "what",
          "why",
          "how",
          "when",
          "where",
          "which",
          "who",
          "whom",
          "whose",
          "in",
          "to",
          "is",
          "are",
          "does",
          "do",
          "can",
          "could",
          "should",
          "would",
          "according");
  private static final Set<String> STOP =
      Set.of(
          "the", "a", "an", "of", "to", "in", "and", "or", "is", "are", "was", "were", "be", "for",
          "on", "with", "as", "by", "at", "it", "its", "this", "that", "these", "those", "what",
          "why", "how", "when", "where", "which", "who", "does", "do", "did", "can", "could",
          "from", "their", "there", "they", "has", "have", "had", "about", "into", "than", "such");

  @Override
  public List<Double> score(List<String> contexts, List<String> questions) {
    if (contexts.size() != questions.size()) {
      throw new IllegalArgumentException(
          "contexts and questions differ in size: " + contexts.size() + " vs " + questions.size());
    }
    List<Double> out = new ArrayList<>(questions.size());
    for (int i = 0; i < questions.size(); i++) {
      out.add(score(contexts.get(i), questions.get(i)));
    }
    return out;
  }

  /** The score of one question. */
  public double score(String context, String question) {
    List<String> q = RougeL.tokens(question);
    if (q.isEmpty()) {
      return 0;
    }
    Set<String> ctx = new HashSet<>(RougeL.tokens(context));
    int content = 0;
    int grounded = 0;
    for (String w : q) {
      if (!STOP.contains(w)) {
        content++;
        if (ctx.contains(w)) {
          grounded++;
        }
      }
    }
    double grounding = content == 0 ? 0 : (double) grounded / content;
    String trimmed = question.strip();
    double form =
        (trimmed.endsWith("?") || trimmed.endsWith("？") ? 0.6 : 0)
            + (INTERROGATIVES.contains(q.get(0).toLowerCase(Locale.ROOT)) ? 0.4 : 0);
    int n = q.size();
    double length = n >= 6 && n <= 30 ? 1 : n < 6 ? n / 6.0 : Math.max(0, 1 - (n - 30) / 30.0);
    double copy = RougeL.f1(question, context) < 0.6 ? 1 : 0;
    return 0.4 * grounding + 0.25 * form + 0.2 * length + 0.15 * copy;
  }

  @Override
  public String name() {
    return "heuristic";
  }
}
