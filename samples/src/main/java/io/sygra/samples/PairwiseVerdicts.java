package io.sygra.samples;

/**
 * Combines two judge verdicts on the same pair of responses, asked once in each order, into a
 * preference: the position-swap check that cancels a judge's bias towards the first (or second)
 * slot.
 *
 * <p>With {@code d1 = score(A) − score(B)} when A was shown first and {@code d2} the same
 * difference when B was shown first: opposite signs mean the verdict flipped with the order and the
 * pair is dropped as inconsistent; a zero mean difference is a tie and is dropped; otherwise the
 * response with the higher mean score is chosen.
 */
public final class PairwiseVerdicts {
  private PairwiseVerdicts() {}

  /** Drop reason for a pair whose average scores are equal. */
  public static final String TIE = "tie: equal average judge scores";

  /** Drop reason for a pair whose verdict flips when the order is swapped. */
  public static final String INCONSISTENT = "tie: verdict flips under position swap";

  /**
   * The outcome for candidates A and B.
   *
   * @param winner {@code "a"} or {@code "b"}; null when dropped
   * @param scoreA mean score of A over both orders
   * @param scoreB mean score of B over both orders
   * @param dropReason why the pair is dropped, or null
   */
  public record Decision(String winner, double scoreA, double scoreB, String dropReason) {
    /** True when the pair is kept. */
    public boolean kept() {
      return winner != null;
    }
  }

  /**
   * Decides from the scores of the A-first verdict ({@code aFirst1} for A, {@code aFirst2} for B)
   * and of the B-first verdict ({@code bFirst1} for B, {@code bFirst2} for A).
   */
  public static Decision decide(int aFirst1, int aFirst2, int bFirst1, int bFirst2) {
    int d1 = aFirst1 - aFirst2;
    int d2 = bFirst2 - bFirst1;
    double scoreA = (aFirst1 + bFirst2) / 2.0;
    double scoreB = (aFirst2 + bFirst1) / 2.0;
    if ((long) d1 * d2 < 0) {
      return new Decision(null, scoreA, scoreB, INCONSISTENT);
    }
    if (scoreA == scoreB) {
      return new Decision(null, scoreA, scoreB, TIE);
    }
    return new Decision(scoreA > scoreB ? "a" : "b", scoreA, scoreB, null);
  }
}
