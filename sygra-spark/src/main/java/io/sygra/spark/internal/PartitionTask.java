package io.sygra.spark.internal;

import io.sygra.core.Graph;
import io.sygra.core.run.OutputMapper;
import io.sygra.core.run.Pipeline;
import io.sygra.core.run.RunOptions;
import io.sygra.core.run.RunReport;
import io.sygra.core.run.SourceException;
import io.sygra.core.run.SourceRecord;
import io.sygra.spark.PartitionException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one attempt of one partition: locks the partition's directory, builds the graph on this
 * executor, runs the single-machine pipeline over the partition's records in that directory (a
 * SyGra run directory, so a later attempt resumes where this one stopped), and returns the
 * partition's outcomes.
 *
 * <p>Threads: the caller (Spark's task thread) reads the input and feeds it to the pipeline through
 * a bounded queue; the pipeline runs on its own thread and the executor-wide CPU pool. If the input
 * fails or the task is killed, the pipeline stops reading, finishes the records already in flight
 * (their replies are paid for and are recorded), and the error is rethrown.
 */
public final class PartitionTask {
  private static final Logger LOG = LoggerFactory.getLogger(PartitionTask.class);
  private static final long POLL_MILLIS = 50;

  /** Marks an input row Spark could not parse (its raw text follows). */
  public static final String BAD_RECORD_PREFIX = "\u0000sygra-bad-record:";

  private final Plan plan;
  private final int partition;
  private final int partitions;
  private final int attempt;
  private final BooleanSupplier killed;
  private final Map<String, String> env;
  private final String who;

  /**
   * @param killed polled while the attempt runs; true when Spark killed the task
   * @param env the environment the graph factory sees
   */
  public PartitionTask(
      Plan plan,
      int partition,
      int partitions,
      int attempt,
      BooleanSupplier killed,
      Map<String, String> env) {
    this.plan = plan;
    this.partition = partition;
    this.partitions = partitions;
    this.attempt = attempt;
    this.killed = killed;
    this.env = env;
    this.who = "partition " + partition + "/" + partitions + " attempt " + attempt;
  }

  /** The partition's checkpoint directory. */
  public Path directory() {
    return plan.options()
        .checkpointRoot()
        .resolve(plan.runId())
        .resolve(Plan.partitionDirName(partition, partitions));
  }

  /**
   * Runs the partition over {@code records} (JSON objects, one per input row) and returns its
   * outcomes. Close the result to release the partition (also done when it is exhausted).
   *
   * @throws PartitionException when the attempt cannot run to completion; records it finished are
   *     recorded for the next attempt
   */
  public Outcomes run(Iterator<String> records) {
    Path dir = directory();
    PartitionLock lock =
        PartitionLock.acquire(dir, plan.options().partitionLockTimeout(), killed, who);
    ExecutorContextImpl ctx = null;
    try {
      ctx = new ExecutorContextImpl(plan, partition, partitions, attempt, dir, env);
      RunReport report = runPipeline(dir, ctx, records);
      ctx.close();
      OutputConverter converter = new OutputConverter(plan.schema(), plan.java8Datetime());
      return new Outcomes(
          dir, plan.options().idField(), converter, report, partition, attempt, plan, lock);
    } catch (RuntimeException | Error e) {
      if (ctx != null) {
        ctx.close();
      }
      lock.close();
      throw e;
    }
  }

  private RunReport runPipeline(Path dir, ExecutorContextImpl ctx, Iterator<String> records) {
    Graph graph;
    OutputMapper mapper;
    try {
      graph = plan.graph().create(ctx);
      mapper = checked(plan.mapper().create(ctx));
    } catch (RuntimeException e) {
      throw new PartitionException(who, dir, "building the graph failed: " + e.getMessage(), e);
    }
    int concurrency = plan.options().concurrency();
    QueueSource source =
        new QueueSource(
            Math.max(16, Math.min(4096, concurrency * 2)),
            "spark:" + plan.runId() + "/" + Plan.partitionDirName(partition, partitions));
    Pipeline pipeline =
        Pipeline.builder()
            .graph(graph)
            .source(source)
            .runDirectory(dir)
            .outputMapper(mapper)
            .options(
                RunOptions.builder()
                    .concurrency(concurrency)
                    .idField(plan.options().idField())
                    .badRecordPolicy(plan.options().badRecordPolicy())
                    .retryFailed(plan.options().retryFailed())
                    .force(plan.options().force())
                    .progress(RunOptions.ProgressMode.NEVER)
                    .executor(SharedPool.get())
                    .build())
            .build();
    AtomicReference<RunReport> report = new AtomicReference<>();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread runner =
        new Thread(
            () -> {
              try {
                report.set(pipeline.run());
              } catch (Throwable t) {
                failure.set(t);
              }
            },
            "sygra-spark " + who);
    runner.setDaemon(true);
    runner.start();

    Feed feed = feed(records, source, runner);
    boolean interrupted = end(source, feed, runner) | awaitQuietly(runner);
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    if (feed.inputError() != null) {
      LOG.warn(
          "{}: input failed after {} records; the records finished so far are kept",
          who,
          feed.count());
      Throwable e = feed.inputError();
      if (e instanceof RuntimeException re) {
        throw re;
      }
      if (e instanceof Error err) {
        throw err;
      }
      throw new PartitionException(who, dir, "reading the input failed: " + e, e);
    }
    if (feed.killed()) {
      throw new PartitionException(who, dir, "killed; the records finished so far are kept", null);
    }
    if (failure.get() != null) {
      Throwable t = failure.get();
      throw new PartitionException(who, dir, "the pipeline failed: " + t.getMessage(), t);
    }
    RunReport r = report.get();
    if (!"completed".equals(r.status())) {
      throw new PartitionException(who, dir, "the pipeline aborted: " + r.error(), null);
    }
    LOG.debug("{}: {}", who, r.summary().strip());
    return r;
  }

  /**
   * Checks each output against the schema inside the pipeline, so misfits are recorded as failed.
   */
  private OutputMapper checked(OutputMapper user) {
    OutputConverter converter = new OutputConverter(plan.schema(), plan.java8Datetime());
    String idField = plan.options().idField();
    return state -> {
      Map<String, Object> out = user.map(state);
      Map<String, Object> withoutId = out;
      if (out.containsKey(idField)) {
        withoutId = new LinkedHashMap<>(out);
        withoutId.remove(idField);
      }
      converter.columns(withoutId);
      return out;
    };
  }

  private record Feed(long count, Throwable inputError, boolean killed, boolean interrupted) {
    String abortReason() {
      if (inputError != null) {
        return "the Spark input failed: " + inputError;
      }
      return killed ? "the Spark task was killed" : null;
    }
  }

  /** Feeds the input to the pipeline until it ends, fails, the task is killed, or the run stops. */
  private Feed feed(Iterator<String> records, QueueSource source, Thread runner) {
    long n = 0;
    boolean interrupted = false;
    String origin = Plan.partitionDirName(partition, partitions) + " row ";
    while (true) {
      if (!runner.isAlive()) {
        return new Feed(n, null, false, interrupted); // the pipeline stopped by itself
      }
      if (interrupted || killed.getAsBoolean()) {
        return new Feed(n, null, true, interrupted);
      }
      String json;
      try {
        if (!records.hasNext()) {
          return new Feed(n, null, false, interrupted);
        }
        json = records.next();
      } catch (Throwable t) {
        if (Thread.interrupted()) {
          interrupted = true;
        }
        return new Feed(n, t, false, interrupted);
      }
      SourceRecord rec = null;
      SourceException bad = null;
      if (json == null) {
        bad = new SourceException(origin + n, "null input row", true);
      } else if (json.startsWith(BAD_RECORD_PREFIX)) {
        String raw = json.substring(BAD_RECORD_PREFIX.length());
        bad =
            new SourceException(
                origin + n,
                "malformed input line: "
                    + (raw.length() > 200 ? raw.substring(0, 200) + "..." : raw),
                true);
      } else {
        try {
          rec = SourceRecord.of(SparkJson.readMap(json), origin + n);
        } catch (RuntimeException e) {
          bad = new SourceException(origin + n, "not a JSON object: " + e.getMessage(), true, e);
        }
      }
      n++;
      try {
        while (!(bad == null
            ? source.offer(rec, POLL_MILLIS)
            : source.offerBad(bad, POLL_MILLIS))) {
          if (!runner.isAlive()) {
            return new Feed(n, null, false, interrupted);
          }
          if (killed.getAsBoolean()) {
            return new Feed(n, null, true, interrupted);
          }
        }
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
  }

  /**
   * Ends the pipeline's input. After an input failure the records already handed over still run
   * (they are as good as in flight, and the retry then skips them); after a kill they are dropped
   * so the task ends quickly. Returns true when this thread was interrupted meanwhile.
   */
  private boolean end(QueueSource source, Feed feed, Thread runner) {
    if (feed.killed()) {
      source.abortNow(feed.abortReason());
      return feed.interrupted();
    }
    boolean interrupted = feed.interrupted();
    while (runner.isAlive()) {
      try {
        if (source.finish(feed.abortReason(), POLL_MILLIS)) {
          break;
        }
      } catch (InterruptedException e) {
        interrupted = true;
      }
      if (interrupted || killed.getAsBoolean()) {
        source.abortNow("the Spark task was killed");
        break;
      }
    }
    return interrupted;
  }

  /** Waits for the pipeline to end; true when this thread was interrupted meanwhile. */
  private static boolean awaitQuietly(Thread t) {
    boolean interrupted = false;
    while (t.isAlive()) {
      try {
        t.join();
      } catch (InterruptedException e) {
        interrupted = true; // keep waiting: the records in flight must be recorded
      }
    }
    return interrupted;
  }
}
