package io.sygra.samples;

import io.sygra.core.run.ReportContributor;
import io.sygra.core.run.RunReport;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Adds a {@code phases} section to a multi-phase sample's main report: the counts of each earlier
 * phase's own run directory, so one {@code report.json} shows the whole recipe and each phase's
 * reconciliation.
 */
final class PhaseReports implements ReportContributor {
  private final Map<String, Object> phases = new LinkedHashMap<>();

  /** Records a finished phase run kept in {@code dir} (relative to the main run directory). */
  PhaseReports add(String name, String dir, RunReport r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("runDirectory", dir);
    m.put("input", r.input());
    m.put("written", r.written());
    m.put("dropped", r.dropped());
    m.put("failed", r.failed());
    m.put("reconciles", r.reconciles());
    m.put("modelRequests", modelRequests(r));
    m.put("dropReasons", r.dropReasons());
    phases.put(name, m);
    return this;
  }

  /** Records a figure of a step that is not a pipeline (e.g. training a scorer). */
  PhaseReports note(String name, Map<String, ?> figures) {
    phases.put(name, new LinkedHashMap<>(figures));
    return this;
  }

  @Override
  public void contribute(Map<String, Object> sections) {
    sections.put("phases", phases);
  }

  @Override
  public List<String> notices() {
    return List.of();
  }

  /** Model requests made by the LLM nodes of a run, from its report's {@code nodes} section. */
  static long modelRequests(RunReport r) {
    long n = 0;
    if (r.extensions().get("nodes") instanceof Map<?, ?> nodes) {
      for (Object v : nodes.values()) {
        if (v instanceof Map<?, ?> m && m.get("requests") instanceof Number k) {
          n += k.longValue();
        }
      }
    }
    return n;
  }
}
