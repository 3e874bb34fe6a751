package io.sygra.core.run;

import java.util.OptionalLong;

/**
 * Where a pipeline's records come from. Sources stream: {@link #open()} returns a reader that holds
 * at most a few records in memory, never the whole input. A source can be opened many times (once
 * per run), each time reading from the beginning in the same order, which resumable runs rely on.
 */
public interface Source {

  /** Opens a new reader positioned at the first record. */
  RecordReader open();

  /** Human-readable description (type and path), recorded in the run manifest. */
  String describe();

  /**
   * True when the source guarantees distinct record ids (e.g. generated records), which lets a run
   * skip remembering every id it has seen to detect duplicates (16 bytes per record).
   */
  default boolean idsAreUnique() {
    return false;
  }

  /** The number of records, when known without reading the input. */
  default OptionalLong size() {
    return OptionalLong.empty();
  }
}
