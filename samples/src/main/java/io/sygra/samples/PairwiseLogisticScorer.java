package io.sygra.samples;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A linear scoring head trained with a pairwise logistic (Bradley–Terry) loss, the Java stand-in
 * for AugCon's contrastively trained scorer: given feature vectors of a preferred and a less
 * preferred item, it learns {@code w} so that {@code w·x_pos > w·x_neg}.
 *
 * <p>Training minimises {@code mean(log(1 + exp(-w·(x_pos - x_neg)))) + λ/2·|w|²} by full-batch
 * gradient descent. It is deterministic (starts from zero weights, no sampling), so the same pairs
 * always give the same head. Instances are immutable and thread-safe.
 */
public final class PairwiseLogisticScorer {
  private final double[] weights;
  private final double finalLoss;
  private final double trainAccuracy;

  private PairwiseLogisticScorer(double[] weights, double finalLoss, double trainAccuracy) {
    this.weights = weights;
    this.finalLoss = finalLoss;
    this.trainAccuracy = trainAccuracy;
  }

  /** A preferred ({@code positive}) and a less preferred ({@code negative}) feature vector. */
  public record Pair(double[] positive, double[] negative) {
    public Pair {
      Objects.requireNonNull(positive, "positive");
      Objects.requireNonNull(negative, "negative");
      if (positive.length != negative.length) {
        throw new IllegalArgumentException(
            "feature vectors differ in length: " + positive.length + " vs " + negative.length);
      }
    }
  }

  /**
   * Training settings.
   *
   * @param epochs full-batch gradient steps (at least 1)
   * @param learningRate step size (positive)
   * @param l2 weight decay λ (non-negative)
   */
  public record Training(int epochs, double learningRate, double l2) {
    public Training {
      if (epochs < 1) {
        throw new IllegalArgumentException("epochs must be >= 1, was " + epochs);
      }
      if (!(learningRate > 0)) {
        throw new IllegalArgumentException("learningRate must be > 0, was " + learningRate);
      }
      if (!(l2 >= 0)) {
        throw new IllegalArgumentException("l2 must be >= 0, was " + l2);
      }
    }

    /** 300 epochs, learning rate 0.5, λ = 1e-3. */
    public static Training defaults() {
      return new Training(300, 0.5, 1e-3);
    }
  }

  /**
   * Trains a head on {@code pairs}.
   *
   * @throws IllegalArgumentException when there are no pairs or their dimensions differ
   */
  public static PairwiseLogisticScorer train(List<Pair> pairs, Training training) {
    if (pairs.isEmpty()) {
      throw new IllegalArgumentException("training needs at least one pair");
    }
    int dim = pairs.get(0).positive().length;
    List<double[]> diffs = new ArrayList<>(pairs.size());
    for (Pair p : pairs) {
      if (p.positive().length != dim) {
        throw new IllegalArgumentException(
            "every pair needs " + dim + " features, one has " + p.positive().length);
      }
      double[] d = new double[dim];
      for (int i = 0; i < dim; i++) {
        d[i] = p.positive()[i] - p.negative()[i];
      }
      diffs.add(d);
    }
    double[] w = new double[dim];
    double[] grad = new double[dim];
    int n = diffs.size();
    for (int epoch = 0; epoch < training.epochs(); epoch++) {
      java.util.Arrays.fill(grad, 0);
      for (double[] d : diffs) {
        double m = dot(w, d);
        // d/dw log(1 + e^-m) = -sigmoid(-m)·d
        double g = -sigmoid(-m);
        for (int i = 0; i < dim; i++) {
          grad[i] += g * d[i];
        }
      }
      for (int i = 0; i < dim; i++) {
        w[i] -= training.learningRate() * (grad[i] / n + training.l2() * w[i]);
      }
    }
    double loss = 0;
    int correct = 0;
    for (double[] d : diffs) {
      double m = dot(w, d);
      loss += softplus(-m);
      if (m > 0) {
        correct++;
      }
    }
    return new PairwiseLogisticScorer(w, loss / n, (double) correct / n);
  }

  /** The raw score {@code w·x}; higher is better. */
  public double score(double[] features) {
    if (features.length != weights.length) {
      throw new IllegalArgumentException(
          "expected " + weights.length + " features, got " + features.length);
    }
    return dot(weights, features);
  }

  /** The probability that {@code a} is preferred to {@code b}: {@code sigmoid(w·(a - b))}. */
  public double preference(double[] a, double[] b) {
    return sigmoid(score(a) - score(b));
  }

  /** Mean training loss after the last epoch. */
  public double finalLoss() {
    return finalLoss;
  }

  /** Share of training pairs ranked correctly after training. */
  public double trainAccuracy() {
    return trainAccuracy;
  }

  /** Number of features. */
  public int dimensions() {
    return weights.length;
  }

  /** A copy of the weights. */
  public double[] weights() {
    return weights.clone();
  }

  /** Summary figures for reports. */
  public Map<String, Object> summary() {
    return Map.of(
        "dimensions", weights.length,
        "finalLoss", Math.round(finalLoss * 1e4) / 1e4,
        "trainAccuracy", Math.round(trainAccuracy * 1e4) / 1e4);
  }

  static double sigmoid(double x) {
    return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
  }

  private static double softplus(double x) {
    return x > 30 ? x : Math.log1p(Math.exp(x));
  }

  private static double dot(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }
}
