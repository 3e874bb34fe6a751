package io.sygra.schema;

import io.sygra.core.ConfigurationException;
import java.util.Locale;

/** Which root-to-message paths of an OASST tree become SFT conversations. */
public enum SftPaths {
  /**
   * One conversation per kept assistant message that has no kept assistant descendant: the path
   * from the root to that message. The default.
   */
  ALL("all"),
  /**
   * One conversation per tree: from the root, follow the kept child with the lowest rank (null
   * ranks last; ties by {@code created_date}, then {@code message_id}); trailing user messages are
   * dropped, and the path is emitted if it contains an assistant message.
   */
  BEST("best");

  private final String cliName;

  SftPaths(String cliName) {
    this.cliName = cliName;
  }

  /** The command-line name. */
  public String cliName() {
    return cliName;
  }

  /**
   * Parses a command-line name.
   *
   * @throws ConfigurationException listing the valid names
   */
  public static SftPaths parse(String name) {
    for (SftPaths p : values()) {
      if (p.cliName.equals(name == null ? null : name.toLowerCase(Locale.ROOT))) {
        return p;
      }
    }
    throw new ConfigurationException(
        "sft-paths", "unknown value '" + name + "'; valid values: all, best");
  }

  @Override
  public String toString() {
    return cliName;
  }
}
