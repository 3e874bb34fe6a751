package io.sygra.schema.internal;

/**
 * An open-addressing set of 64-bit keys: 8 bytes per entry, so remembering which trees have been
 * closed costs little even for millions of trees.
 */
public final class LongHashSet {
  private static final long EMPTY = 0L;
  private long[] table = new long[1024];
  private int size;
  private boolean hasZero;

  /** Adds {@code key}; returns false when it was present. */
  public boolean add(long key) {
    if (key == EMPTY) {
      boolean added = !hasZero;
      hasZero = true;
      return added;
    }
    if ((size + 1) * 2 > table.length) {
      grow();
    }
    return insert(table, key);
  }

  /** True when {@code key} is present. */
  public boolean contains(long key) {
    if (key == EMPTY) {
      return hasZero;
    }
    int mask = table.length - 1;
    for (int i = mix(key) & mask; ; i = (i + 1) & mask) {
      long k = table[i];
      if (k == EMPTY) {
        return false;
      }
      if (k == key) {
        return true;
      }
    }
  }

  private boolean insert(long[] t, long key) {
    int mask = t.length - 1;
    for (int i = mix(key) & mask; ; i = (i + 1) & mask) {
      long k = t[i];
      if (k == EMPTY) {
        t[i] = key;
        if (t == table) {
          size++;
        }
        return true;
      }
      if (k == key) {
        return false;
      }
    }
  }

  private void grow() {
    long[] old = table;
    long[] bigger = new long[old.length * 2];
    for (long k : old) {
      if (k != EMPTY) {
        insert(bigger, k);
      }
    }
    table = bigger;
  }

  private static int mix(long key) {
    long h = key * 0x9E3779B97F4A7C15L;
    return (int) (h ^ (h >>> 32));
  }

  /** A 64-bit hash of a string (FNV-1a over its chars, then mixed). */
  public static long hash(String s) {
    long h = 0xcbf29ce484222325L;
    for (int i = 0; i < s.length(); i++) {
      h ^= s.charAt(i);
      h *= 0x100000001b3L;
    }
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    return h;
  }
}
