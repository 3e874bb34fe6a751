package io.sygra.quality;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code quality} object every tagged record carries (a state value, an example's metadata
 * entry, a column of the output):
 *
 * <pre>{@code
 * "quality": {
 *   "heuristic": {"shape": {...}, "language": {...}, ...},   // stage 1 tags
 *   "dedup": {"method": "near", "duplicate_of": "r12", "similarity": 0.93},  // only duplicates
 *   "llm": {"category": "code", "question": {...}, "response": {...}, "overall": 4.2, ...},
 *   "passed": true,
 *   "reasons": []                                             // failed rules, all stages
 * }
 * }</pre>
 *
 * <p>This class holds the key names and the merge helper used by the nodes and the pipeline.
 */
public final class Quality {
  private Quality() {}

  /** The state key and metadata entry: {@code quality}. */
  public static final String KEY = "quality";

  /** Stage-1 tags. */
  public static final String HEURISTIC = "heuristic";

  /** Dedup outcome (present on duplicates). */
  public static final String DEDUP = "dedup";

  /** Stage-2 (judge) tags. */
  public static final String LLM = "llm";

  /** Whether the record passed every rule so far. */
  public static final String PASSED = "passed";

  /** The reasons of the failed rules, all stages. */
  public static final String REASONS = "reasons";

  /**
   * A new {@code quality} object: {@code existing} (may be null) with {@code section} set to {@code
   * value} and {@code newReasons} appended to the reasons; {@code passed} is recomputed as "no
   * reasons".
   */
  public static Map<String, Object> merge(
      Map<String, ?> existing, String section, Object value, List<String> newReasons) {
    Map<String, Object> q = new LinkedHashMap<>();
    if (existing != null) {
      existing.forEach(q::put);
    }
    List<String> reasons = new ArrayList<>();
    if (q.get(REASONS) instanceof List<?> l) {
      l.forEach(r -> reasons.add(String.valueOf(r)));
    }
    for (String r : newReasons) {
      if (!reasons.contains(r)) {
        reasons.add(r);
      }
    }
    if (section != null) {
      q.remove(PASSED);
      q.remove(REASONS);
      q.put(section, value);
    } else {
      q.remove(PASSED);
      q.remove(REASONS);
    }
    q.put(PASSED, reasons.isEmpty());
    q.put(REASONS, reasons);
    return q;
  }

  /** The {@code quality} object of a metadata map or state values, or null when absent. */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> of(Map<String, ?> values) {
    return values.get(KEY) instanceof Map<?, ?> m ? (Map<String, Object>) m : null;
  }
}
