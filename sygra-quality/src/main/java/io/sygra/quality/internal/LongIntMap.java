package io.sygra.quality.internal;

import java.util.Arrays;

/**
 * An open-addressing map from {@code long} keys to {@code int} counts, for n-gram counting without
 * boxing. Not thread-safe; {@link #clear()} keeps the table for reuse and costs time in the number
 * of entries, not in the table's size, so one map can serve texts of every length.
 */
public final class LongIntMap {
  private static final long EMPTY = 0L;

  private long[] keys;
  private int[] values;

  /** The occupied slots, in insertion order (the zero key, kept aside, has none). */
  private int[] used;

  private int usedCount;
  private boolean hasZero;
  private int zeroValue;
  private int size;
  private int mask;

  public LongIntMap(int expected) {
    int cap = Integer.highestOneBit(Math.max(16, expected * 2 - 1)) << 1;
    keys = new long[cap];
    values = new int[cap];
    used = new int[cap / 2 + 1];
    mask = cap - 1;
  }

  /** Adds {@code delta} to the count of {@code key} and returns the new count. */
  public int add(long key, int delta) {
    if (key == EMPTY) {
      if (!hasZero) {
        hasZero = true;
        size++;
      }
      zeroValue += delta;
      return zeroValue;
    }
    int i = (int) Words.mix(key) & mask;
    while (true) {
      long k = keys[i];
      if (k == key) {
        values[i] += delta;
        return values[i];
      }
      if (k == EMPTY) {
        keys[i] = key;
        values[i] = delta;
        used[usedCount++] = i;
        if (++size * 2 > keys.length) {
          grow();
        }
        return delta;
      }
      i = (i + 1) & mask;
    }
  }

  /** The count of {@code key}, 0 when absent. */
  public int get(long key) {
    if (key == EMPTY) {
      return hasZero ? zeroValue : 0;
    }
    int i = (int) Words.mix(key) & mask;
    while (true) {
      long k = keys[i];
      if (k == key) {
        return values[i];
      }
      if (k == EMPTY) {
        return 0;
      }
      i = (i + 1) & mask;
    }
  }

  /** The largest count, 0 when empty. */
  public int maxValue() {
    int max = hasZero ? zeroValue : 0;
    for (int u = 0; u < usedCount; u++) {
      max = Math.max(max, values[used[u]]);
    }
    return max;
  }

  /** The key with the largest count (ties: any); only meaningful when not empty. */
  public long maxKey() {
    long best = EMPTY;
    int max = hasZero ? zeroValue : Integer.MIN_VALUE;
    for (int u = 0; u < usedCount; u++) {
      int i = used[u];
      if (values[i] > max) {
        max = values[i];
        best = keys[i];
      }
    }
    return best;
  }

  public int size() {
    return size;
  }

  /** Empties the map, shrinking a table that grew very large. */
  public void clear() {
    if (keys.length > 1 << 16) {
      keys = new long[1 << 10];
      values = new int[1 << 10];
      used = new int[(1 << 9) + 1];
      mask = keys.length - 1;
    } else if (usedCount * 8 < keys.length) {
      for (int j = 0; j < usedCount; j++) {
        keys[used[j]] = EMPTY;
      }
    } else {
      Arrays.fill(keys, EMPTY);
    }
    usedCount = 0;
    hasZero = false;
    zeroValue = 0;
    size = 0;
  }

  private void grow() {
    long[] oldKeys = keys;
    int[] oldValues = values;
    int[] oldUsed = used;
    int oldUsedCount = usedCount;
    keys = new long[oldKeys.length * 2];
    values = new int[oldKeys.length * 2];
    used = new int[oldKeys.length + 1];
    usedCount = 0;
    mask = keys.length - 1;
    for (int u = 0; u < oldUsedCount; u++) {
      int j = oldUsed[u];
      long k = oldKeys[j];
      int i = (int) Words.mix(k) & mask;
      while (keys[i] != EMPTY) {
        i = (i + 1) & mask;
      }
      keys[i] = k;
      values[i] = oldValues[j];
      used[usedCount++] = i;
    }
  }
}
