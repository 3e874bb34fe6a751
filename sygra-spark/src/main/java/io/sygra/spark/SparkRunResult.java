package io.sygra.spark;

import io.sygra.spark.internal.Plan;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.storage.StorageLevel;

/**
 * The result of {@link SparkPipeline#run}: a lazy dataset of outcomes, one row per record (see
 * {@link OutputSchema} for the columns), and the run's report once an action has computed it.
 *
 * <p>Like any Spark dataset, {@link #dataset()} is computed again by every action. That costs no
 * model calls: each partition resumes from its checkpoint directory and reads back the outcomes
 * recorded the first time. Persist it (or use {@link #writeTo}) to avoid re-reading the input.
 */
public final class SparkRunResult {
  private final Dataset<Row> dataset;
  private final Plan plan;
  private final int partitions;
  private final List<String> notices;
  private final SparkSession spark;

  SparkRunResult(
      Dataset<Row> dataset, Plan plan, int partitions, List<String> notices, SparkSession spark) {
    this.dataset = dataset;
    this.plan = plan;
    this.partitions = partitions;
    this.notices = List.copyOf(notices);
    this.spark = spark;
  }

  /** Every outcome: the id column, status, node, reason, error and the output columns. */
  public Dataset<Row> dataset() {
    return dataset;
  }

  /** The written records: the id column and the output columns (the training data). */
  public Dataset<Row> written() {
    return written(dataset);
  }

  /** The dropped records: the id column, {@code node} and {@code reason}. */
  public Dataset<Row> dropped() {
    return withStatus(dataset, "dropped", "node", "reason");
  }

  /** The failed records: the id column, {@code node} and {@code error}. */
  public Dataset<Row> failed() {
    return withStatus(dataset, "failed", "node", "error");
  }

  private Dataset<Row> written(Dataset<Row> ds) {
    List<String> cols = new ArrayList<>();
    for (StructField f : plan.schema().formatColumns().fields()) {
      cols.add(f.name());
    }
    return withStatus(ds, "written", cols.toArray(new String[0]));
  }

  private Dataset<Row> withStatus(Dataset<Row> ds, String status, String... columns) {
    Column[] cols = new Column[columns.length + 1];
    cols[0] = functions.col(plan.options().idField());
    for (int i = 0; i < columns.length; i++) {
      cols[i + 1] = functions.col(columns[i]);
    }
    return ds.filter(functions.col("status").equalTo(status)).select(cols);
  }

  /** The plan the tasks carry (tests inspect what it serializes to). */
  Plan plan() {
    return plan;
  }

  /** The run id (name of the checkpoint subdirectory). */
  public String runId() {
    return plan.runId();
  }

  /** The number of partitions (tasks) the graph runs in. */
  public int partitions() {
    return partitions;
  }

  /** The executors' share of the global rate limits. */
  public RateLimitShare rateLimits() {
    return plan.rateLimits();
  }

  /** Notices from the driver's dry build (e.g. that the model is simulated); empty without one. */
  public List<String> notices() {
    return notices;
  }

  /**
   * The report over the partitions computed by actions so far ({@link SparkRunReport#complete()}
   * tells whether all were).
   */
  public SparkRunReport report() {
    return SparkRunReport.of(
        plan.runId(),
        plan.options().checkpointRoot().resolve(plan.runId()).toString(),
        partitions,
        plan.rateLimits(),
        plan.accumulator().value().values());
  }

  /**
   * Computes the run once and writes it under {@code dir} (any Hadoop filesystem URI or a local
   * path), replacing earlier outputs there: {@code output.parquet} and {@code output.jsonl} (the
   * written records, as Spark directories of part files), {@code dropped.jsonl}, {@code
   * failed.jsonl}, and {@code report.json} (the single-machine report's fields, with {@code
   * elapsedMs} measured here and the Spark details under {@code spark}).
   *
   * @return the report, complete
   */
  public SparkRunReport writeTo(String dir) {
    long t0 = System.nanoTime();
    Dataset<Row> cached = dataset.persist(StorageLevel.MEMORY_AND_DISK());
    try {
      Dataset<Row> w = written(cached);
      w.write().mode(SaveMode.Overwrite).parquet(dir + "/output.parquet");
      w.write().mode(SaveMode.Overwrite).json(dir + "/output.jsonl");
      withStatus(cached, "dropped", "node", "reason")
          .write()
          .mode(SaveMode.Overwrite)
          .json(dir + "/dropped.jsonl");
      withStatus(cached, "failed", "node", "error")
          .write()
          .mode(SaveMode.Overwrite)
          .json(dir + "/failed.jsonl");
      SparkRunReport report = report();
      long elapsedMs = (System.nanoTime() - t0) / 1_000_000;
      writeText(dir + "/report.json", report.toRunReport(elapsedMs, notices).toJson() + "\n");
      return report;
    } finally {
      cached.unpersist();
    }
  }

  private void writeText(String file, String text) {
    Path p = new Path(file);
    try {
      FileSystem fs = p.getFileSystem(spark.sparkContext().hadoopConfiguration());
      try (OutputStream out = fs.create(p, true)) {
        out.write(text.getBytes(StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("writing " + file, e);
    }
  }
}
