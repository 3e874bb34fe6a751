package io.sygra.spark;

import io.sygra.core.SygraException;
import java.nio.file.Path;

/**
 * A partition attempt could not run: its checkpoint directory could not be locked or opened, its
 * input failed, or its pipeline aborted. Spark retries the task (up to {@code
 * spark.task.maxFailures} attempts); records the failed attempt finished are not run again.
 */
public final class PartitionException extends SygraException {
  private static final long serialVersionUID = 1L;

  private final String task;
  private final String directory;

  /**
   * @param task which attempt, e.g. {@code partition 3/8 attempt 1}
   * @param directory the partition's checkpoint directory
   * @param message what went wrong
   * @param cause the underlying error, or null
   */
  public PartitionException(String task, Path directory, String message, Throwable cause) {
    super(task + " (" + directory + "): " + message, cause);
    this.task = task;
    this.directory = String.valueOf(directory);
  }

  /** Which attempt failed, e.g. {@code partition 3/8 attempt 1}. */
  public String task() {
    return task;
  }

  /** The partition's checkpoint directory. */
  public String directory() {
    return directory;
  }
}
