package io.sygra.quality;

import io.sygra.core.ConfigurationException;
import io.sygra.quality.internal.LongIntMap;
import io.sygra.quality.internal.SampleText;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Lexical diversity of the responses ({@code quality.heuristic.diversity}): {@code words}, {@code
 * ttr} (type-token ratio: distinct words / words) and {@code mtld} (Measure of Textual Lexical
 * Diversity, McCarthy and Jarvis 2010: the mean length of word runs that keep a TTR above 0.72,
 * averaged over a forward and a backward pass). MTLD barely depends on text length, unlike TTR; it
 * is only reported for responses of at least {@link #minWords()} words, where it is stable.
 * Degenerate, repetitive text scores low (below 20); ordinary prose scores 50 to 120.
 *
 * <p>Thread-safe.
 */
public final class LexicalDiversityTagger implements QualityTagger {
  private static final double FACTOR_TTR = 0.72;
  private static final ThreadLocal<State> STATE = ThreadLocal.withInitial(State::new);

  private final int minWords;

  private LexicalDiversityTagger(int minWords) {
    this.minWords = minWords;
  }

  /** A tagger reporting MTLD for responses of at least 50 words. */
  public static LexicalDiversityTagger create() {
    return new LexicalDiversityTagger(50);
  }

  /** A tagger reporting MTLD for responses of at least {@code minWords} words. */
  public static LexicalDiversityTagger withMinWords(int minWords) {
    ConfigurationException.check(minWords >= 1, "minWords", "must be >= 1, was " + minWords);
    return new LexicalDiversityTagger(minWords);
  }

  /** Words a response needs before MTLD is reported. */
  public int minWords() {
    return minWords;
  }

  @Override
  public String name() {
    return "diversity";
  }

  @Override
  public Map<String, Object> tag(QualitySample sample) {
    State st = STATE.get();
    SampleText text = SampleText.of(sample);
    int n = text.words();
    Map<String, Object> m = new LinkedHashMap<>(4);
    m.put("words", n);
    if (n == 0) {
      return m;
    }
    long[] w = text.buffers().hashes;
    st.types.clear();
    for (int i = 0; i < n; i++) {
      st.types.add(w[i], 1);
    }
    m.put("ttr", round(st.types.size() / (double) n));
    if (n >= minWords) {
      double mtld = (pass(w, n, true, st.types) + pass(w, n, false, st.types)) / 2;
      m.put("mtld", round(mtld));
    }
    return m;
  }

  /** One MTLD pass; returns words per factor. */
  static double pass(long[] w, int n, boolean forward, LongIntMap types) {
    types.clear();
    double factors = 0;
    int count = 0;
    double ttr = 1;
    for (int k = 0; k < n; k++) {
      long word = w[forward ? k : n - 1 - k];
      count++;
      types.add(word, 1);
      ttr = types.size() / (double) count;
      if (ttr <= FACTOR_TTR) {
        factors++;
        types.clear();
        count = 0;
        ttr = 1;
      }
    }
    if (count > 0) {
      factors += (1 - ttr) / (1 - FACTOR_TTR);
    }
    return factors == 0 ? n : n / factors;
  }

  private static double round(double v) {
    return Math.round(v * 1000) / 1000.0;
  }

  private static final class State {
    final LongIntMap types = new LongIntMap(256);
  }
}
