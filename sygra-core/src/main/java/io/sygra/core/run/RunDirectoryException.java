package io.sygra.core.run;

import io.sygra.core.SygraException;
import java.nio.file.Path;

/**
 * The run directory cannot be used: it was made by a different graph or options (and {@code force}
 * was not set), it is not writable, or its files are damaged beyond the torn-last-line repair.
 */
public final class RunDirectoryException extends SygraException {
  private static final long serialVersionUID = 1L;

  private final transient Path directory;

  /** A problem with run directory {@code directory}. */
  public RunDirectoryException(Path directory, String message) {
    super("run directory " + directory + ": " + message);
    this.directory = directory;
  }

  /** The same, caused by {@code cause}. */
  public RunDirectoryException(Path directory, String message, Throwable cause) {
    super("run directory " + directory + ": " + message, cause);
    this.directory = directory;
  }

  /** The directory at fault. */
  public Path directory() {
    return directory;
  }
}
