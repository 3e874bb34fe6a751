package io.sygra.benchmarks.fake;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * An immutable, consistent snapshot of the fake server's counters (taken on its event loop).
 *
 * <p>Counted requests are all requests except {@code GET /stats} and {@code /admin/*}. API requests
 * are {@code /v1/chat/completions} and {@code /v1/embeddings}; only they are subject to faults and
 * latency and counted per window and per record. Tokens are those reported in the {@code usage} of
 * replies that carry a body (normal, late, slow and malformed replies), attributed to the window in
 * which the request arrived.
 *
 * @param requests counted requests since start or the last reset
 * @param apiRequests chat-completion and embedding requests
 * @param endpoints counted requests by {@code "METHOD /path"}
 * @param statuses responses by HTTP status (resets and hangs have none)
 * @param faults injected faults by kind
 * @param promptTokens prompt tokens over all replies with a body
 * @param completionTokens completion tokens over all replies with a body
 * @param connectionsAccepted connections accepted
 * @param openConnections connections open at the time of the snapshot
 * @param maxOpenConnections the most connections open at once
 * @param inFlight API requests being served (holding a capacity slot)
 * @param maxInFlight the most API requests served at once
 * @param queued API requests waiting for a capacity slot
 * @param maxQueued the most API requests waiting at once
 * @param window the length of a counting window
 * @param windows the non-empty windows, oldest first (at most the latest 10,000)
 * @param maxRequestsPerWindow the most API requests that arrived within one window
 * @param maxTokensPerWindow the most tokens attributed to one window
 * @param recordRequests API requests per record key (empty when record tracking is off)
 * @param dead whether the server currently answers everything with HTTP 500
 */
public record FakeServerStats(
    long requests,
    long apiRequests,
    Map<String, Long> endpoints,
    Map<Integer, Long> statuses,
    Map<FaultKind, Long> faults,
    long promptTokens,
    long completionTokens,
    long connectionsAccepted,
    int openConnections,
    int maxOpenConnections,
    int inFlight,
    int maxInFlight,
    int queued,
    int maxQueued,
    Duration window,
    List<WindowCount> windows,
    long maxRequestsPerWindow,
    long maxTokensPerWindow,
    Map<String, Long> recordRequests,
    boolean dead) {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  /**
   * The API requests and tokens of one counting window.
   *
   * @param index the window number, counted from server start or the last reset
   * @param startEpochMillis when the window began, by the server's clock
   * @param requests API requests that arrived in the window
   * @param tokens tokens of the replies to those requests
   */
  public record WindowCount(long index, long startEpochMillis, long requests, long tokens) {}

  /** Copies the collections. */
  public FakeServerStats {
    endpoints = Map.copyOf(endpoints);
    statuses = Map.copyOf(statuses);
    faults = Map.copyOf(faults);
    Objects.requireNonNull(window, "window");
    windows = List.copyOf(windows);
    recordRequests = Map.copyOf(recordRequests);
  }

  /** Responses sent with {@code status}. */
  public long statusCount(int status) {
    return statuses.getOrDefault(status, 0L);
  }

  /** Faults of {@code kind} injected. */
  public long faultCount(FaultKind kind) {
    return faults.getOrDefault(kind, 0L);
  }

  /** Total of all injected faults. */
  public long totalFaults() {
    return faults.values().stream().mapToLong(Long::longValue).sum();
  }

  /** API requests seen for {@code recordKey}. */
  public long requestsFor(String recordKey) {
    return recordRequests.getOrDefault(recordKey, 0L);
  }

  /** The records that were requested more than once, with their request counts. */
  public Map<String, Long> recordsRequestedMoreThanOnce() {
    Map<String, Long> repeated = new TreeMap<>();
    recordRequests.forEach(
        (key, count) -> {
          if (count > 1) {
            repeated.put(key, count);
          }
        });
    return repeated;
  }

  /** Prompt plus completion tokens. */
  public long totalTokens() {
    return promptTokens + completionTokens;
  }

  /**
   * This snapshot as the JSON document served by {@code GET /stats}.
   *
   * @param includeRecords whether to include the per-record counts (which can be large)
   */
  public String toJson(boolean includeRecords) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("requests", requests);
    json.put("api_requests", apiRequests);
    json.put("endpoints", new TreeMap<>(endpoints));
    Map<String, Long> byStatus = new TreeMap<>();
    statuses.forEach((status, count) -> byStatus.put(Integer.toString(status), count));
    json.put("statuses", byStatus);
    Map<String, Long> byFault = new LinkedHashMap<>();
    for (FaultKind kind : FaultKind.values()) {
      if (faults.containsKey(kind)) {
        byFault.put(kind.name().toLowerCase(Locale.ROOT), faults.get(kind));
      }
    }
    json.put("faults", byFault);
    json.put("prompt_tokens", promptTokens);
    json.put("completion_tokens", completionTokens);
    json.put("connections_accepted", connectionsAccepted);
    json.put("open_connections", openConnections);
    json.put("max_open_connections", maxOpenConnections);
    json.put("in_flight", inFlight);
    json.put("max_in_flight", maxInFlight);
    json.put("queued", queued);
    json.put("max_queued", maxQueued);
    json.put("window_ms", window.toMillis());
    json.put(
        "windows",
        windows.stream()
            .map(
                w -> {
                  Map<String, Long> window = new LinkedHashMap<>();
                  window.put("index", w.index());
                  window.put("start_ms", w.startEpochMillis());
                  window.put("requests", w.requests());
                  window.put("tokens", w.tokens());
                  return window;
                })
            .toList());
    json.put("max_requests_per_window", maxRequestsPerWindow);
    json.put("max_tokens_per_window", maxTokensPerWindow);
    json.put("records", recordRequests.size());
    json.put("records_requested_more_than_once", recordsRequestedMoreThanOnce().size());
    if (includeRecords) {
      json.put("record_requests", new TreeMap<>(recordRequests));
    }
    json.put("dead", dead);
    try {
      return MAPPER.writeValueAsString(json);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise stats", e);
    }
  }
}
