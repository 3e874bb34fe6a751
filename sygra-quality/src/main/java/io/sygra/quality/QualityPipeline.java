package io.sygra.quality;

import io.sygra.core.ConfigurationException;
import io.sygra.schema.Example;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The quality stages over existing data, in input order: stage 1 ({@link Heuristics}), then {@link
 * Deduplicator dedup} over the stage-1 survivors, then the {@link Judge} over the dedup survivors,
 * whose {@code quality} object is checked against the judge rules. Every record comes out as an
 * {@link Outcome}, in input order, with its {@code quality} object attached to the example's
 * metadata, passed or dropped with reasons.
 *
 * <pre>{@code
 * QualityPipeline p = QualityPipeline.builder()
 *     .heuristics(Heuristics.defaults())
 *     .deduplicator(Deduplicator.builder().exact().near(0.8).build())
 *     .judge(judge)                                    // optional: without it, stage 1 + dedup
 *     .judgeRules(QualityRules.judgeDefaults()
 *         .with(QualityRule.below("llm.low_overall", "llm.overall", 3.5)))
 *     .report(report)
 *     .build();
 * p.run(items.iterator(), outcome -> { if (outcome.passed()) write(outcome.example()); });
 * }</pre>
 *
 * <p>Records are processed in chunks: stage 1 runs on all cores, dedup checks the chunk's survivors
 * one by one in input order (so "keep first" depends only on the input order), and the chunk's
 * judge calls are in flight together. Memory is bounded by the chunk size, except with {@link
 * Deduplicator.Keep#LAST}, which needs the whole input at once (the last copy of a duplicate group
 * can only be known at the end). Not reentrant: run one input at a time.
 */
public final class QualityPipeline implements AutoCloseable {
  private final Heuristics heuristics;
  private final Deduplicator deduplicator;
  private final Deduplicator.Keep keep;
  private final Judge judge;
  private final QualityRules judgeRules;
  private final QualityReport report;
  private final int chunkSize;
  private final ExecutorService executor;

