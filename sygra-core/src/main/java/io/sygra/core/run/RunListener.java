package io.sygra.core.run;

/**
 * Callbacks for users who build progress UIs or custom metrics. Every method has an empty default.
 * Calls come from many threads concurrently and must return quickly; an exception thrown by a
 * listener is logged and otherwise ignored.
 */
public interface RunListener {

  /** The run is about to start; {@code notices} are the contributors' notices. */
  default void onRunStart(String runDescription, java.util.List<String> notices) {}

  /** A record (or a fan-out child) starts its way through the graph. */
  default void onRecordStart(String recordId) {}

  /** A record ended as written or dropped. */
  default void onRecordComplete(String recordId, Outcome outcome, String detail) {}

  /** A record failed at {@code node}. */
  default void onRecordError(String recordId, String node, Throwable error) {}

  /** A node starts for a record. */
  default void onNodeStart(String recordId, String node) {}

  /** A node finished for a record after {@code nanos} nanoseconds. */
  default void onNodeComplete(String recordId, String node, long nanos) {}

  /** The run ended (normally or not); the report is final. */
  default void onRunComplete(RunReport report) {}

  /** How a record ended. */
  enum Outcome {
    WRITTEN,
    DROPPED,
    FAILED
  }
}
