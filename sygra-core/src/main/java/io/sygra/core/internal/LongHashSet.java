package io.sygra.core.internal;

import java.nio.charset.StandardCharsets;

/**
 * An open-addressing set of 64-bit hashes, 8 bytes a slot, used to remember which record ids a run
 * directory already holds without keeping the id strings (16 bytes per record at the default load
 * factor). Ids are hashed with a 64-bit mix; two distinct ids colliding is about n²/2⁶⁵ (≈3·10⁻⁸
 * for a million records). Not thread-safe.
 */
public final class LongHashSet {
  private static final long EMPTY = 0L;

  private long[] slots;
  private int size;
  private boolean hasZero;

  public LongHashSet(int expected) {
    int cap = Integer.highestOneBit(Math.max(16, expected * 2 - 1)) << 1;
    slots = new long[cap];
  }

  /** The 64-bit hash of an id string. */
  public static long hash(String id) {
    byte[] b = id.getBytes(StandardCharsets.UTF_8);
    long h1 = 0x9E3779B97F4A7C15L ^ b.length;
    long h2 = 0xC2B2AE3D27D4EB4FL;
    for (byte x : b) {
      h1 = (h1 ^ (x & 0xFF)) * 0x100000001B3L;
      h2 = Long.rotateLeft(h2 ^ (x & 0xFF), 31) * 0x9E3779B97F4A7C15L;
    }
    return mix(h1 ^ Long.rotateLeft(h2, 17));
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 33)) * 0xFF51AFD7ED558CCDL;
    z = (z ^ (z >>> 33)) * 0xC4CEB9FE1A85EC53L;
    return z ^ (z >>> 33);
  }

  public boolean add(long key) {
    if (key == EMPTY) {
      boolean added = !hasZero;
      hasZero = true;
      if (added) {
        size++;
      }
      return added;
    }
    if ((size + 1) * 2 > slots.length) {
      grow();
    }
    int mask = slots.length - 1;
    int i = (int) mix(key) & mask;
    while (true) {
      long s = slots[i];
      if (s == EMPTY) {
        slots[i] = key;
        size++;
        return true;
      }
      if (s == key) {
        return false;
      }
      i = (i + 1) & mask;
    }
  }

  public boolean contains(long key) {
    if (key == EMPTY) {
      return hasZero;
    }
    int mask = slots.length - 1;
    int i = (int) mix(key) & mask;
    while (true) {
      long s = slots[i];
      if (s == EMPTY) {
        return false;
      }
      if (s == key) {
        return true;
      }
      i = (i + 1) & mask;
    }
  }

  public int size() {
    return size;
  }

  private void grow() {
    long[] old = slots;
    slots = new long[old.length * 2];
    int mask = slots.length - 1;
    for (long k : old) {
      if (k != EMPTY) {
        int i = (int) mix(k) & mask;
        while (slots[i] != EMPTY) {
          i = (i + 1) & mask;
        }
        slots[i] = k;
      }
    }
  }
}