  private QualityPipeline(Builder b) {
    this.heuristics = b.heuristics;
    this.deduplicator = b.deduplicator;
    this.keep = b.keep;
    this.judge = b.judge;
    this.judgeRules = b.judgeRules;
    this.report = b.report;
    this.chunkSize = b.chunkSize;
    AtomicInteger n = new AtomicInteger();
    this.executor =
        Executors.newFixedThreadPool(
            b.threads,
            r -> {
              Thread t = new Thread(r, "sygra-quality-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    if (heuristics != null) {
      report.rules(heuristics.rules());
    }
    if (judge != null) {
      report.rules(judgeRules);
      report.setting("judge", judge.describe());
    }
    if (deduplicator != null) {
      report.setting("dedup", deduplicator.describe() + " keep=" + keep);
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The report fed by this pipeline. */
  public QualityReport report() {
    return report;
  }

  /**
   * One input record.
   *
   * @param id the record's id (named by the duplicates of it)
   * @param example the record
   */
  public record Item(String id, Example example) {
    /** Validates. */
    public Item {
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(example, "example");
    }
  }

  /**
   * What became of one record.
   *
   * @param index 0-based position in the input
   * @param id the record's id
   * @param example the record with its {@code quality} object in the metadata
   * @param quality the {@code quality} object
   * @param droppedAt the stage that dropped it, or null when it passed
   * @param reasons why it was dropped (all failed rules); empty when it passed
   */
  public record Outcome(
      long index,
      String id,
      Example example,
      Map<String, Object> quality,
      QualityReport.Stage droppedAt,
      List<String> reasons) {
    /** True when the record passed every stage. */
    public boolean passed() {
      return droppedAt == null;
    }
  }

  /** Counts of one {@link #run}. */
  public record Summary(
      long read, long passed, long dropped, long judged, Map<String, Long> droppedByStage) {
    /** {@code {"read", "passed", "dropped", "judged", "dropped_by_stage": {...}}}. */
    public Map<String, Object> toMap() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("read", read);
      m.put("passed", passed);
      m.put("dropped", dropped);
      m.put("judged", judged);
      m.put("dropped_by_stage", droppedByStage);
      return m;
    }
  }

  /**
   * Runs every record of {@code input} through the stages and hands each {@link Outcome} to {@code
   * sink}, in input order, from the calling thread.
   *
   * @throws QualityException when a tagger throws or a semantic-dedup embedding call fails (the
   *     records before the failing chunk have been handed to the sink)
   */
  public Summary run(Iterator<Item> input, Consumer<Outcome> sink) {
    Objects.requireNonNull(input, "input");
    Objects.requireNonNull(sink, "sink");
    long[] counts = new long[4]; // read, passed, judged, dropped
    Map<String, Long> byStage = new LinkedHashMap<>();
    for (QualityReport.Stage s : QualityReport.Stage.values()) {
      if ((s == QualityReport.Stage.HEURISTICS && heuristics != null)
          || (s == QualityReport.Stage.DEDUP && deduplicator != null)
          || (s == QualityReport.Stage.JUDGE && judge != null)) {
        byStage.put(s.id(), 0L);
      }
    }
    int size = keep == Deduplicator.Keep.LAST ? Integer.MAX_VALUE : chunkSize;
    long index = 0;
    while (input.hasNext()) {
      List<Item> chunk = new ArrayList<>(Math.min(size, 4096));
      while (input.hasNext() && chunk.size() < size) {
        chunk.add(input.next());
      }
      List<Outcome> outcomes = process(chunk, index);
      index += chunk.size();
      for (Outcome o : outcomes) {
        counts[0]++;
        if (o.passed()) {
          counts[1]++;
        } else {
          counts[3]++;
          byStage.merge(o.droppedAt().id(), 1L, Long::sum);
        }
        if (o.quality().get(Quality.LLM) != null) {
          counts[2]++;
        }
        sink.accept(o);
      }
    }
    return new Summary(counts[0], counts[1], counts[3], counts[2], byStage);
  }

  private final class Rec {
    final Item item;
    final QualitySample sample;
    Map<String, Object> quality;
    QualityReport.Stage droppedAt;
    List<String> reasons = List.of();

    Rec(Item item) {
      this.item = item;
      this.sample = QualitySample.of(item.id(), item.example());
      this.quality = Quality.merge(Quality.of(item.example().metadata()), null, null, List.of());
    }

    boolean alive() {
      return droppedAt == null;
    }
  }

  private List<Outcome> process(List<Item> chunk, long firstIndex) {
    List<Rec> recs = new ArrayList<>(chunk.size());
    // Building samples can fail on malformed state; do it on the pool too.
    List<CompletableFuture<Rec>> built = new ArrayList<>(chunk.size());
    for (Item it : chunk) {
      built.add(
          CompletableFuture.supplyAsync(
              () -> {
                Rec r = new Rec(it);
                if (heuristics != null) {
                  Heuristics.Result h = heuristics.evaluate(r.sample);
                  r.quality = Quality.merge(r.quality, Quality.HEURISTIC, h.tags(), h.reasons());
                  if (!h.passed()) {
                    r.droppedAt = QualityReport.Stage.HEURISTICS;
                    r.reasons = h.reasons();
                  }
                }
                return r;
              },
              executor));
    }
    for (CompletableFuture<Rec> f : built) {
      recs.add(join(f));
    }
    if (heuristics != null) {
      for (Rec r : recs) {
        report.observe(
            QualityReport.Stage.HEURISTICS,
            r.item.id(),
            r.quality,
            r.reasons,
            r.alive() ? null : r.sample.preview(300));
      }
    }
    if (deduplicator != null) {
      List<Rec> alive = new ArrayList<>();
      List<String> ids = new ArrayList<>();
      List<String> texts = new ArrayList<>();
      for (Rec r : recs) {
        if (r.alive()) {
          alive.add(r);
          ids.add(r.item.id());
          texts.add(r.sample.fullText());
        }
      }
      List<Optional<Deduplicator.Duplicate>> dups = deduplicator.checkAll(ids, texts, keep);
      for (int i = 0; i < alive.size(); i++) {
        Rec r = alive.get(i);
        Optional<Deduplicator.Duplicate> d = dups.get(i);
        if (d.isPresent()) {
          r.quality =
              Quality.merge(r.quality, Quality.DEDUP, d.get().toMap(), List.of(d.get().reason()));
          r.droppedAt = QualityReport.Stage.DEDUP;
          r.reasons = List.of(d.get().reason());
        }
        report.observe(
            QualityReport.Stage.DEDUP,
            r.item.id(),
            r.quality,
            r.reasons,
            r.alive() ? null : r.sample.preview(300));
      }
    }
    if (judge != null) {
      List<Rec> alive = new ArrayList<>();
      List<CompletableFuture<Map<String, Object>>> calls = new ArrayList<>();
      for (Rec r : recs) {
        if (r.alive()) {
          alive.add(r);
          calls.add(judge.judge(r.sample, executor));
        }
      }
      for (int i = 0; i < alive.size(); i++) {
        Rec r = alive.get(i);
        Map<String, Object> llm = join(calls.get(i));
        Map<String, Object> withLlm = Quality.merge(r.quality, Quality.LLM, llm, List.of());
        List<String> failures = judgeRules.failures(withLlm);
        r.quality = Quality.merge(withLlm, null, null, failures);
        if (!failures.isEmpty()) {
          r.droppedAt = QualityReport.Stage.JUDGE;
          r.reasons = failures;
        }
        report.observe(
            QualityReport.Stage.JUDGE,
            r.item.id(),
            r.quality,
            r.reasons,
            r.alive() ? null : r.sample.preview(300));
      }
    }
    List<Outcome> out = new ArrayList<>(recs.size());
    for (int i = 0; i < recs.size(); i++) {
      Rec r = recs.get(i);
      Map<String, Object> meta = new LinkedHashMap<>(r.item.example().metadata());
      meta.put(Quality.KEY, r.quality);
      out.add(
          new Outcome(
              firstIndex + i,
              r.item.id(),
              r.item.example().withMetadata(meta),
              r.quality,
              r.droppedAt,
              r.reasons));
    }
    return out;
  }

  private static <T> T join(CompletableFuture<T> f) {
    try {
      return f.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      throw e;
    }
  }

  /** Stops the worker threads. */
  @Override
  public void close() {
    executor.shutdownNow();
  }

  /** Configures a {@link QualityPipeline}; setters validate at once. */
  public static final class Builder {
    private Heuristics heuristics;
    private Deduplicator deduplicator;
    private Deduplicator.Keep keep = Deduplicator.Keep.FIRST;
    private Judge judge;
    private QualityRules judgeRules = QualityRules.judgeDefaults();
    private QualityReport report = QualityReport.create();
    private int chunkSize = 256;
    private int threads = Math.max(1, Runtime.getRuntime().availableProcessors());

    private Builder() {}

    /** Stage 1 (optional). */
    public Builder heuristics(Heuristics heuristics) {
      this.heuristics = heuristics;
      return this;
    }

    /** Dedup (optional). */
    public Builder deduplicator(Deduplicator deduplicator) {
      this.deduplicator = deduplicator;
      return this;
    }

    /** Which copy of duplicates is kept (default first). */
    public Builder keep(Deduplicator.Keep keep) {
      this.keep = Objects.requireNonNull(keep, "keep");
      return this;
    }

    /** Stage 2 (optional). */
    public Builder judge(Judge judge) {
      this.judge = judge;
      return this;
    }

    /**
     * Rules over the judged {@code quality} object (default {@link QualityRules#judgeDefaults()}).
     */
    public Builder judgeRules(QualityRules rules) {
      this.judgeRules = Objects.requireNonNull(rules, "judgeRules");
      return this;
    }

    /** The report to feed (default a new one, see {@link QualityPipeline#report()}). */
    public Builder report(QualityReport report) {
      this.report = Objects.requireNonNull(report, "report");
      return this;
    }

    /** Records per chunk (default 256); a chunk's judge calls are in flight together. */
    public Builder chunkSize(int n) {
      ConfigurationException.check(n >= 1, "chunkSize", "must be >= 1, was " + n);
      this.chunkSize = n;
      return this;
    }

    /** Threads for stage 1 and parsing (default: available processors). */
    public Builder threads(int n) {
      ConfigurationException.check(n >= 1, "threads", "must be >= 1, was " + n);
      this.threads = n;
      return this;
    }

    public QualityPipeline build() {
      ConfigurationException.check(
          heuristics != null || deduplicator != null || judge != null,
          "stages",
          "configure at least one of heuristics, deduplicator, judge");
      return new QualityPipeline(this);
    }
  }
}
