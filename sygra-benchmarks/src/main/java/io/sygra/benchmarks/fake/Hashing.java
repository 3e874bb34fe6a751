package io.sygra.benchmarks.fake;

import java.nio.charset.StandardCharsets;

/** Stateless, seedable hashing used for every deterministic choice the server makes. */
final class Hashing {
  private Hashing() {}

  /** SplitMix64 finaliser: a bijective 64-bit mix. */
  static long mix64(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }

  /** A uniform double in [0, 1) that depends only on the three arguments. */
  static double uniform(long seed, long sequence, int stream) {
    long h = mix64(seed ^ mix64(sequence * 0x9E3779B97F4A7C15L + stream * 0xD1B54A32D192ED03L));
    return (h >>> 11) * 0x1.0p-53;
  }

  /** 64-bit FNV-1a of the bytes, mixed. */
  static long hash(byte[] bytes) {
    long h = 0xcbf29ce484222325L;
    for (byte b : bytes) {
      h ^= b & 0xff;
      h *= 0x100000001b3L;
    }
    return mix64(h);
  }

  static long hash(String text) {
    return hash(text.getBytes(StandardCharsets.UTF_8));
  }

  /** Sixteen lower-case hex digits. */
  static String hex(long value) {
    String s = Long.toHexString(value);
    return "0".repeat(16 - s.length()) + s;
  }
}
