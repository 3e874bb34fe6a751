package io.sygra.quality.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A MinHash LSH index: signatures are cut into bands; two records whose band hashes agree in at
 * least one band are candidates, and a candidate is a duplicate when the estimated Jaccard of the
 * whole signatures reaches the threshold. Not thread-safe: callers serialize {@link #find} and
 * {@link #add}. Memory: the signature (4 bytes per slot) plus the band entries of every record
 * added.
 */
public final class NearDupIndex {
  private final int bands;
  private final int rows;
  private final double threshold;
  private final List<int[]> signatures = new ArrayList<>();
  private final List<String> ids = new ArrayList<>();
  private final Map<Long, int[]> buckets = new HashMap<>();

  public NearDupIndex(int bands, int rows, double threshold) {
    this.bands = bands;
    this.rows = rows;
    this.threshold = threshold;
  }

  /** A match: the earlier record's id and the estimated similarity. */
  public record Match(String id, double similarity) {}

  /**
   * The most similar record at or above the threshold (ties: the earliest added), or null. A text
   * without words matches nothing.
   */
  public Match find(int[] signature) {
    if (signature[0] == Integer.MAX_VALUE) {
      return null;
    }
    int best = -1;
    double bestSim = -1;
    int[] seen = new int[8];
    int seenCount = 0;
    for (int band = 0; band < bands; band++) {
      int[] bucket = buckets.get(key(signature, band));
      if (bucket == null) {
        continue;
      }
      int size = bucket[0];
      for (int j = 1; j <= size; j++) {
        int cand = bucket[j];
        boolean dup = false;
        for (int s = 0; s < seenCount; s++) {
          if (seen[s] == cand) {
            dup = true;
            break;
          }
        }
        if (dup) {
          continue;
        }
        if (seenCount == seen.length) {
          seen = java.util.Arrays.copyOf(seen, seenCount * 2);
        }
        seen[seenCount++] = cand;
        double sim = MinHash.similarity(signature, signatures.get(cand));
        if (sim >= threshold && (sim > bestSim || (sim == bestSim && cand < best))) {
          best = cand;
          bestSim = sim;
        }
      }
    }
    return best >= 0 ? new Match(ids.get(best), bestSim) : null;
  }

  /** Adds a record; a text without words is not indexed. */
  public void add(String id, int[] signature) {
    if (signature[0] == Integer.MAX_VALUE) {
      return;
    }
    int ordinal = signatures.size();
    signatures.add(signature);
    ids.add(id);
    for (int band = 0; band < bands; band++) {
      buckets.merge(key(signature, band), new int[] {1, ordinal}, NearDupIndex::append);
    }
  }

  private long key(int[] signature, int band) {
    long h = band * 0x9E3779B97F4A7C15L;
    int from = band * rows;
    for (int i = from; i < from + rows; i++) {
      h = h * 0x100000001B3L + signature[i];
    }
    return Words.mix(h);
  }

  /** Records in the index. */
  public int size() {
    return ids.size();
  }

  private static int[] append(int[] bucket, int[] one) {
    int size = bucket[0];
    if (size + 1 == bucket.length) {
      bucket = java.util.Arrays.copyOf(bucket, bucket.length * 2);
    }
    bucket[size + 1] = one[1];
    bucket[0] = size + 1;
    return bucket;
  }
}
