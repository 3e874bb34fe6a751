package io.sygra.core.run;

import io.sygra.core.SygraException;

/**
 * An input record could not be read. Names the source, the location ({@code file:line} or an array
 * index) and the cause. {@link #recoverable()} tells whether the reader can go on to the next
 * record, which lets the run skip the bad one and record it when {@link
 * RunOptions.BadRecordPolicy#SKIP_AND_RECORD} is chosen.
 */
public final class SourceException extends SygraException {
  private static final long serialVersionUID = 1L;

  private final String location;
  private final boolean recoverable;

  /**
   * A problem reading a source at {@code location} (file and line); {@code recoverable} when only
   * this record is bad and reading can go on (skip-and-record).
   */
  public SourceException(String location, String message, boolean recoverable, Throwable cause) {
    super(location + ": " + message, cause);
    this.location = location;
    this.recoverable = recoverable;
  }

  /** The same, without a cause. */
  public SourceException(String location, String message, boolean recoverable) {
    this(location, message, recoverable, null);
  }

  /** Where the bad input is: {@code path:line}, {@code path[index]} or a source description. */
  public String location() {
    return location;
  }

  /** True when reading can continue with the next record. */
  public boolean recoverable() {
    return recoverable;
  }
}
