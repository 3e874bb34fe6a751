package io.sygra.quality;

import io.sygra.core.SygraException;

/**
 * A quality component failed on a record: a tagger threw, an embedding call failed during semantic
 * dedup. Carries the component and the record id. (Judge failures are not exceptions: they are
 * recorded on the record under {@code quality.llm.error}.)
 */
public final class QualityException extends SygraException {
  private static final long serialVersionUID = 1L;

  private final String component;
  private final String recordId;

  public QualityException(String component, String recordId, String message, Throwable cause) {
    super(component + " (record '" + recordId + "'): " + message, cause);
    this.component = component;
    this.recordId = recordId;
  }

  /** The failing component, e.g. {@code tagger shape} or {@code dedup semantic}. */
  public String component() {
    return component;
  }

  /** The record being processed. */
  public String recordId() {
    return recordId;
  }
}
