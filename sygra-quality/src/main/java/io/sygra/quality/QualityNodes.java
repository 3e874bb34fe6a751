package io.sygra.quality;

import io.sygra.core.Node;
import io.sygra.core.NodeContext;
import io.sygra.core.NodeResult;
import io.sygra.core.State;
import io.sygra.core.run.ReportContributor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * Graph nodes for the quality stages, so a generation graph can tag and gate its own output, and a
 * graph over existing data can run the same stages. Every node reads the record as a {@link
 * QualitySample} (SFT {@code messages}, or {@code prompt} with {@code chosen}/{@code rejected} or
 * {@code completion}; see {@link QualitySample#fromState}) and writes the {@code quality} state
 * value (see {@link Quality}).
 *
 * <pre>{@code
 * QualityReport report = QualityReport.create();
 * Graph g = Graph.builder()
 *     .node("generate", generator)
 *     .node("heuristics", QualityNodes.heuristics(Heuristics.defaults(), report))
 *     .node("dedup", QualityNodes.dedup(Deduplicator.builder().exact().near().build(), report))
 *     .node("judge", QualityNodes.judge(judge, report))
 *     .node("gate", QualityNodes.gate(QualityRules.judgeDefaults()
 *         .with(QualityRule.below("llm.low_overall", "llm.overall", 3.5)), report))
 *     .chain(Graph.START, "generate", "heuristics", "dedup", "judge", "gate", Graph.END)
 *     .build();
 * }</pre>
 *
 * <p>Drop reasons name the stage and the failed rules ({@code heuristics: shape.truncated,
 * pii.email}), or the duplicate ({@code dedup.near: duplicate of r12 (similarity 0.913)}). Nodes
 * given a {@link QualityReport} feed its funnel, and stand for it (and for the judge's model
 * client) as {@link ReportContributor}s, so a pipeline run's {@code report.json} gets a {@code
 * quality} section and the simulated-model notice is printed. All nodes are thread-safe.
 */
public final class QualityNodes {
  private QualityNodes() {}

  /** Stage 1: tags the record and drops it when a rule fails. */
  public static Node heuristics(Heuristics heuristics) {
    return heuristics(heuristics, null, true);
  }

  /** Stage 1 feeding {@code report}; drops failures. */
  public static Node heuristics(Heuristics heuristics, QualityReport report) {
    return heuristics(heuristics, report, true);
  }

  /**
   * Stage 1.
   *
   * @param report the report to feed, or null
   * @param drop true to drop records that fail a rule; false only tags them ({@code quality.passed:
   *     false} with the reasons) and lets them continue, e.g. to a later {@link #gate}
   */
  public static Node heuristics(Heuristics heuristics, QualityReport report, boolean drop) {
    Objects.requireNonNull(heuristics, "heuristics");
    return new QualityNode(
        "quality-heuristics",
        "heuristics " + heuristics.describe() + " drop=" + drop,
        report,
        List.of(),
        (state, ctx) -> {
          QualitySample sample = QualitySample.fromState(state);
          Heuristics.Result r = heuristics.evaluate(sample);
          Map<String, Object> q =
              Quality.merge(Quality.of(state.values()), Quality.HEURISTIC, r.tags(), r.reasons());
          State next = state.with(Quality.KEY, q);
          List<String> dropReasons = drop ? r.reasons() : List.of();
          if (report != null) {
            report.observe(
                QualityReport.Stage.HEURISTICS, state.id(), q, dropReasons, sample.preview(300));
          }
          return CompletableFuture.completedFuture(
              dropReasons.isEmpty()
                  ? NodeResult.of(next)
                  : NodeResult.drop("heuristics: " + String.join(", ", dropReasons)));
        },
        true);
  }

  /** Dedup: drops records that duplicate one seen before (see {@link Deduplicator}). */
  public static Node dedup(Deduplicator deduplicator) {
    return dedup(deduplicator, null);
  }

  /**
   * Dedup feeding {@code report}. "First" is the first record to reach this node, which inside a
   * concurrent run depends on timing; see {@link Deduplicator}.
   */
  public static Node dedup(Deduplicator deduplicator, QualityReport report) {
    Objects.requireNonNull(deduplicator, "deduplicator");
    return new QualityNode(
        "quality-dedup",
        "dedup " + deduplicator.describe(),
        report,
        List.of(),
        (state, ctx) -> {
          QualitySample sample = QualitySample.fromState(state);
          return deduplicator
              .checkAsync(state.id(), sample.fullText(), ctx.executor())
              .thenApply(
                  dup -> {
                    Map<String, Object> existing = Quality.of(state.values());
                    if (dup.isEmpty()) {
                      if (report != null) {
                        report.observe(
                            QualityReport.Stage.DEDUP, state.id(), existing, List.of(), null);
                      }
                      return NodeResult.of(state);
                    }
                    Deduplicator.Duplicate d = dup.get();
                    Map<String, Object> q =
                        Quality.merge(existing, Quality.DEDUP, d.toMap(), List.of(d.reason()));
                    if (report != null) {
                      report.observe(
                          QualityReport.Stage.DEDUP,
                          state.id(),
                          q,
                          List.of(d.reason()),
                          sample.preview(300));
                    }
                    return NodeResult.drop(
                        String.format(
                            java.util.Locale.ROOT,
                            "%s: duplicate of %s (similarity %.3f)",
                            d.reason(),
                            d.duplicateOf(),
                            d.similarity()));
                  });
        },
        false);
  }

  /** Stage 2: judges the record and writes {@code quality.llm}; never drops (use {@link #gate}). */
  public static Node judge(Judge judge) {
    return judge(judge, null);
  }

  /** Stage 2 feeding {@code report}. */
  public static Node judge(Judge judge, QualityReport report) {
    Objects.requireNonNull(judge, "judge");
    List<ReportContributor> extra = new ArrayList<>();
    if (judge.client() instanceof ReportContributor c) {
      extra.add(c);
    }
    return new QualityNode(
        "quality-judge",
        judge.describe(),
        report,
        extra,
        (state, ctx) -> {
          QualitySample sample = QualitySample.fromState(state);
          return judge
              .judge(sample, ctx.executor())
              .thenApply(
                  llm -> {
                    Map<String, Object> q =
                        Quality.merge(Quality.of(state.values()), Quality.LLM, llm, List.of());
                    if (report != null) {
                      report.observe(QualityReport.Stage.JUDGE, state.id(), q, List.of(), null);
                    }
                    return NodeResult.of(state.with(Quality.KEY, q));
                  });
        },
        false);
  }

  /**
   * A gate: applies {@code rules} to the record's {@code quality} object, appends the failures to
   * {@code quality.reasons}, and drops the record when it has any reason (its own failures, or
   * those of an earlier tag-only stage).
   */
  public static Node gate(QualityRules rules) {
    return gate(rules, null);
  }

  /** A gate feeding {@code report}. */
  public static Node gate(QualityRules rules, QualityReport report) {
    Objects.requireNonNull(rules, "rules");
    if (report != null) {
      report.rules(rules);
    }
    return new QualityNode(
        "quality-gate",
        "gate " + rules.describe(),
        report,
        List.of(),
        (state, ctx) -> {
          Map<String, Object> existing = Quality.of(state.values());
          Map<String, Object> base = existing == null ? Map.of() : existing;
          List<String> failures = rules.failures(base);
          Map<String, Object> q = Quality.merge(existing, null, null, failures);
          @SuppressWarnings("unchecked")
          List<String> all = (List<String>) q.get(Quality.REASONS);
          if (report != null) {
            report.observe(QualityReport.Stage.GATE, state.id(), q, all, null);
          }
          return CompletableFuture.completedFuture(
              all.isEmpty()
                  ? NodeResult.of(state.with(Quality.KEY, q))
                  : NodeResult.drop("gate: " + String.join(", ", all)));
        },
        true);
  }

  /** A quality stage as a node. */
  private static final class QualityNode implements Node, ReportContributor {
    interface Body {
      CompletionStage<NodeResult> apply(State state, NodeContext ctx);
    }

    private final String kind;
    private final String fingerprint;
    private final QualityReport report;
    private final List<ReportContributor> children;
    private final Body body;
    private final boolean cpu;

    QualityNode(
        String kind,
        String fingerprint,
        QualityReport report,
        List<ReportContributor> extra,
        Body body,
        boolean cpu) {
      this.kind = kind;
      this.fingerprint = fingerprint;
      this.report = report;
      List<ReportContributor> c = new ArrayList<>(extra);
      if (report != null) {
        c.add(report);
      }
      this.children = List.copyOf(c);
      this.body = body;
      this.cpu = cpu;
    }

    @Override
    public CompletionStage<NodeResult> run(State state, NodeContext context) {
      Function<Void, CompletionStage<NodeResult>> go =
          x -> {
            try {
              return body.apply(state, context);
            } catch (RuntimeException e) {
              return CompletableFuture.failedFuture(e);
            }
          };
      if (!cpu || context.onExecutorThread()) {
        return go.apply(null);
      }
      return CompletableFuture.supplyAsync(() -> null, context.executor())
          .thenCompose(x -> go.apply(null));
    }

    @Override
    public String kind() {
      return kind;
    }

    @Override
    public String fingerprint() {
      return kind + ":" + fingerprint;
    }

    @Override
    public Optional<Set<String>> writes() {
      return Optional.of(Set.of(Quality.KEY));
    }

    @Override
    public void contribute(Map<String, Object> sections) {
      // The report (a child) adds the section; nothing of the node's own.
    }

    @Override
    public List<ReportContributor> children() {
      return children;
    }
  }
}
