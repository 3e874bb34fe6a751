package io.sygra.quality.internal;

import io.sygra.quality.QualitySample;

/**
 * Per-thread memo of the response text and its word hashes for the sample being tagged, so the
 * diversity and repetition taggers, which run one after the other on the same thread, split the
 * text once. Keyed by identity: a new sample object recomputes.
 */
public final class SampleText {
  private static final ThreadLocal<SampleText> CURRENT = ThreadLocal.withInitial(SampleText::new);

  private QualitySample sample;
  private String responseText;
  private int words = -1;
  private final Words.Buffers buffers = new Words.Buffers();

  private SampleText() {}

  /** The memo for {@code sample} on this thread. */
  public static SampleText of(QualitySample sample) {
    SampleText t = CURRENT.get();
    if (t.sample != sample) {
      t.sample = sample;
      t.responseText = sample.responseText();
      t.words = -1;
    }
    return t;
  }

  /** {@link QualitySample#responseText()}. */
  public String responseText() {
    return responseText;
  }

  /** The number of words of the response text; their hashes and lengths are in {@link #buffers}. */
  public int words() {
    if (words < 0) {
      words = Words.hashes(responseText, buffers);
    }
    return words;
  }

  /** Word hashes and lengths filled by {@link #words()}; read-only for callers. */
  public Words.Buffers buffers() {
    words();
    return buffers;
  }
}
