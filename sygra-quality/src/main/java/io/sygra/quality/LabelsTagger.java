package io.sygra.quality;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Carries the labels that come with a record into its tags ({@code quality.heuristic.labels}):
 * {@code human} (OpenAssistant crowd labels such as {@code quality}, {@code toxicity}, {@code
 * spam}, {@code helpfulness}, {@code lang_mismatch}, {@code pii}, values in [0, 1]) and {@code
 * detoxify} (the export's detoxify scores). Both come from the sample (see {@link QualitySample});
 * absent ones are left out, so rules on them do not fire. Thread-safe.
 */
public final class LabelsTagger implements QualityTagger {
  private LabelsTagger() {}

  public static LabelsTagger create() {
    return new LabelsTagger();
  }

  @Override
  public String name() {
    return "labels";
  }

  @Override
  public Map<String, Object> tag(QualitySample sample) {
    Map<String, Object> m = new LinkedHashMap<>(4);
    if (!sample.labels().isEmpty()) {
      m.put("human", new LinkedHashMap<>(sample.labels()));
    }
    if (!sample.detoxify().isEmpty()) {
      m.put("detoxify", new LinkedHashMap<>(sample.detoxify()));
    }
    return m;
  }
}
