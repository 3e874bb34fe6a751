package io.sygra.quality;

import java.util.Map;

/**
 * A stage-1 heuristic: looks at one {@link QualitySample} and returns JSON-compatible tags
 * (numbers, booleans, strings, lists, maps), stored under {@code quality.heuristic.<name>} on the
 * record. Taggers only measure; {@link QualityRule}s decide pass or fail from the tags.
 *
 * <p>Implementations must be thread-safe and deterministic: the same sample gives the same tags.
 * They should be cheap (microseconds), since they run on every record before any model call.
 */
public interface QualityTagger {

  /** The tagger's name: the key of its tags under {@code quality.heuristic}, e.g. {@code shape}. */
  String name();

  /** Measures {@code sample}. Never null; tags that do not apply are left out. */
  Map<String, Object> tag(QualitySample sample);
}
