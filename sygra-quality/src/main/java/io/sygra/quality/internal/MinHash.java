package io.sygra.quality.internal;

import java.util.SplittableRandom;

/**
 * MinHash signatures over word shingles: {@code numPerm} universal hash functions {@code (a·x + b)
 * >>> 33} applied to 64-bit shingle hashes; each slot keeps the minimum. The fraction of equal
 * slots between two signatures estimates the Jaccard similarity of their shingle sets (standard
 * error about {@code 1/sqrt(numPerm)}). Immutable and thread-safe; signatures are plain arrays.
 */
public final class MinHash {
  private final int numPerm;
  private final int shingleSize;
  private final long[] a;
  private final long[] b;

  /**
   * @param numPerm number of hash functions (signature length)
   * @param shingleSize words per shingle; texts shorter than that form one shingle of all words
   * @param seed seed of the hash functions (signatures are comparable only under the same seed)
   */
  public MinHash(int numPerm, int shingleSize, long seed) {
    this.numPerm = numPerm;
    this.shingleSize = shingleSize;
    SplittableRandom rng = new SplittableRandom(seed);
    a = new long[numPerm];
    b = new long[numPerm];
    for (int i = 0; i < numPerm; i++) {
      a[i] = rng.nextLong() | 1L;
      b[i] = rng.nextLong();
    }
  }

  public int numPerm() {
    return numPerm;
  }

  public int shingleSize() {
    return shingleSize;
  }

  /**
   * The signature of {@code text}. A text without words has a signature of all {@link
   * Integer#MAX_VALUE}, which {@link #similarity} treats as similar to nothing.
   */
  public int[] signature(String text, Words.Buffers buffers) {
    int n = Words.hashes(text, buffers);
    int[] sig = new int[numPerm];
    java.util.Arrays.fill(sig, Integer.MAX_VALUE);
    if (n == 0) {
      return sig;
    }
    long[] words = buffers.hashes;
    int k = Math.min(shingleSize, n);
    for (int i = 0; i + k <= n; i++) {
      long sh = 0;
      for (int j = 0; j < k; j++) {
        sh = sh * 0x100000001B3L + words[i + j];
      }
      sh = Words.mix(sh);
      for (int p = 0; p < numPerm; p++) {
        int v = (int) ((a[p] * sh + b[p]) >>> 33);
        if (v < sig[p]) {
          sig[p] = v;
        }
      }
    }
    return sig;
  }

  /** Estimated Jaccard similarity: the fraction of equal slots; 0 if either text had no words. */
  public static double similarity(int[] x, int[] y) {
    if (x[0] == Integer.MAX_VALUE || y[0] == Integer.MAX_VALUE) {
      return 0;
    }
    int same = 0;
    for (int i = 0; i < x.length; i++) {
      if (x[i] == y[i]) {
        same++;
      }
    }
    return same / (double) x.length;
  }

  /**
   * The (bands, rows) split of {@code numPerm} slots whose LSH S-curve {@code 1 - (1 - s^r)^b} best
   * separates pairs above and below {@code threshold}: it minimises the false-positive plus
   * false-negative probability mass, integrated over similarity (the method datasketch uses).
   */
  public static int[] optimalBands(double threshold, int numPerm) {
    double best = Double.MAX_VALUE;
    int[] out = {1, numPerm};
    for (int bands = 1; bands <= numPerm; bands++) {
      int maxRows = numPerm / bands;
      for (int rows = 1; rows <= maxRows; rows++) {
        double fp = integrate(0, threshold, bands, rows, false);
        double fn = integrate(threshold, 1, bands, rows, true);
        double err = fp + fn;
        if (err < best) {
          best = err;
          out = new int[] {bands, rows};
        }
      }
    }
    return out;
  }

  private static double integrate(double lo, double hi, int bands, int rows, boolean miss) {
    int steps = 100;
    double h = (hi - lo) / steps;
    double sum = 0;
    for (int i = 0; i < steps; i++) {
      double s = lo + (i + 0.5) * h;
      double p = 1 - Math.pow(1 - Math.pow(s, rows), bands);
      sum += (miss ? 1 - p : p) * h;
    }
    return sum;
  }
}
