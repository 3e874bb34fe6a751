package io.sygra.core.run;

import io.sygra.core.internal.JsonValues;
import java.util.Map;
import java.util.Objects;

/**
 * One record read from a {@link Source}: its values, where it came from, and optionally an id the
 * source chose (generated records). Values are frozen (immutable JSON-compatible).
 *
 * @param values the record's fields
 * @param origin where it was read, e.g. {@code data.jsonl:12}; used in error messages
 * @param id an id chosen by the source, or null to let the pipeline derive one
 */
public record SourceRecord(Map<String, Object> values, String origin, String id) {
  public SourceRecord {
    values = JsonValues.freezeMap(Objects.requireNonNull(values, "values"));
    Objects.requireNonNull(origin, "origin");
  }

  /** A record without a source-chosen id. */
  public static SourceRecord of(Map<String, ?> values, String origin) {
    return new SourceRecord(JsonValues.freezeMap(values), origin, null);
  }

  /** This record with other values, same origin and id. */
  public SourceRecord withValues(Map<String, ?> newValues) {
    return new SourceRecord(JsonValues.freezeMap(newValues), origin, id);
  }
}
