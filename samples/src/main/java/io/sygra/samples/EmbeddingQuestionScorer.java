package io.sygra.samples;

import io.sygra.llm.Embedder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * AugCon's trained question scorer: a {@link PairwiseLogisticScorer} head over embedding features
 * of (context, question). Features are the unit-normalised question vector followed by its
 * element-wise product with the unit-normalised context vector, so the head can weigh both what a
 * question asks and how it relates to its context. Thread-safe when the embedder is.
 */
public final class EmbeddingQuestionScorer implements QuestionScorer {
  private final Embedder embedder;
  private final PairwiseLogisticScorer head;

  /** A scorer using {@code embedder} for features and {@code head} for scores. */
  public EmbeddingQuestionScorer(Embedder embedder, PairwiseLogisticScorer head) {
    this.embedder = embedder;
    this.head = head;
  }

  /** The trained head. */
  public PairwiseLogisticScorer head() {
    return head;
  }

  @Override
  public List<Double> score(List<String> contexts, List<String> questions) {
    return scoreAsync(contexts, questions).join();
  }

  /** Scores without blocking: one embedding request for all contexts and questions. */
  public CompletableFuture<List<Double>> scoreAsync(List<String> contexts, List<String> questions) {
    if (contexts.size() != questions.size()) {
      throw new IllegalArgumentException("contexts and questions differ in size");
    }
    List<String> texts = new ArrayList<>(contexts);
    texts.addAll(questions);
    return embedder
        .embed(texts)
        .thenApply(
            v -> {
              int n = contexts.size();
              List<Double> out = new ArrayList<>(n);
              for (int i = 0; i < n; i++) {
                out.add(PairwiseLogisticScorer.sigmoid(head.score(features(v[i], v[n + i]))));
              }
              return out;
            });
  }

  @Override
  public String name() {
    return "pairwise-logistic";
  }

  /** Features of a (context, question) pair. */
  static double[] features(float[] context, float[] question) {
    if (context.length != question.length) {
      throw new IllegalArgumentException(
          "embedding sizes differ: " + context.length + " vs " + question.length);
    }
    double nc = norm(context);
    double nq = norm(question);
    int d = question.length;
    double[] f = new double[2 * d];
    for (int i = 0; i < d; i++) {
      double q = question[i] / nq;
      f[i] = q;
      f[d + i] = q * (context[i] / nc) * Math.sqrt(d);
    }
    return f;
  }

  private static double norm(float[] v) {
    double s = 0;
    for (float x : v) {
      s += (double) x * x;
    }
    return s == 0 ? 1 : Math.sqrt(s);
  }

  /** Embeds {@code texts} in batches of the embedder's maximum size, blocking. */
  static float[][] embedAll(Embedder embedder, List<String> texts) {
    float[][] out = new float[texts.size()][];
    int batch = Math.max(1, Math.min(embedder.maxBatchSize(), 256));
    for (int from = 0; from < texts.size(); from += batch) {
      int to = Math.min(texts.size(), from + batch);
      float[][] v = embedder.embedBlocking(texts.subList(from, to));
      System.arraycopy(v, 0, out, from, v.length);
    }
    return out;
  }
}
