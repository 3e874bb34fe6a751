package io.sygra.samples;

import java.util.List;

/**
 * Scores questions derived from a context: higher is better. The AugCon sample ranks each chunk's
 * questions by score before its diversity filter and quota. Implementations are thread-safe.
 */
public interface QuestionScorer {

  /** Scores of {@code questions}, in order, each derived from the context at the same index. */
  List<Double> score(List<String> contexts, List<String> questions);

  /** A short name recorded in each output record's provenance. */
  String name();
}
