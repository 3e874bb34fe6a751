package io.sygra.core.run;

import io.sygra.core.ConfigurationException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * How a {@link Pipeline} runs. Immutable; build with {@link #builder()} or derive with {@link
 * #toBuilder()}. Setters validate at once.
 *
 * <table>
 *   <caption>Defaults</caption>
 *   <tr><td>concurrency</td><td>64 records in flight</td></tr>
 *   <tr><td>checkpointInterval</td><td>1 s between fsyncs of the run directory</td></tr>
 *   <tr><td>badRecordPolicy</td><td>{@link BadRecordPolicy#FAIL_FAST}</td></tr>
 *   <tr><td>idField</td><td>{@code id} (input id column and output id field)</td></tr>
 *   <tr><td>retryFailed, force</td><td>false</td></tr>
 *   <tr><td>limit</td><td>none</td></tr>
 *   <tr><td>progress</td><td>{@link ProgressMode#AUTO}</td></tr>
 * </table>
 */
public final class RunOptions {

  /** What to do with an input record that cannot be read. */
  public enum BadRecordPolicy {
    /** Stop reading, finish the records in flight, write the report, and throw. */
    FAIL_FAST,
    /** Record the bad input in {@code failed.jsonl} (node {@code source}) and go on. */
    SKIP_AND_RECORD
  }

  /** How a run reports progress. */
  public enum ProgressMode {
    /** A live line when standard error is a terminal, else a log line every 30 s. */
    AUTO,
    /** A live line redrawn in place even when standard error is not a terminal. */
    ALWAYS,
    /** No progress reports (neither the live line nor the periodic log line). */
    NEVER
  }

  private final int concurrency;
  private final Duration checkpointInterval;
  private final BadRecordPolicy badRecordPolicy;
  private final String idField;
  private final boolean retryFailed;
  private final boolean force;
  private final long limit;
  private final ProgressMode progress;
  private final Executor executor;

  private RunOptions(Builder b) {
    this.concurrency = b.concurrency;
    this.checkpointInterval = b.checkpointInterval;
    this.badRecordPolicy = b.badRecordPolicy;
    this.idField = b.idField;
    this.retryFailed = b.retryFailed;
    this.force = b.force;
    this.limit = b.limit;
    this.progress = b.progress;
    this.executor = b.executor;
  }

  /** Default options. */
  public static RunOptions defaults() {
    return builder().build();
  }

  /**
   * A builder with the defaults: concurrency 64, checkpoints every second, fail fast, id field
   * {@code id}.
   */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from these options. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.concurrency = concurrency;
    b.checkpointInterval = checkpointInterval;
    b.badRecordPolicy = badRecordPolicy;
    b.idField = idField;
    b.retryFailed = retryFailed;
    b.force = force;
    b.limit = limit;
    b.progress = progress;
    b.executor = executor;
    return b;
  }

  /** Maximum records in flight at once. */
  public int concurrency() {
    return concurrency;
  }

  /** Interval between fsyncs of the run directory's files. */
  public Duration checkpointInterval() {
    return checkpointInterval;
  }

  /** What a malformed source record does: stop the run, or go to {@code failed.jsonl}. */
  public BadRecordPolicy badRecordPolicy() {
    return badRecordPolicy;
  }

  /** Input field holding a record's id, and the output field the id is written to. */
  public String idField() {
    return idField;
  }

  /** Re-run records that failed in an earlier run of the same run directory. */
  public boolean retryFailed() {
    return retryFailed;
  }

  /** Resume even when the run directory was made by a different graph or options. */
  public boolean force() {
    return force;
  }

  /** Maximum number of source records to read; {@code Long.MAX_VALUE} when unlimited. */
  public long limit() {
    return limit;
  }

  /** How progress is reported. */
  public ProgressMode progress() {
    return progress;
  }

  /** The executor for synchronous node work; null means a run-owned pool sized to the CPUs. */
  public Executor executor() {
    return executor;
  }

  /** Builds {@link RunOptions}. */
  public static final class Builder {
    private int concurrency = 64;
    private Duration checkpointInterval = Duration.ofSeconds(1);
    private BadRecordPolicy badRecordPolicy = BadRecordPolicy.FAIL_FAST;
    private String idField = "id";
    private boolean retryFailed;
    private boolean force;
    private long limit = Long.MAX_VALUE;
    private ProgressMode progress = ProgressMode.AUTO;
    private Executor executor;

    private Builder() {}

    /** Records in flight at once, in [1, 1_000_000]. */
    public Builder concurrency(int concurrency) {
      ConfigurationException.check(
          concurrency >= 1 && concurrency <= 1_000_000,
          "concurrency",
          "must be in [1, 1000000], was " + concurrency);
      this.concurrency = concurrency;
      return this;
    }

    /** Interval between fsyncs, at least 10 ms. */
    public Builder checkpointInterval(Duration interval) {
      Objects.requireNonNull(interval, "checkpointInterval");
      ConfigurationException.check(
          interval.toMillis() >= 10, "checkpointInterval", "must be >= 10ms, was " + interval);
      this.checkpointInterval = interval;
      return this;
    }

    /**
     * {@code FAIL_FAST} (default) stops reading at a malformed source record and aborts the run,
     * keeping everything written; {@code SKIP_AND_RECORD} writes it to {@code failed.jsonl} with
     * its file and line and goes on.
     */
    public Builder badRecordPolicy(BadRecordPolicy policy) {
      this.badRecordPolicy = Objects.requireNonNull(policy, "badRecordPolicy");
      return this;
    }

    /** Field name of record ids in input and output (default {@code id}). */
    public Builder idField(String idField) {
      ConfigurationException.check(
          idField != null && !idField.isBlank(), "idField", "must be non-blank, was " + idField);
      this.idField = idField;
      return this;
    }

    /** Re-runs records in the run directory's {@code failed.jsonl} (default: they are skipped). */
    public Builder retryFailed(boolean retryFailed) {
      this.retryFailed = retryFailed;
      return this;
    }

    /**
     * Resumes even when the run directory's manifest names a different graph or options (default:
     * such a resume is refused, because the outputs would mix two pipelines).
     */
    public Builder force(boolean force) {
      this.force = force;
      return this;
    }

    /** Read at most {@code n} source records (n >= 0). */
    public Builder limit(long n) {
      ConfigurationException.check(n >= 0, "limit", "must be >= 0, was " + n);
      this.limit = n;
      return this;
    }

    /**
     * How progress is reported (default {@link ProgressMode#AUTO}: a live line on a terminal, else
     * a log line every 30 s).
     */
    public Builder progress(ProgressMode progress) {
      this.progress = Objects.requireNonNull(progress, "progress");
      return this;
    }

    /**
     * Executor for synchronous node work. The pipeline does not shut it down. Lambda nodes run
     * inline when already on one of its threads, which {@code ForkJoinPool}s detect reliably; other
     * executors cost a thread hop per lambda step.
     */
    public Builder executor(Executor executor) {
      this.executor = executor;
      return this;
    }

    /** The options. */
    public RunOptions build() {
      return new RunOptions(this);
    }
  }
}
