package io.sygra.schema;

import io.sygra.core.ConfigurationException;
import java.util.Locale;

/**
 * Which pairs are formed from the ranked assistant replies of one prompter message, sorted by rank
 * (ties by {@code message_id}, the lower id counting as better).
 */
public enum DpoPairs {
  /** One pair: the first against the last. The default. */
  BEST_VS_WORST("best-vs-worst"),
  /** The first against each of the others. */
  BEST_VS_REST("best-vs-rest"),
  /** Every pair i &lt; j whose ranks differ (rank_i &lt; rank_j). */
  ALL_PAIRS("all-pairs");

  private final String cliName;

  DpoPairs(String cliName) {
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
  public static DpoPairs parse(String name) {
    for (DpoPairs p : values()) {
      if (p.cliName.equals(name == null ? null : name.toLowerCase(Locale.ROOT))) {
        return p;
      }
    }
    throw new ConfigurationException(
        "dpo-pairs",
        "unknown value '" + name + "'; valid values: best-vs-worst, best-vs-rest, all-pairs");
  }

  @Override
  public String toString() {
    return cliName;
  }
}
