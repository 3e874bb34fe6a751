package io.sygra.benchmarks.fake;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

/** The immutable settings of one server, assembled by {@link FakeLlmServer.Builder}. */
record ServerConfig(
    int port,
    LatencyModel latency,
    int minTokens,
    int maxTokens,
    List<FaultConfig> faults,
    List<FailFirst> failFirst,
    long seed,
    int maxConcurrency,
    Duration window,
    String recordHeader,
    boolean trackRecords,
    int embeddingDimensions,
    List<String> models,
    Duration streamInterval,
    boolean dead,
    Clock clock) {

  ServerConfig {
    faults = List.copyOf(faults);
    failFirst = List.copyOf(failFirst);
    models = List.copyOf(models);
  }
}
