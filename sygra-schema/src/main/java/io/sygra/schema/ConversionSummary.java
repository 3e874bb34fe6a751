package io.sygra.schema;

import io.sygra.schema.internal.Json;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What a conversion did. Counts reconcile: every input record was either converted (possibly into
 * several or no output records, for OASST trees) or rejected with a reason.
 *
 * @param from the input format
 * @param to the output format
 * @param read input records read (JSONL lines or JSON-array elements, blank lines excluded)
 * @param written output records (lines) written
 * @param rejected records rejected: input records that could not be read, and examples that failed
 *     validation or could not be represented in the output format
 * @param oasst tree counts for OASST input; {@code null} for other formats
 * @param elapsed wall-clock time of the conversion
 */
public record ConversionSummary(
    Format from,
    Format to,
    long read,
    long written,
    long rejected,
    OasstCounts oasst,
    Duration elapsed) {

  /**
   * Counts of an OASST conversion.
   *
   * @param trees trees read (a group of messages sharing a tree, rooted or not)
   * @param messages distinct messages (duplicates merged)
   * @param orphans messages whose parent is absent from the input
   * @param excluded messages not kept: deleted, failed review, filtered out, orphans, and all their
   *     descendants ({@code messages = kept + excluded})
   * @param kept messages kept
   * @param grouping how trees were grouped: {@code "streaming"}, or {@code "in-memory"} with the
   *     reason the input could not be streamed
   */
  public record OasstCounts(
      long trees, long messages, long orphans, long excluded, long kept, String grouping) {
    /** Validates the fields. */
    public OasstCounts {
      Objects.requireNonNull(grouping, "grouping");
    }
  }

  /** Validates the fields. */
  public ConversionSummary {
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    Objects.requireNonNull(elapsed, "elapsed");
  }

  /**
   * The one-line JSON form printed by {@code sygra convert}: {@code read}, {@code written}, {@code
   * rejected}, then for OASST {@code trees}, {@code messages}, {@code orphans}, {@code excluded},
   * {@code kept} and {@code grouping}, then {@code from}, {@code to} and {@code elapsed_ms}.
   */
  public String toJson() {
    return Json.write(toMap());
  }

  /** The fields of {@link #toJson()} as an ordered map. */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("read", read);
    m.put("written", written);
    m.put("rejected", rejected);
    if (oasst != null) {
      m.put("trees", oasst.trees());
      m.put("messages", oasst.messages());
      m.put("orphans", oasst.orphans());
      m.put("excluded", oasst.excluded());
      m.put("kept", oasst.kept());
      m.put("grouping", oasst.grouping());
    }
    m.put("from", from.cliName());
    m.put("to", to.cliName());
    m.put("elapsed_ms", elapsed.toMillis());
    return m;
  }
}
