package io.sygra.spark;

import io.sygra.core.ConfigurationException;
import io.sygra.core.run.RunOptions;
import java.io.Serializable;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * How a {@link SparkPipeline} runs. Immutable and serializable (it travels with the job); build
 * with {@link #builder()}, derive with {@link #toBuilder()}. Setters validate at once and name the
 * field and value.
 *
 * <table>
 *   <caption>Defaults</caption>
 *   <tr><td>concurrency</td><td>64 records in flight per partition</td></tr>
 *   <tr><td>idField</td><td>{@code id}</td></tr>
 *   <tr><td>badRecordPolicy</td><td>{@link RunOptions.BadRecordPolicy#FAIL_FAST}</td></tr>
 *   <tr><td>checkpointDirectory</td><td>{@code <java.io.tmpdir>/sygra-spark} on each executor</td></tr>
 *   <tr><td>runId</td><td>a new random id per {@link SparkPipeline#run} call</td></tr>
 *   <tr><td>partitions</td><td>max(input partitions, Spark's default parallelism)</td></tr>
 *   <tr><td>keepInputPartitioning</td><td>false: records are hash-partitioned by id</td></tr>
 *   <tr><td>requestsPerMinute, tokensPerMinute</td><td>0 (no global budget)</td></tr>
 *   <tr><td>executors</td><td>derived from the Spark configuration</td></tr>
 *   <tr><td>cacheSampledRequests, retryFailed, force</td><td>false</td></tr>
 *   <tr><td>partitionLockTimeout</td><td>30 minutes</td></tr>
 *   <tr><td>validateOnDriver</td><td>true</td></tr>
 * </table>
 */
public final class SparkRunOptions implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final Pattern RUN_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

  private final int concurrency;
  private final String idField;
  private final RunOptions.BadRecordPolicy badRecordPolicy;
  private final String checkpointDirectory;
  private final String runId;
  private final int partitions;
  private final boolean keepInputPartitioning;
  private final int requestsPerMinute;
  private final long tokensPerMinute;
  private final int executors;
  private final boolean cacheSampledRequests;
  private final boolean retryFailed;
  private final boolean force;
  private final Duration partitionLockTimeout;
  private final boolean validateOnDriver;

  private SparkRunOptions(Builder b) {
    this.concurrency = b.concurrency;
    this.idField = b.idField;
    this.badRecordPolicy = b.badRecordPolicy;
    this.checkpointDirectory = b.checkpointDirectory;
    this.runId = b.runId;
    this.partitions = b.partitions;
    this.keepInputPartitioning = b.keepInputPartitioning;
    this.requestsPerMinute = b.requestsPerMinute;
    this.tokensPerMinute = b.tokensPerMinute;
    this.executors = b.executors;
    this.cacheSampledRequests = b.cacheSampledRequests;
    this.retryFailed = b.retryFailed;
    this.force = b.force;
    this.partitionLockTimeout = b.partitionLockTimeout;
    this.validateOnDriver = b.validateOnDriver;
  }

  /** The defaults. */
  public static SparkRunOptions defaults() {
    return builder().build();
  }

  /** A builder starting from the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding these options. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.concurrency = concurrency;
    b.idField = idField;
    b.badRecordPolicy = badRecordPolicy;
    b.checkpointDirectory = checkpointDirectory;
    b.runId = runId;
    b.partitions = partitions;
    b.keepInputPartitioning = keepInputPartitioning;
    b.requestsPerMinute = requestsPerMinute;
    b.tokensPerMinute = tokensPerMinute;
    b.executors = executors;
    b.cacheSampledRequests = cacheSampledRequests;
    b.retryFailed = retryFailed;
    b.force = force;
    b.partitionLockTimeout = partitionLockTimeout;
    b.validateOnDriver = validateOnDriver;
    return b;
  }

  /** Records in flight at once in each partition (the single-machine runner's window). */
  public int concurrency() {
    return concurrency;
  }

  /** Input column holding record ids, and the output id column. */
  public String idField() {
    return idField;
  }

  /** What a partition does with a record it cannot read (e.g. an id that is not a scalar). */
  public RunOptions.BadRecordPolicy badRecordPolicy() {
    return badRecordPolicy;
  }

  /** Root of the partitions' checkpoint directories; null means the executor's temp directory. */
  public String checkpointDirectory() {
    return checkpointDirectory;
  }

  /** The checkpoint root a partition uses: the configured one, or the executor's temp dir. */
  public Path checkpointRoot() {
    return checkpointDirectory != null
        ? Path.of(checkpointDirectory)
        : Path.of(System.getProperty("java.io.tmpdir"), "sygra-spark");
  }

  /** The run id, or null for a new random id per run. */
  public String runId() {
    return runId;
  }

  /** Partitions to hash-partition the input into; 0 = automatic. */
  public int partitions() {
    return partitions;
  }

  /** True to run on the input's partitions as they are, without a shuffle. */
  public boolean keepInputPartitioning() {
    return keepInputPartitioning;
  }

  /** Global requests per minute across the cluster; 0 = none. */
  public int requestsPerMinute() {
    return requestsPerMinute;
  }

  /** Global tokens per minute across the cluster; 0 = none. */
  public long tokensPerMinute() {
    return tokensPerMinute;
  }

  /** Executors the global budget is split across; 0 = derived from the Spark configuration. */
  public int executors() {
    return executors;
  }

  /** True to cache sampled requests (temperature above 0, no seed) in the response cache too. */
  public boolean cacheSampledRequests() {
    return cacheSampledRequests;
  }

  /** Re-run records that failed in an earlier run of the same run id. */
  public boolean retryFailed() {
    return retryFailed;
  }

  /** Resume partition directories made by a different graph. */
  public boolean force() {
    return force;
  }

  /** How long an attempt waits for another attempt of the same partition to release it. */
  public Duration partitionLockTimeout() {
    return partitionLockTimeout;
  }

  /** True to build the graph once on the driver before the job starts. */
  public boolean validateOnDriver() {
    return validateOnDriver;
  }

  @Override
  public String toString() {
    return "SparkRunOptions[concurrency="
        + concurrency
        + ", idField="
        + idField
        + ", checkpointDirectory="
        + checkpointDirectory
        + ", runId="
        + runId
        + ", partitions="
        + partitions
        + ", keepInputPartitioning="
        + keepInputPartitioning
        + ", requestsPerMinute="
        + requestsPerMinute
        + ", tokensPerMinute="
        + tokensPerMinute
        + ", executors="
        + executors
        + "]";
  }

  /** Builds {@link SparkRunOptions}. Not thread-safe. */
  public static final class Builder {
    private int concurrency = 64;
    private String idField = "id";
    private RunOptions.BadRecordPolicy badRecordPolicy = RunOptions.BadRecordPolicy.FAIL_FAST;
    private String checkpointDirectory;
    private String runId;
    private int partitions;
    private boolean keepInputPartitioning;
    private int requestsPerMinute;
    private long tokensPerMinute;
    private int executors;
    private boolean cacheSampledRequests;
    private boolean retryFailed;
    private boolean force;
    private Duration partitionLockTimeout = Duration.ofMinutes(30);
    private boolean validateOnDriver = true;

    private Builder() {}

    /** Records in flight per partition, in [1, 1_000_000]. */
    public Builder concurrency(int concurrency) {
      ConfigurationException.check(
          concurrency >= 1 && concurrency <= 1_000_000,
          "concurrency",
          "must be in [1, 1000000], was " + concurrency);
      this.concurrency = concurrency;
      return this;
    }

    /** Input column of record ids and output id column (default {@code id}). */
    public Builder idField(String idField) {
      ConfigurationException.check(
          idField != null && !idField.isBlank(), "idField", "must be non-blank, was " + idField);
      this.idField = idField;
      return this;
    }

    /**
     * What a partition does with a record it cannot read: fail the task (default; Spark's retries
     * then fail the job with the record's error) or record it as failed at node {@code source}.
     */
    public Builder badRecordPolicy(RunOptions.BadRecordPolicy policy) {
      this.badRecordPolicy = Objects.requireNonNull(policy, "badRecordPolicy");
      return this;
    }

    /**
     * Root of the per-partition checkpoint directories, as a local path on every executor. For
     * exactly-once across executors it must be a filesystem all executors mount at this path (NFS,
     * EFS, Lustre, a FUSE mount of object storage); an executor-local path still makes retries on
     * the same executor free. Not an HDFS or S3 URI: the run directories need POSIX file semantics.
     */
    public Builder checkpointDirectory(String dir) {
      ConfigurationException.check(
          dir != null && !dir.isBlank(), "checkpointDirectory", "must be non-blank, was " + dir);
      ConfigurationException.check(
          !dir.matches("^[a-zA-Z][a-zA-Z0-9+.-]*://.*") || dir.startsWith("file://"),
          "checkpointDirectory",
          "must be a local or mounted path, not a URI, was " + dir);
      this.checkpointDirectory = dir.startsWith("file://") ? dir.substring(7) : dir;
      return this;
    }

    /** As {@link #checkpointDirectory(String)}. */
    public Builder checkpointDirectory(Path dir) {
      Objects.requireNonNull(dir, "checkpointDirectory");
      return checkpointDirectory(dir.toAbsolutePath().toString());
    }

    /**
     * A stable run id (letters, digits, {@code . _ -}; up to 128 characters). Running again with
     * the same id, checkpoint directory and partition count resumes: records already finished are
     * read back instead of run again. Default: a new random id per run.
     */
    public Builder runId(String runId) {
      ConfigurationException.check(
          runId != null && RUN_ID.matcher(runId).matches(),
          "runId",
          "must be 1-128 letters, digits, '.', '_' or '-' starting with a letter or digit, was '"
              + runId
              + "'");
      this.runId = runId;
      return this;
    }

    /** Number of partitions (tasks) to hash-partition the input into, in [1, 1_000_000]. */
    public Builder partitions(int partitions) {
      ConfigurationException.check(
          partitions >= 1 && partitions <= 1_000_000,
          "partitions",
          "must be in [1, 1000000], was " + partitions);
      this.partitions = partitions;
      return this;
    }

    /**
     * Runs on the input's own partitions, skipping the shuffle that groups equal ids into one
     * partition. Then ids must be unique across partitions (duplicates inside one partition are
     * still detected), and the input's partitioning must be deterministic (true for files).
     */
    public Builder keepInputPartitioning(boolean keep) {
      this.keepInputPartitioning = keep;
      return this;
    }

    /** Global requests per minute across all executors; 0 = none. */
    public Builder requestsPerMinute(int n) {
      ConfigurationException.check(n >= 0, "requestsPerMinute", "must be >= 0, was " + n);
      this.requestsPerMinute = n;
      return this;
    }

    /** Global tokens per minute across all executors; 0 = none. */
    public Builder tokensPerMinute(long n) {
      ConfigurationException.check(n >= 0, "tokensPerMinute", "must be >= 0, was " + n);
      this.tokensPerMinute = n;
      return this;
    }

    /**
     * Number of executors the global budget is split across (overrides the derived number; use the
     * maximum when dynamic allocation can add executors).
     */
    public Builder executors(int n) {
      ConfigurationException.check(n >= 1, "executors", "must be >= 1, was " + n);
      this.executors = n;
      return this;
    }

    /**
     * Also caches sampled requests (temperature above 0 without a seed), so even they are never
     * paid twice across attempts. Off by default: with it, records of one partition that send an
     * identical sampled request share one reply.
     */
    public Builder cacheSampledRequests(boolean yes) {
      this.cacheSampledRequests = yes;
      return this;
    }

    /** Re-runs records that failed in an earlier run of the same run id (default false). */
    public Builder retryFailed(boolean retryFailed) {
      this.retryFailed = retryFailed;
      return this;
    }

    /**
     * Resumes partition directories made by a different graph (default false: such a directory
     * fails the task, since mixing two graphs' outputs is rarely intended).
     */
    public Builder force(boolean force) {
      this.force = force;
      return this;
    }

    /** At least one second. */
    public Builder partitionLockTimeout(Duration timeout) {
      Objects.requireNonNull(timeout, "partitionLockTimeout");
      ConfigurationException.check(
          timeout.toMillis() >= 1000, "partitionLockTimeout", "must be >= 1s, was " + timeout);
      this.partitionLockTimeout = timeout;
      return this;
    }

    /**
     * Whether to build the graph once on the driver (with the driver's environment) before the job
     * starts, so that an invalid graph fails before any task runs and notices (e.g. "output is
     * simulated") are known. Turn off when the driver cannot build the graph.
     */
    public Builder validateOnDriver(boolean yes) {
      this.validateOnDriver = yes;
      return this;
    }

    /** The options. */
    public SparkRunOptions build() {
      return new SparkRunOptions(this);
    }
  }
}
