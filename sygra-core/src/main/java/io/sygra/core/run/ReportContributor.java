package io.sygra.core.run;

import java.util.List;
import java.util.Map;

/**
 * A component that adds its own figures to the {@link RunReport} (for example a model client's
 * request, token and cost counts) and may announce notices at the start of a run (for example
 * "output is simulated").
 *
 * <p>The pipeline finds contributors among the graph's nodes (a node that implements this
 * interface, or returns contributors from {@link io.sygra.core.Node}-level wiring) and among those
 * registered with {@link Pipeline.Builder#contributor(ReportContributor)}. The same instance is
 * asked once per run even if several nodes share it.
 */
public interface ReportContributor {

  /**
   * Adds figures to the report's extension sections, e.g. {@code sections.put("models", ...)}.
   * Values must be JSON-compatible. Never put secrets here: the report is written to disk.
   */
  void contribute(Map<String, Object> sections);

  /** One-line notices printed before the run starts, e.g. that model output is simulated. */
  default List<String> notices() {
    return List.of();
  }

  /** Further contributors this one stands for (e.g. the clients behind a node). */
  default List<ReportContributor> children() {
    return List.of();
  }
}
