package io.sygra.samples;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * ROUGE-L between two short texts: the F1 of precision and recall of their longest common
 * subsequence of tokens. Tokens are lower-cased runs of letters and digits; each CJK character is a
 * token of its own (so Chinese text is compared character by character, close to what word
 * segmentation gives for short questions).
 *
 * <p>Used by the AugCon sample's diversity filter: a question is dropped when its ROUGE-L with a
 * question already kept for the same chunk exceeds 0.7. Stateless and thread-safe.
 */
public final class RougeL {
  private RougeL() {}

  /** ROUGE-L F1 of {@code a} and {@code b} in [0, 1]; 0 when either has no tokens. */
  public static double f1(String a, String b) {
    return f1(tokens(a), tokens(b));
  }

  /** ROUGE-L F1 of two token lists. */
  public static double f1(List<String> a, List<String> b) {
    if (a.isEmpty() || b.isEmpty()) {
      return 0;
    }
    int lcs = lcs(a, b);
    if (lcs == 0) {
      return 0;
    }
    double p = (double) lcs / a.size();
    double r = (double) lcs / b.size();
    return 2 * p * r / (p + r);
  }

  /** Length of the longest common subsequence, in O(|a|·|b|) time and O(|b|) memory. */
  static int lcs(List<String> a, List<String> b) {
    int[] prev = new int[b.size() + 1];
    int[] cur = new int[b.size() + 1];
    for (int i = 1; i <= a.size(); i++) {
      String x = a.get(i - 1);
      for (int j = 1; j <= b.size(); j++) {
        cur[j] = x.equals(b.get(j - 1)) ? prev[j - 1] + 1 : Math.max(prev[j], cur[j - 1]);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.size()];
  }

  /** The tokens ROUGE-L compares. */
  public static List<String> tokens(String text) {
    List<String> out = new ArrayList<>();
    if (text == null) {
      return out;
    }
    String s = text.toLowerCase(Locale.ROOT);
    StringBuilder word = new StringBuilder();
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      i += Character.charCount(cp);
      if (isCjk(cp)) {
        flush(word, out);
        out.add(new String(Character.toChars(cp)));
      } else if (Character.isLetterOrDigit(cp)) {
        word.appendCodePoint(cp);
      } else {
        flush(word, out);
      }
    }
    flush(word, out);
    return out;
  }

  private static void flush(StringBuilder word, List<String> out) {
    if (word.length() > 0) {
      out.add(word.toString());
      word.setLength(0);
    }
  }

  private static boolean isCjk(int cp) {
    Character.UnicodeScript script = Character.UnicodeScript.of(cp);
    return script == Character.UnicodeScript.HAN
        || script == Character.UnicodeScript.HIRAGANA
        || script == Character.UnicodeScript.KATAKANA
        || script == Character.UnicodeScript.HANGUL;
  }
}
