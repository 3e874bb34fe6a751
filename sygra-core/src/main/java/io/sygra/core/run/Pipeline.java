package io.sygra.core.run;

import io.sygra.core.ConfigurationException;
import io.sygra.core.Graph;
import io.sygra.core.Node;
import io.sygra.core.State;
import io.sygra.core.SubgraphNode;
import io.sygra.core.SygraException;
import io.sygra.core.internal.Engine;
import io.sygra.core.internal.Json;
import io.sygra.core.internal.JsonValues;
import io.sygra.core.internal.LongHashSet;
import io.sygra.core.internal.Progress;
import io.sygra.core.internal.RunDirectory;
import io.sygra.core.internal.RunWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a {@link Graph} over a {@link Source}: graph + source + output + options → {@link
 * RunReport}.
 *
 * <pre>{@code
 * RunReport report = Pipeline.builder()
 *     .graph(graph)
 *     .source(Sources.jsonl(Path.of("input.jsonl")))
 *     .runDirectory(Path.of("runs/first"))
 *     .options(RunOptions.builder().concurrency(128).build())
 *     .build()
 *     .run();
 * }</pre>
 *
 * <p><b>Run directory</b> (the resumable mode): outcomes are appended to {@code output.jsonl},
 * {@code dropped.jsonl} and {@code failed.jsonl}, fan-outs to a journal, and {@code report.json}
 * and {@code manifest.json} are kept beside them. Running again with the same directory resumes:
 * records already written, dropped or failed are skipped without running any node (failed ones are
 * retried with {@link RunOptions#retryFailed()}), fan-out children continue from their journaled
 * state, and a torn last line left by a crash is cut off. A directory made by a different graph is
 * refused unless {@link RunOptions#force()}.
 *
 * <p><b>Sink</b> mode: outputs go to a {@link Sink}; nothing is persisted for resume.
 *
 * <p>At most {@link RunOptions#concurrency()} records are in flight; the source is read lazily, so
 * memory does not grow with the input. Records are written in completion order. A pipeline is
 * immutable and may be run again (e.g. to resume).
 */
public final class Pipeline {
  private static final Logger LOG = LoggerFactory.getLogger(Pipeline.class);

  private final Graph graph;
  private final Source source;
  private final List<Transform> transforms;
  private final Path runDirectory;
  private final Sink sink;
  private final List<Sink> exports;
  private final OutputMapper outputMapper;
  private final RunOptions options;
  private final List<RunListener> listeners;
  private final Map<Class<?>, Object> services;
  private final List<ReportContributor> extraContributors;

  private Pipeline(Builder b) {
    this.graph = b.graph;
    this.source = b.source;
    this.transforms = List.copyOf(b.transforms);
    this.runDirectory = b.runDirectory;
    this.sink = b.sink;
    this.exports = List.copyOf(b.exports);
    this.outputMapper = b.outputMapper;
    this.options = b.options;
    this.listeners = List.copyOf(b.listeners);
    this.services = Map.copyOf(b.services);
    this.extraContributors = List.copyOf(b.contributors);
  }

  /** A builder; a graph and a source are required, and a run directory or a sink. */
  public static Builder builder() {
    return new Builder();
  }

  /** The graph run over every record. */
  public Graph graph() {
    return graph;
  }

  /** The run options. */
  public RunOptions options() {
    return options;
  }

  /** The run directory, if this pipeline uses one. */
  public Optional<Path> runDirectory() {
    return Optional.ofNullable(runDirectory);
  }

  /** Report contributors found among the graph's nodes plus those registered; deduplicated. */
  public List<ReportContributor> contributors() {
    Map<ReportContributor, Boolean> seen = new IdentityHashMap<>();
    List<ReportContributor> out = new ArrayList<>();
    collect(graph, seen, out);
    for (ReportContributor c : extraContributors) {
      add(c, seen, out);
    }
    for (Object s : services.values()) {
      if (s instanceof ReportContributor c) {
        add(c, seen, out);
      }
    }
    return out;
  }

  private static void collect(
      Graph g, Map<ReportContributor, Boolean> seen, List<ReportContributor> out) {
    for (String n : g.nodeNames()) {
      Node node = g.node(n);
      if (node instanceof SubgraphNode s) {
        collect(s.graph(), seen, out);
      } else if (node instanceof ReportContributor c) {
        add(c, seen, out);
      }
    }
  }

  private static void add(
      ReportContributor c, Map<ReportContributor, Boolean> seen, List<ReportContributor> out) {
    if (seen.put(c, Boolean.TRUE) == null) {
      out.add(c);
      for (ReportContributor child : c.children()) {
        add(child, seen, out);
      }
    }
  }

  /** Notices the contributors want shown before the run (e.g. "output is simulated"). */
  public List<String> notices() {
    List<String> out = new ArrayList<>();
    for (ReportContributor c : contributors()) {
      for (String n : c.notices()) {
        if (!out.contains(n)) {
          out.add(n);
        }
      }
    }
    return out;
  }

  /**
   * Runs the pipeline to completion and returns its report (also saved as {@code report.json} in
   * the run directory).
   *
   * @throws SourceException when the input cannot be read and the policy is fail-fast (the records
   *     already in flight are finished and written first)
   * @throws RunDirectoryException when the run directory cannot be used
   */
  public RunReport run() {
    return new Execution().run();
  }

  private Map<String, Object> manifest() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("formatVersion", 1);
    m.put("createdAt", Instant.now().toString());
    Map<String, Object> g = new LinkedHashMap<>();
    g.put("name", graph.name());
    g.put("fingerprint", graph.fingerprint());
    List<String> nodes = new ArrayList<>();
    graph.nodeNames().forEach(n -> nodes.add(n + ":" + graph.node(n).kind()));
    g.put("nodes", nodes);
    m.put("graph", g);
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("idField", options.idField());
    o.put("stepLimit", graph.stepLimit());
    m.put("options", o);
    m.put("fingerprint", Json.sha256Hex(graph.fingerprint() + "|" + Json.canonical(o), 16));
    m.put("source", source.describe());
    return m;
  }

  /** One invocation of {@link #run()}. */
  private final class Execution implements Engine.Callbacks {
    private final ConcurrentLinkedDeque<Engine.Unit> ready = new ConcurrentLinkedDeque<>();
    private final AtomicInteger active = new AtomicInteger();
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong fanOutAdded = new AtomicLong();
    private final Map<String, LongAdder> dropReasons = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> failureClasses = new ConcurrentHashMap<>();
    private final LongHashSet seenIds =
        source.idsAreUnique() && transforms.isEmpty() ? null : new LongHashSet(1024);
    private final boolean notify = !listeners.isEmpty();
    private long sourceRecords;
    private long skippedDone;
    private long seq;
    private boolean sourceDone;
    private final AtomicInteger wip = new AtomicInteger();
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private RecordReader reader;
    private Executor executor;
    private volatile SygraException abort;
    private RunDirectory dir;
    private RunWriter writer;
    private Engine engine;

    RunReport run() {
      long t0 = System.nanoTime();
      List<ReportContributor> contributors = contributors();
      List<String> notices = notices();
      for (String n : notices) {
        LOG.warn("{}", n);
      }
      for (RunListener l : listeners) {
        safely(() -> l.onRunStart(source.describe(), notices));
      }
      ForkJoinPool owned = null;
      Executor exec = options.executor();
      if (exec == null) {
        owned = newPool();
        exec = owned;
      }
      Thread hook = null;
      Progress progress = null;
      try {
        if (runDirectory != null) {
          dir =
              RunDirectory.open(
                  runDirectory,
                  options.idField(),
                  manifest(),
                  options.force(),
                  options.retryFailed());
          writer = RunWriter.forDirectory(runDirectory, options.checkpointInterval().toNanos());
          if (dir.resumed()) {
            LOG.info(
                "resuming {}: {} written, {} dropped, {} failed already",
                runDirectory,
                dir.written(),
                dir.dropped(),
                dir.failed());
          }
        } else {
          writer = RunWriter.forSink(sink);
        }
        RunWriter w = writer;
        hook = new Thread(w::emergencyFlush, "sygra-shutdown-flush");
        Runtime.getRuntime().addShutdownHook(hook);
        executor = exec;
        engine =
            new Engine(graph, this, exec, t -> Optional.ofNullable(services.get(t)), listeners);
        boolean live =
            options.progress() == RunOptions.ProgressMode.ALWAYS
                || (options.progress() == RunOptions.ProgressMode.AUTO && System.console() != null);
        if (options.progress() != RunOptions.ProgressMode.NEVER) {
          progress =
              new Progress(
                  live,
                  source.size(),
                  () -> written.get() + dropped.get() + failed.get() + skippedDone,
                  failed::get);
        }
        dispatch();
      } finally {
        if (progress != null) {
          progress.close();
        }
        if (writer != null) {
          writer.close();
        }
        if (hook != null) {
          try {
            Runtime.getRuntime().removeShutdownHook(hook);
          } catch (IllegalStateException e) {
            // the JVM is shutting down; the hook runs anyway
          }
        }
        if (dir != null) {
          dir.close();
        }
        if (owned != null) {
          owned.shutdown();
        }
      }
      if (abort == null && runDirectory != null) {
        for (Sink s : exports) {
          export(s);
        }
      }
      RunReport report = report(t0, contributors, notices);
      if (runDirectory != null) {
        try {
          RunDirectory.writeAtomically(runDirectory.resolve(RunDirectory.REPORT), report.toJson());
        } catch (IOException e) {
          throw new UncheckedIOException("writing report.json in " + runDirectory, e);
        }
      }
      LOG.info("{}", report.summary().strip());
      for (RunListener l : listeners) {
        safely(() -> l.onRunComplete(report));
      }
      if (abort != null) {
        throw abort;
      }
      return report;
    }

    private ForkJoinPool newPool() {
      int n = Math.max(2, Runtime.getRuntime().availableProcessors());
      AtomicInteger count = new AtomicInteger();
      return new ForkJoinPool(
          n,
          p -> {
            ForkJoinWorkerThread t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(p);
            t.setName("sygra-worker-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
          },
          (t, e) -> LOG.error("uncaught error on {}", t.getName(), e),
          true);
    }

    /**
     * Reads and starts records until the concurrency window is full. Whichever thread finishes a
     * record refills the window (a serialized drain loop: one filler at a time, and a refill
     * requested while one runs is never lost), so no thread waits on a dispatcher.
     */
    private void fill() {
      if (wip.getAndIncrement() != 0) {
        return;
      }
      do {
        if (abort != null) {
          sourceDone = true;
        }
        while (active.get() < options.concurrency()) {
          Engine.Unit u = ready.poll();
          if (u == null && !sourceDone) {
            try {
              u = pull(reader);
            } catch (RuntimeException e) {
              if (abort == null) {
                abort = new SourceException(source.describe(), "reading failed: " + e, false, e);
              }
              sourceDone = true;
            }
          }
          if (u == null) {
            break;
          }
          active.incrementAndGet();
          if (notify) {
            String id = u.id;
            for (RunListener l : listeners) {
              safely(() -> l.onRecordStart(id));
            }
          }
          engine.start(u);
        }
        if (sourceDone && active.get() == 0 && ready.isEmpty()) {
          done.complete(null);
        }
      } while (wip.decrementAndGet() != 0);
    }

    private void dispatch() {
      reader = openSource();
      try {
        fill();
        done.join();
      } finally {
        reader.close();
      }
    }

    private RecordReader openSource() {
      RecordReader r = source.open();
      for (Transform t : transforms) {
        r = t.apply(r);
      }
      return r;
    }

    /** The next unit to start, or null when the source is exhausted (or aborted). */
    private Engine.Unit pull(RecordReader reader) {
      while (true) {
        if (sourceRecords >= options.limit()) {
          sourceDone = true;
          return null;
        }
        SourceRecord r;
        try {
          if (!reader.hasNext()) {
            sourceDone = true;
            return null;
          }
          r = reader.next();
        } catch (SourceException e) {
          if (!badRecord(e)) {
            return null;
          }
          continue;
        }
        long mySeq = seq++;
        String id;
        try {
          id = idOf(r);
        } catch (SourceException e) {
          seq--;
          if (!badRecord(e)) {
            return null;
          }
          continue;
        }
        sourceRecords++;
        if (seenIds != null && !seenIds.add(LongHashSet.hash(id))) {
          int k = 2;
          while (!seenIds.add(LongHashSet.hash(id + "#" + k))) {
            k++;
          }
          String dupId = id + "#" + k;
          if (dir != null && dir.isDone(dupId)) {
            skippedDone++;
          } else {
            Map<String, Object> line = new LinkedHashMap<>();
            line.put(options.idField(), dupId);
            line.put("node", "source");
            line.put(
                "reason",
                "duplicate id: another input record has id '" + id + "' (" + r.origin() + ")");
            line.put("origin", r.origin());
            dropReasons.computeIfAbsent("duplicate id", x -> new LongAdder()).increment();
            dropped.incrementAndGet();
            append(RunWriter.Kind.DROPPED, line);
          }
          continue;
        }
        if (dir != null) {
          if (dir.isDone(id)) {
            skippedDone++;
            continue;
          }
          Map<String, Object> entry = dir.journalEntry(id);
          if (entry != null) {
            List<Engine.Unit> units = fromJournal(entry, mySeq, r.origin());
            if (units.isEmpty()) {
              skippedDone++;
              continue;
            }
            for (int i = units.size() - 1; i >= 1; i--) {
              ready.addFirst(units.get(i));
            }
            return units.get(0);
          }
        }
        State s;
        try {
          s = State.of(id, r.values());
        } catch (SygraException e) {
          recordSourceFailure(new SourceException(r.origin(), e.getMessage(), true, e), id);
          continue;
        }
        return engine.newUnit(id, mySeq, r.origin(), s);
      }
    }

    @SuppressWarnings("unchecked")
    private List<Engine.Unit> fromJournal(Map<String, Object> entry, long mySeq, String origin) {
      List<Engine.Unit> out = new ArrayList<>();
      List<String> at = (List<String>) entry.get("at");
      int steps = ((Number) entry.get("steps")).intValue();
      for (Object o : (List<Object>) entry.get("children")) {
        Map<String, Object> child = (Map<String, Object>) o;
        String cid = (String) child.get("id");
        if (dir.isDone(cid)) {
          continue;
        }
        Map<String, Object> nested = dir.journalEntry(cid);
        if (nested != null) {
          out.addAll(fromJournal(nested, mySeq, origin));
          continue;
        }
        State st = State.of(cid, (Map<String, Object>) child.get("values"));
        try {
          out.add(engine.resumedUnit(cid, mySeq, origin, st, at, steps));
        } catch (IllegalArgumentException e) {
          throw new RunDirectoryException(runDirectory, e.getMessage() + " (record " + cid + ")");
        }
      }
      return out;
    }

    /** Handles an unreadable record; false when reading must stop. */
    private boolean badRecord(SourceException e) {
      if (!e.recoverable() || options.badRecordPolicy() == RunOptions.BadRecordPolicy.FAIL_FAST) {
        abort = e;
        sourceDone = true;
        LOG.error("stopping: {}", e.getMessage());
        return false;
      }
      sourceRecords++;
      seq++;
      recordSourceFailure(e, "source:" + e.location());
      return true;
    }

    private void recordSourceFailure(SourceException e, String id) {
      if (dir != null && dir.isDone(id)) {
        skippedDone++;
        return;
      }
      LOG.warn("skipping bad input: {}", e.getMessage());
      Map<String, Object> line = new LinkedHashMap<>();
      line.put(options.idField(), id);
      line.put("node", "source");
      line.put("error", e.getClass().getSimpleName());
      line.put("message", e.getMessage());
      line.put("attempts", 1);
      line.put("origin", e.location());
      failureClasses
          .computeIfAbsent(e.getClass().getSimpleName(), x -> new LongAdder())
          .increment();
      failed.incrementAndGet();
      append(RunWriter.Kind.FAILED, line);
    }

    private String idOf(SourceRecord r) {
      Object v = r.values().get(options.idField());
      if (v != null) {
        if (v instanceof String s) {
          if (s.isEmpty()) {
            throw new SourceException(
                r.origin(), "field '" + options.idField() + "' (the record id) is empty", true);
          }
          return s;
        }
        if (v instanceof Number || v instanceof Boolean) {
          return v.toString();
        }
        throw new SourceException(
            r.origin(),
            "field '"
                + options.idField()
                + "' (the record id) must be a string or a number, found "
                + JsonValues.typeName(v),
            true);
      }
      if (r.id() != null) {
        return r.id();
      }
      return Json.hash(r.values(), 12);
    }

    // ---- outcomes (any thread) ----

    @Override
    public void written(Engine.Unit u) {
      Map<String, Object> mapped;
      try {
        mapped = outputMapper.map(u.state);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put(options.idField(), u.id);
        for (Map.Entry<String, Object> e : mapped.entrySet()) {
          if (!e.getKey().equals(options.idField())) {
            out.put(e.getKey(), e.getValue());
          }
        }
        if (writer.sinkMode()) {
          try {
            writer.appendRecord(JsonValues.freezeMap(out));
          } catch (UncheckedIOException e) {
            throw new WriterFailure(e);
          }
        } else {
          byte[] bytes = Json.MAPPER.writeValueAsBytes(out);
          try {
            writer.append(RunWriter.Kind.OUTPUT, bytes);
          } catch (RuntimeException e) {
            throw new WriterFailure(e);
          }
        }
      } catch (WriterFailure e) {
        fatal(u, e);
        return;
      } catch (RuntimeException | IOException e) {
        failed(u, "output", new SygraException("output mapping failed: " + e.getMessage(), e));
        return;
      }
      written.incrementAndGet();
      if (notify) {
        for (RunListener l : listeners) {
          safely(() -> l.onRecordComplete(u.id, RunListener.Outcome.WRITTEN, null));
        }
      }
      finish();
    }

    /** The run's files cannot be written: stop reading, finish what is in flight, abort. */
    private void fatal(Engine.Unit u, RuntimeException e) {
      if (abort == null) {
        abort = new SygraException("writing the run's outcomes failed: " + e.getMessage(), e);
      }
      LOG.error("record {} could not be recorded; aborting the run", u.id, e);
      finish();
    }

    @Override
    public void dropped(Engine.Unit u, String node, String reason) {
      Map<String, Object> line = new LinkedHashMap<>();
      line.put(options.idField(), u.id);
      line.put("node", node);
      line.put("reason", reason);
      dropReasons.computeIfAbsent(reason, x -> new LongAdder()).increment();
      dropped.incrementAndGet();
      try {
        append(RunWriter.Kind.DROPPED, line);
      } catch (WriterFailure e) {
        fatal(u, e);
        return;
      }
      if (notify) {
        for (RunListener l : listeners) {
          safely(() -> l.onRecordComplete(u.id, RunListener.Outcome.DROPPED, reason));
        }
      }
      finish();
    }

    @Override
    public void failed(Engine.Unit u, String node, Throwable error) {
      Map<String, Object> line = new LinkedHashMap<>();
      line.put(options.idField(), u.id);
      line.put("node", node);
      line.put("error", error.getClass().getSimpleName());
      line.put("message", String.valueOf(error.getMessage()));
      line.put("attempts", error instanceof SygraException se ? se.attempts() : 1);
      line.put("step", u.steps());
      line.put("origin", u.origin);
      line.put("state", u.state.values());
      failureClasses
          .computeIfAbsent(error.getClass().getSimpleName(), x -> new LongAdder())
          .increment();
      failed.incrementAndGet();
      LOG.debug("record {} failed at {}", u.id, node, error);
      try {
        try {
          append(RunWriter.Kind.FAILED, line);
        } catch (WriterFailure e) {
          throw e;
        } catch (RuntimeException e) {
          line.remove("state"); // a state that cannot be serialized must not lose the failure
          append(RunWriter.Kind.FAILED, line);
        }
      } catch (WriterFailure e) {
        fatal(u, e);
        return;
      }
      if (notify) {
        for (RunListener l : listeners) {
          safely(() -> l.onRecordError(u.id, node, error));
        }
      }
      finish();
    }

    @Override
    public void fannedOut(Engine.Unit u, List<String> path, List<Engine.Unit> children) {
      if (dir != null) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("parent", u.id);
        line.put("n", children.size());
        line.put("at", path);
        line.put("steps", u.steps());
        List<Object> cs = new ArrayList<>(children.size());
        for (Engine.Unit c : children) {
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("id", c.id);
          m.put("values", c.state.values());
          cs.add(m);
        }
        line.put("children", cs);
        try {
          append(RunWriter.Kind.JOURNAL, line);
        } catch (WriterFailure e) {
          fatal(u, e);
          return;
        }
      }
      fanOutAdded.addAndGet(children.size() - 1L);
      for (int i = children.size() - 1; i >= 0; i--) {
        Engine.Unit c = children.get(i);
        if (dir != null && dir.isDone(c.id)) {
          continue; // written by an earlier run whose fan-out entry was already journaled
        }
        ready.addFirst(c);
      }
      finish();
    }

    private void append(RunWriter.Kind kind, Map<String, Object> line) {
      if (writer.sinkMode()) {
        return;
      }
      byte[] bytes;
      try {
        bytes = Json.MAPPER.writeValueAsBytes(line);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      try {
        writer.append(kind, bytes);
      } catch (RuntimeException e) {
        throw new WriterFailure(e);
      }
    }

    private void finish() {
      active.decrementAndGet();
      if (engine.onExecutorThread()) {
        fill();
      } else {
        // Reading the source does blocking I/O: keep it off I/O and timer threads.
        executor.execute(this::fill);
      }
    }

    private void export(Sink s) {
      Path out = runDirectory.resolve(RunDirectory.OUTPUT);
      try (Sink target = s;
          RecordReader r = Sources.jsonl(out).allowEmpty().open()) {
        while (r.hasNext()) {
          target.write(r.next().values());
        }
      }
      LOG.info("exported {} to {}", out, s.describe());
    }

    private RunReport report(long t0, List<ReportContributor> contributors, List<String> notices) {
      long elapsedNanos = System.nanoTime() - t0;
      long w = written.get();
      long d = dropped.get();
      long f = failed.get();
      long baseW = dir == null ? 0 : dir.written();
      long baseD = dir == null ? 0 : dir.dropped();
      long baseF = dir == null ? 0 : dir.failed();
      long baseFan = dir == null ? 0 : dir.fanOutAdded();
      Map<String, RunReport.NodeStats> nodes = new LinkedHashMap<>();
      if (engine != null) {
        engine
            .stats()
            .forEach(
                (name, st) ->
                    nodes.put(
                        name,
                        new RunReport.NodeStats(
                            st.executions.sum(),
                            st.failures.sum(),
                            st.drops.sum(),
                            st.fanOuts.sum(),
                            st.latency.meanMillis(),
                            st.latency.percentileMillis(0.50),
                            st.latency.percentileMillis(0.95),
                            st.latency.percentileMillis(0.99))));
      }
      Map<String, Long> reasons = new LinkedHashMap<>();
      Map<String, Long> failures = new LinkedHashMap<>();
      if (dir != null) {
        reasons.putAll(dir.dropReasons());
        failures.putAll(dir.failureClasses());
      }
      dropReasons.forEach((k, v) -> reasons.merge(k, v.sum(), Long::sum));
      failureClasses.forEach((k, v) -> failures.merge(k, v.sum(), Long::sum));
      Map<String, Object> ext = new LinkedHashMap<>();
      for (ReportContributor c : contributors) {
        try {
          Map<String, Object> sections = new LinkedHashMap<>();
          c.contribute(sections);
          sections.forEach((k, v) -> ext.merge(k, v, Pipeline::mergeSections));
        } catch (RuntimeException e) {
          LOG.warn("report contributor {} failed", c.getClass().getName(), e);
        }
      }
      if (dir != null && !dir.repairs().isEmpty()) {
        ext.put("repairs", dir.repairs());
      }
      double secs = Math.max(1e-9, elapsedNanos / 1e9);
      return new RunReport(
          abort == null ? "completed" : "aborted",
          sourceRecords + baseFan + fanOutAdded.get(),
          baseW + w,
          baseD + d,
          baseF + f,
          sourceRecords,
          baseFan + fanOutAdded.get(),
          skippedDone,
          w,
          d,
          f,
          elapsedNanos / 1_000_000,
          (w + d + f) / secs,
          nodes,
          reasons,
          failures,
          ext,
          notices,
          abort == null ? null : abort.getMessage());
    }
  }

  /** The run writer refused an outcome (its thread died, e.g. disk full). */
  private static final class WriterFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    WriterFailure(RuntimeException cause) {
      super(cause.getMessage(), cause);
    }
  }

  @SuppressWarnings("unchecked")
  private static Object mergeSections(Object a, Object b) {
    if (a instanceof Map<?, ?> ma && b instanceof Map<?, ?> mb) {
      Map<String, Object> m = new LinkedHashMap<>((Map<String, Object>) ma);
      ((Map<String, Object>) mb).forEach((k, v) -> m.merge(k, v, Pipeline::mergeSections));
      return m;
    }
    return b;
  }

  private static void safely(Runnable r) {
    try {
      r.run();
    } catch (RuntimeException e) {
      LOG.warn("run listener failed", e);
    }
  }

  /** Builds a {@link Pipeline}. Not thread-safe. */
  public static final class Builder {
    private Graph graph;
    private Source source;
    private final List<Transform> transforms = new ArrayList<>();
    private Path runDirectory;
    private Sink sink;
    private final List<Sink> exports = new ArrayList<>();
    private OutputMapper outputMapper = OutputMapper.identity();
    private RunOptions options = RunOptions.defaults();
    private final List<RunListener> listeners = new ArrayList<>();
    private final Map<Class<?>, Object> services = new LinkedHashMap<>();
    private final List<ReportContributor> contributors = new ArrayList<>();

    private Builder() {}

    /** The graph to run over every record (required). */
    public Builder graph(Graph graph) {
      this.graph = Objects.requireNonNull(graph, "graph");
      return this;
    }

    /** Where records come from (required); see {@link Sources}. */
    public Builder source(Source source) {
      this.source = Objects.requireNonNull(source, "source");
      return this;
    }

    /** Adds a transform between the source and the graph (applied in the order added). */
    public Builder transform(Transform transform) {
      transforms.add(Objects.requireNonNull(transform, "transform"));
      return this;
    }

    /** Uses a run directory (resumable; see the class comment). */
    public Builder runDirectory(Path dir) {
      this.runDirectory = Objects.requireNonNull(dir, "runDirectory");
      return this;
    }

    /** Writes outputs to {@code sink} instead of a run directory (not resumable). */
    public Builder sink(Sink sink) {
      this.sink = Objects.requireNonNull(sink, "sink");
      return this;
    }

    /**
     * After a completed run, also copies {@code output.jsonl} to {@code sink} (e.g. {@link
     * Sinks#csv} or {@link Sinks#json}). Requires a run directory.
     */
    public Builder export(Sink sink) {
      exports.add(Objects.requireNonNull(sink, "sink"));
      return this;
    }

    /** Maps a record's final state to its output record (default: every key of the state). */
    public Builder outputMapper(OutputMapper mapper) {
      this.outputMapper = Objects.requireNonNull(mapper, "outputMapper");
      return this;
    }

    /**
     * Concurrency, checkpoints, bad-record policy and the rest (default {@link
     * RunOptions#defaults()}).
     */
    public Builder options(RunOptions options) {
      this.options = Objects.requireNonNull(options, "options");
      return this;
    }

    /** Adds a listener for record and node events (called on run threads; keep it fast). */
    public Builder listener(RunListener listener) {
      listeners.add(Objects.requireNonNull(listener, "listener"));
      return this;
    }

    /** Makes {@code service} available to nodes through {@code NodeContext.service(type)}. */
    public <T> Builder service(Class<T> type, T service) {
      Objects.requireNonNull(type, "type");
      services.put(type, Objects.requireNonNull(service, "service"));
      return this;
    }

    /** Adds a report contributor not reachable from the graph's nodes. */
    public Builder contributor(ReportContributor contributor) {
      contributors.add(Objects.requireNonNull(contributor, "contributor"));
      return this;
    }

    /**
     * Builds the pipeline.
     *
     * @throws ConfigurationException when graph or source is missing, or the output is not exactly
     *     one of run directory or sink
     */
    public Pipeline build() {
      ConfigurationException.check(graph != null, "graph", "is required");
      ConfigurationException.check(source != null, "source", "is required");
      ConfigurationException.check(
          (runDirectory == null) != (sink == null),
          "output",
          "set exactly one of runDirectory(...) (resumable) or sink(...)");
      ConfigurationException.check(
          exports.isEmpty() || runDirectory != null, "export", "requires a run directory");
      if (runDirectory != null && Files.exists(runDirectory) && !Files.isDirectory(runDirectory)) {
        throw new ConfigurationException(
            "runDirectory", runDirectory + " exists and is not a directory");
      }
      return new Pipeline(this);
    }
  }
}
