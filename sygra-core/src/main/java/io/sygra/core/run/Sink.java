package io.sygra.core.run;

import java.util.Map;

/**
 * Where output records go when a pipeline runs without a run directory, and the target of exports
 * after a run. The pipeline calls a sink from one thread only, in completion order, so
 * implementations need not be thread-safe.
 */
public interface Sink extends AutoCloseable {

  /** Writes one output record (JSON-compatible values). */
  void write(Map<String, Object> record);

  /** Pushes buffered records to durable storage. */
  default void flush() {}

  /** Flushes and releases resources; called once. */
  @Override
  void close();

  /** Human-readable description for logs. */
  default String describe() {
    return getClass().getSimpleName();
  }
}
