package io.sygra.samples;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Draws a sample balanced across strata (e.g. tag × task type × difficulty): items are grouped by
 * their stratum key, each group is shuffled with a fixed seed, and the sample takes one item from
 * each group in turn (groups in key order) until it has {@code size} items or every group is empty.
 * Small strata are therefore kept whole and large ones thinned, which is how Condor balances its
 * final dataset. Deterministic for a given seed and input order.
 */
public final class StratifiedSampler {
  private StratifiedSampler() {}

  /** A balanced sample of at most {@code size} items of {@code items}. */
  public static <T> List<T> sample(
      List<T> items, Function<T, String> stratum, int size, long seed) {
    if (size < 0) {
      throw new IllegalArgumentException("size must be >= 0, was " + size);
    }
    Map<String, List<T>> groups = new TreeMap<>();
    for (T item : items) {
      groups.computeIfAbsent(stratum.apply(item), k -> new ArrayList<>()).add(item);
    }
    Random rnd = new Random(seed);
    List<List<T>> queues = new ArrayList<>();
    for (List<T> g : groups.values()) {
      Collections.shuffle(g, rnd);
      queues.add(g);
    }
    List<T> out = new ArrayList<>(Math.min(size, items.size()));
    int[] next = new int[queues.size()];
    boolean progress = true;
    while (out.size() < size && progress) {
      progress = false;
      for (int i = 0; i < queues.size() && out.size() < size; i++) {
        if (next[i] < queues.get(i).size()) {
          out.add(queues.get(i).get(next[i]++));
          progress = true;
        }
      }
    }
    return out;
  }
}
