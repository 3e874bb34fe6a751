package io.sygra.quality.internal;

import java.util.Arrays;

/**
 * An open-addressing map from {@code long} keys to {@code int} counts, for n-gram counting without
 * boxing. Not thread-safe; {@link #clear()} keeps the table for reuse.
 */
public final class LongIntMap {
  private static final long EMPTY = 0L;

  private long[] keys;
  private int[] values;
  private boolean hasZero;
  private int zeroValue;
  private int size;
  private int mask;

  public LongIntMap(int expected) {
    int cap = Integer.highestOneBit(Math.max(16, expected * 2 - 1)) << 1;
    keys = new long[cap];
    values = new int[cap];
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
    for (int i = 0; i < keys.length; i++) {
      if (keys[i] != EMPTY && values[i] > max) {
        max = values[i];
      }
    }
    return max;
  }

  /** The key with the largest count (ties: any); only meaningful when not empty. */
  public long maxKey() {
    long best = EMPTY;
    int max = hasZero ? zeroValue : Integer.MIN_VALUE;
    for (int i = 0; i < keys.length; i++) {
      if (keys[i] != EMPTY && values[i] > max) {
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
      mask = keys.length - 1;
    } else {
      Arrays.fill(keys, EMPTY);
    }
    hasZero = false;
    zeroValue = 0;
    size = 0;
  }

  private void grow() {
    long[] oldKeys = keys;
    int[] oldValues = values;
    keys = new long[oldKeys.length * 2];
    values = new int[oldKeys.length * 2];
    mask = keys.length - 1;
    for (int j = 0; j < oldKeys.length; j++) {
      long k = oldKeys[j];
      if (k != EMPTY) {
        int i = (int) Words.mix(k) & mask;
        while (keys[i] != EMPTY) {
          i = (i + 1) & mask;
        }
        keys[i] = k;
        values[i] = oldValues[j];
      }
    }
  }
}
