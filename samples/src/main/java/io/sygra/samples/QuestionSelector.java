package io.sygra.samples;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * AugCon's selection step for one chunk: rank candidate questions by score (best first), then walk
 * the ranking greedily, dropping a question whose ROUGE-L with any question already kept exceeds
 * the threshold (0.7), until the chunk's quota is filled.
 */
public final class QuestionSelector {
  private QuestionSelector() {}

  /** AugCon's similarity threshold. */
  public static final double DEFAULT_MAX_ROUGE_L = 0.7;

  /** A scored candidate; {@code payload} travels along (e.g. the CST node). */
  public record Candidate<T>(String question, double score, T payload) {
    public Candidate {
      Objects.requireNonNull(question, "question");
    }
  }

  /** What happened to each candidate. */
  public record Selection<T>(
      List<Candidate<T>> kept, int tooSimilar, int overQuota, double maxKeptRougeL) {}

  /** Selects at most {@code quota} candidates, no two with ROUGE-L above {@code maxRougeL}. */
  public static <T> Selection<T> select(
      List<Candidate<T>> candidates, int quota, double maxRougeL) {
    if (quota < 0) {
      throw new IllegalArgumentException("quota must be >= 0, was " + quota);
    }
    List<Candidate<T>> ranked = new ArrayList<>(candidates);
    // Stable: equal scores keep their tree order (shallower questions first).
    ranked.sort(Comparator.comparingDouble((Candidate<T> c) -> c.score()).reversed());
    List<Candidate<T>> kept = new ArrayList<>();
    List<List<String>> keptTokens = new ArrayList<>();
    int similar = 0;
    int over = 0;
    double maxSeen = 0;
    for (Candidate<T> c : ranked) {
      if (kept.size() >= quota) {
        over++;
        continue;
      }
      List<String> tokens = RougeL.tokens(c.question());
      double worst = 0;
      for (List<String> k : keptTokens) {
        worst = Math.max(worst, RougeL.f1(tokens, k));
      }
      if (worst > maxRougeL) {
        similar++;
        continue;
      }
      maxSeen = Math.max(maxSeen, worst);
      kept.add(c);
      keptTokens.add(tokens);
    }
    return new Selection<>(List.copyOf(kept), similar, over, maxSeen);
  }
}
