package io.sygra.quality;

import io.sygra.quality.internal.LongIntMap;
import io.sygra.quality.internal.SampleText;
import io.sygra.quality.internal.Words;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Repetition in the responses, after the Gopher rules (Rae et al. 2021, table A1) ({@code
 * quality.heuristic.repetition}):
 *
 * <ul>
 *   <li>{@code duplicate_line_fraction}: lines that repeat an earlier line / non-empty lines;
 *   <li>{@code duplicate_line_char_fraction}: characters in such lines / characters in all lines;
 *   <li>{@code duplicate_paragraph_fraction}: the same for paragraphs (separated by blank lines);
 *   <li>{@code top_2gram_char_fraction} .. {@code top_4gram_char_fraction}: characters covered by
 *       the most frequent word n-gram (counting every occurrence) / characters in all words;
 *   <li>{@code duplicate_5gram_char_fraction} .. {@code duplicate_10gram_char_fraction}: characters
 *       in words covered by any n-gram that occurs more than once / characters in all words.
 * </ul>
 *
 * <p>The n-gram statistics are noisy on short texts, so they are only reported for responses of at
 * least 30 words; the line statistics need at least 3 lines. Thread-safe.
 */
public final class RepetitionTagger implements QualityTagger {
  private static final int MIN_WORDS = 30;
  private static final int MIN_LINES = 3;
  private static final ThreadLocal<State> STATE = ThreadLocal.withInitial(State::new);
  private static final String[] GRAM_KEYS = new String[11];

  static {
    for (int size = 2; size <= 10; size++) {
      GRAM_KEYS[size] = (size <= 4 ? "top_" : "duplicate_") + size + "gram_char_fraction";
    }
  }

  private RepetitionTagger() {}

  public static RepetitionTagger create() {
    return new RepetitionTagger();
  }

  @Override
  public String name() {
    return "repetition";
  }

  @Override
  public Map<String, Object> tag(QualitySample sample) {
    SampleText memo = SampleText.of(sample);
    String text = memo.responseText();
    State st = STATE.get();
    Map<String, Object> m = new LinkedHashMap<>(16);
    blocks(text, false, st, m);
    blocks(text, true, st, m);
    int n = memo.words();
    if (n < MIN_WORDS) {
      return m;
    }
    long[] w = memo.buffers().hashes;
    int[] len = memo.buffers().lengths;
    long totalChars = 0;
    for (int i = 0; i < n; i++) {
      totalChars += len[i];
    }
    // acc[i] holds the running hash of words i..i+size-1; each size extends it by one word,
    // so every pass is linear in the number of words.
    if (st.acc.length < n) {
      st.acc = new long[Math.max(n, st.acc.length * 2)];
      st.keys = new long[st.acc.length];
    }
    long[] acc = st.acc;
    long[] keys = st.keys;
    System.arraycopy(w, 0, acc, 0, n);
    // An n-gram that occurs twice contains an (n-1)-gram that occurs twice, so once no n-gram
    // repeats, no longer one does: the remaining fractions are 0 without counting.
    boolean repeats = true;
    for (int size = 2; size <= 10 && size <= n; size++) {
      String key = GRAM_KEYS[size];
      if (!repeats) {
        m.put(key, 0.0);
        continue;
      }
      int grams = n - size + 1;
      st.counts.clear();
      int most = 0;
      for (int i = 0; i < grams; i++) {
        acc[i] = acc[i] * 0x100000001B3L + w[i + size - 1];
        keys[i] = Words.mix(acc[i] + size);
        most = Math.max(most, st.counts.add(keys[i], 1));
      }
      if (most <= 1) {
        repeats = false;
        m.put(key, 0.0);
        continue;
      }
      if (size <= 4) {
        // The most frequent n-gram (the first to occur among equally frequent ones): the
        // characters of one occurrence times its count.
        int gramChars = 0;
        for (int i = 0; i < grams; i++) {
          if (st.counts.get(keys[i]) == most) {
            for (int j = 0; j < size; j++) {
              gramChars += len[i + j];
            }
            break;
          }
        }
        m.put(key, round(Math.min(1.0, gramChars * (double) most / totalChars)));
        continue;
      }
      // Characters of the words covered by a repeated n-gram, each word once.
      long dupChars = 0;
      int coveredTo = 0;
      for (int i = 0; i < grams; i++) {
        if (st.counts.get(keys[i]) > 1) {
          for (int j = Math.max(i, coveredTo); j < i + size; j++) {
            dupChars += len[j];
          }
          coveredTo = i + size;
        }
      }
      m.put(key, round(dupChars / (double) totalChars));
    }
    return m;
  }

  /** Duplicate lines (or paragraphs) by count and by characters. */
  private static void blocks(String text, boolean paragraphs, State st, Map<String, Object> m) {
    st.counts.clear();
    int blocks = 0;
    int dup = 0;
    long chars = 0;
    long dupChars = 0;
    int i = 0;
    int n = text.length();
    while (i < n) {
      int end;
      int next;
      if (paragraphs) {
        end = text.indexOf("\n\n", i);
        if (end < 0) {
          end = n;
          next = n;
        } else {
          next = end + 2;
          while (next < n && text.charAt(next) == '\n') {
            next++;
          }
        }
      } else {
        end = text.indexOf('\n', i);
        if (end < 0) {
          end = n;
        }
        next = end + 1;
      }
      int s = i;
      int e = end;
      while (s < e && Character.isWhitespace(text.charAt(s))) {
        s++;
      }
      while (e > s && Character.isWhitespace(text.charAt(e - 1))) {
        e--;
      }
      if (e > s) {
        long h = 17;
        for (int k = s; k < e; k++) {
          h = h * 1_000_003L + text.charAt(k);
        }
        blocks++;
        chars += e - s;
        if (st.counts.add(Words.mix(h), 1) > 1) {
          dup++;
          dupChars += e - s;
        }
      }
      i = next;
    }
    if (blocks < MIN_LINES) {
      return;
    }
    m.put(
        paragraphs ? "duplicate_paragraph_fraction" : "duplicate_line_fraction",
        round(dup / (double) blocks));
    if (!paragraphs) {
      m.put("duplicate_line_char_fraction", round(dupChars / (double) chars));
    }
  }

  private static double round(double v) {
    return Math.round(v * 1000) / 1000.0;
  }

  private static final class State {
    final LongIntMap counts = new LongIntMap(512);
    long[] acc = new long[512];
    long[] keys = new long[512];
  }
}
