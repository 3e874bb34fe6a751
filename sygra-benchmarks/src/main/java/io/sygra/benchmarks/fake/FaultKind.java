package io.sygra.benchmarks.fake;

/** The categories of injected faults, as counted in {@link FakeServerStats#faults()}. */
public enum FaultKind {
  /** HTTP 429 with {@code Retry-After} and {@code retry-after-ms}, sent without any latency. */
  RATE_LIMITED,
  /** An HTTP 5xx error with an OpenAI-style error body, sent after the configured latency. */
  SERVER_ERROR,
  /** The request is accepted and answered never, or only after a very long delay. */
  TIMEOUT,
  /** The connection is reset (TCP RST via {@code SO_LINGER 0}) right after the request is read. */
  CONNECTION_RESET,
  /** A 200 response whose JSON body (or SSE event) is truncated. */
  MALFORMED_JSON,
  /** Headers are sent after the latency, then the body follows in slow pieces. */
  SLOW_BODY
}
