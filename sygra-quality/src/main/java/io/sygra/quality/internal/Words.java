package io.sygra.quality.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * Word splitting shared by the taggers and dedup: maximal runs of letters and digits (apostrophes
 * inside a word kept), lower-cased. Ideographic scripts (CJK, Thai...) have no spaces, so each
 * ideograph counts as one word; that keeps n-gram and diversity statistics meaningful for them.
 */
public final class Words {
  private Words() {}

  /** The lower-cased words of {@code text}, in order. */
  public static List<String> split(String text) {
    List<String> out = new ArrayList<>(Math.max(8, text.length() / 5));
    int n = text.length();
    int i = 0;
    StringBuilder sb = new StringBuilder(16);
    while (i < n) {
      int cp = text.codePointAt(i);
      int len = Character.charCount(cp);
      if (isIdeograph(cp)) {
        flush(sb, out);
        out.add(new String(Character.toChars(cp)));
      } else if (Character.isLetterOrDigit(cp)) {
        sb.appendCodePoint(Character.toLowerCase(cp));
      } else if ((cp == '\'' || cp == '\u2019')
          && sb.length() > 0
          && i + len < n
          && Character.isLetter(text.codePointAt(i + len))) {
        sb.append('\'');
      } else {
        flush(sb, out);
      }
      i += len;
    }
    flush(sb, out);
    return out;
  }

  /**
   * 64-bit hashes of the words of {@code text} (as {@link #split} would give them) without
   * allocating the strings; {@code lengths} receives each word's length in chars. Returns the word
   * count. Arrays are grown as needed and returned through {@code holder}.
   */
  public static int hashes(String text, Buffers holder) {
    int n = text.length();
    int count = 0;
    long h = 0;
    int wlen = 0;
    int i = 0;
    while (i < n) {
      char ch = text.charAt(i);
      if (ch < 0x80) {
        // ASCII fast path: the same decisions as below without Unicode table look-ups.
        if ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9')) {
          h = h * 1_000_003L + ch;
          wlen++;
        } else if (ch >= 'A' && ch <= 'Z') {
          h = h * 1_000_003L + (ch | 0x20);
          wlen++;
        } else if (ch == '\''
            && wlen > 0
            && i + 1 < n
            && Character.isLetter(text.codePointAt(i + 1))) {
          h = h * 1_000_003L + '\'';
          wlen++;
        } else if (wlen > 0) {
          count = holder.add(count, mix(h), wlen);
          h = 0;
          wlen = 0;
        }
        i++;
        continue;
      }
      int cp = text.codePointAt(i);
      int len = Character.charCount(cp);
      if (isIdeograph(cp)) {
        if (wlen > 0) {
          count = holder.add(count, mix(h), wlen);
          h = 0;
          wlen = 0;
        }
        count = holder.add(count, mix(cp * 0x9E3779B97F4A7C15L + 7), len);
      } else if (Character.isLetterOrDigit(cp)) {
        h = h * 1_000_003L + Character.toLowerCase(cp);
        wlen += len;
      } else if ((cp == '\'' || cp == '\u2019')
          && wlen > 0
          && i + len < n
          && Character.isLetter(text.codePointAt(i + len))) {
        h = h * 1_000_003L + '\'';
        wlen += len;
      } else if (wlen > 0) {
        count = holder.add(count, mix(h), wlen);
        h = 0;
        wlen = 0;
      }
      i += len;
    }
    if (wlen > 0) {
      count = holder.add(count, mix(h), wlen);
    }
    return count;
  }

  /** Reusable arrays for {@link #hashes}; one per thread. */
  public static final class Buffers {
    public long[] hashes = new long[256];
    public int[] lengths = new int[256];

    int add(int count, long hash, int length) {
      if (count == hashes.length) {
        hashes = java.util.Arrays.copyOf(hashes, count * 2);
        lengths = java.util.Arrays.copyOf(lengths, count * 2);
      }
      hashes[count] = hash;
      lengths[count] = length;
      return count + 1;
    }
  }

  /** True for code points of scripts written without spaces between words. */
  public static boolean isIdeograph(int cp) {
    Character.UnicodeScript s;
    if (cp < 0x2E80) {
      return false; // fast path: Latin, Greek, Cyrillic, Arabic, Hebrew, Indic...
    }
    s = Character.UnicodeScript.of(cp);
    return s == Character.UnicodeScript.HAN
        || s == Character.UnicodeScript.HIRAGANA
        || s == Character.UnicodeScript.KATAKANA
        || s == Character.UnicodeScript.THAI
        || s == Character.UnicodeScript.LAO
        || s == Character.UnicodeScript.KHMER
        || s == Character.UnicodeScript.MYANMAR;
  }

  /** A strong 64-bit finalizer (SplitMix64). */
  public static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  private static void flush(StringBuilder sb, List<String> out) {
    if (sb.length() > 0) {
      out.add(sb.toString());
      sb.setLength(0);
    }
  }
}
