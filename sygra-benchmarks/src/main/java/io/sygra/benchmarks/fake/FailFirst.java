package io.sygra.benchmarks.fake;

import java.util.Objects;
import java.util.Set;

/**
 * Deterministic failures: the first {@code attempts} requests for a record get {@code fault}, later
 * ones are served normally (unless a random fault hits them). Records are identified by the record
 * key (see {@link FakeLlmServer.Builder#recordHeader(String)}).
 *
 * @param attempts how many attempts per record fail; at least 1
 * @param fault what the failing attempts get
 * @param recordKeys the records this applies to; empty means every record
 */
public record FailFirst(int attempts, Fault fault, Set<String> recordKeys) {

  /** Validates and copies. */
  public FailFirst {
    Validation.atLeast("attempts", attempts, 1);
    Objects.requireNonNull(fault, "fault");
    recordKeys = Set.copyOf(recordKeys);
  }

  /** Whether the {@code attempt}-th request (1-based) for {@code recordKey} must fail. */
  boolean applies(String recordKey, long attempt) {
    return attempt <= attempts && (recordKeys.isEmpty() || recordKeys.contains(recordKey));
  }
}
