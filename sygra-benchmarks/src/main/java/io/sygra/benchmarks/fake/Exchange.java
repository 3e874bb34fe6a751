package io.sygra.benchmarks.fake;

import com.fasterxml.jackson.databind.JsonNode;

/** One request being served on a connection. Loop-confined. */
final class Exchange {
  enum Endpoint {
    CHAT,
    EMBEDDINGS
  }

  final Connection conn;
  final ParsedRequest request;
  final String requestId;

  Endpoint endpoint;
  JsonNode json;
  long bodyHash;
  long window;
  boolean stream;
  boolean includeUsage;
  Fault fault;
  long latencyNanos;

  boolean holdsSlot;
  boolean queued;
  boolean finished;
  boolean cancelled;
  boolean closeAfter;
  EventLoop.Timer timer;

  Exchange(Connection conn, ParsedRequest request, String requestId) {
    this.conn = conn;
    this.request = request;
    this.requestId = requestId;
    this.closeAfter = !request.keepAlive();
  }
}
