package io.sygra.benchmarks.fake;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The server's mutable counters. Confined to the event-loop thread. */
final class StatsRecorder {
  private static final int MAX_WINDOWS = 10_000;

  private final Clock clock;
  private final long windowMillis;
  private final boolean trackRecords;
  private final boolean countAttempts;

  private long requests;
  private long apiRequests;
  private final Map<String, long[]> endpoints = new HashMap<>();
  private final Map<Integer, long[]> statuses = new HashMap<>();
  private final long[] faults = new long[FaultKind.values().length];
  private long promptTokens;
  private long completionTokens;
  private long connectionsAccepted;
  private int openConnections;
  private int maxOpenConnections;
  private int inFlight;
  private int maxInFlight;
  private int queued;
  private int maxQueued;
  private long originMillis;
  private final TreeMap<Long, long[]> windows = new TreeMap<>();
  private long maxRequestsPerWindow;
  private long maxTokensPerWindow;
  private final Map<String, long[]> records = new HashMap<>();

  StatsRecorder(Clock clock, Duration window, boolean trackRecords, boolean countAttempts) {
    this.clock = clock;
    this.windowMillis = window.toMillis();
    this.trackRecords = trackRecords;
    this.countAttempts = trackRecords || countAttempts;
    this.originMillis = clock.millis();
  }

  void connectionOpened() {
    connectionsAccepted++;
    openConnections++;
    maxOpenConnections = Math.max(maxOpenConnections, openConnections);
  }

  void connectionClosed() {
    openConnections--;
  }

  void request(String endpoint) {
    requests++;
    endpoints.computeIfAbsent(endpoint, e -> new long[1])[0]++;
  }

  /** Counts an API request in the current window; returns that window's index. */
  long apiRequest() {
    apiRequests++;
    long index = Math.floorDiv(clock.millis() - originMillis, windowMillis);
    long[] window = windows.computeIfAbsent(index, i -> new long[2]);
    window[0]++;
    maxRequestsPerWindow = Math.max(maxRequestsPerWindow, window[0]);
    while (windows.size() > MAX_WINDOWS) {
      windows.pollFirstEntry();
    }
    return index;
  }

  /** Counts a request for {@code recordKey}; returns its attempt number (1-based), or 0. */
  long recordAttempt(String recordKey) {
    if (!countAttempts) {
      return 0;
    }
    return ++records.computeIfAbsent(recordKey, k -> new long[1])[0];
  }

  void tokens(long windowIndex, int prompt, int completion) {
    promptTokens += prompt;
    completionTokens += completion;
    long[] window = windows.get(windowIndex);
    if (window != null) {
      window[1] += prompt + completion;
      maxTokensPerWindow = Math.max(maxTokensPerWindow, window[1]);
    }
  }

  void status(int status) {
    statuses.computeIfAbsent(status, s -> new long[1])[0]++;
  }

  void fault(FaultKind kind) {
    faults[kind.ordinal()]++;
  }

  void slotAcquired() {
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
  }

  void slotReleased() {
    inFlight--;
  }

  void queuedChanged(int delta) {
    queued += delta;
    maxQueued = Math.max(maxQueued, queued);
  }

  int inFlight() {
    return inFlight;
  }

  /** Zeroes every counter; gauges (open connections, in flight, queued) keep their values. */
  void reset() {
    requests = 0;
    apiRequests = 0;
    endpoints.clear();
    statuses.clear();
    java.util.Arrays.fill(faults, 0);
    promptTokens = 0;
    completionTokens = 0;
    connectionsAccepted = 0;
    maxOpenConnections = openConnections;
    maxInFlight = inFlight;
    maxQueued = queued;
    originMillis = clock.millis();
    windows.clear();
    maxRequestsPerWindow = 0;
    maxTokensPerWindow = 0;
    records.clear();
  }

  FakeServerStats snapshot(boolean dead) {
    Map<String, Long> endpointCounts = new HashMap<>();
    endpoints.forEach((k, v) -> endpointCounts.put(k, v[0]));
    Map<Integer, Long> statusCounts = new HashMap<>();
    statuses.forEach((k, v) -> statusCounts.put(k, v[0]));
    Map<FaultKind, Long> faultCounts = new EnumMap<>(FaultKind.class);
    for (FaultKind kind : FaultKind.values()) {
      if (faults[kind.ordinal()] > 0) {
        faultCounts.put(kind, faults[kind.ordinal()]);
      }
    }
    List<FakeServerStats.WindowCount> windowCounts = new ArrayList<>(windows.size());
    windows.forEach(
        (index, w) ->
            windowCounts.add(
                new FakeServerStats.WindowCount(
                    index, originMillis + index * windowMillis, w[0], w[1])));
    Map<String, Long> recordCounts = new HashMap<>();
    if (trackRecords) {
      records.forEach((k, v) -> recordCounts.put(k, v[0]));
    }
    return new FakeServerStats(
        requests,
        apiRequests,
        endpointCounts,
        statusCounts,
        faultCounts,
        promptTokens,
        completionTokens,
        connectionsAccepted,
        openConnections,
        maxOpenConnections,
        inFlight,
        maxInFlight,
        queued,
        maxQueued,
        Duration.ofMillis(windowMillis),
        windowCounts,
        maxRequestsPerWindow,
        maxTokensPerWindow,
        recordCounts,
        dead);
  }
}
