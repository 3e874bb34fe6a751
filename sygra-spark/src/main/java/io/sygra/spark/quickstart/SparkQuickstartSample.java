package io.sygra.spark.quickstart;

import io.sygra.core.run.RunReport;
import io.sygra.samples.Sample;
import io.sygra.samples.SampleContext;
import io.sygra.spark.SparkRunReport;
import io.sygra.spark.SparkRunResult;
import java.nio.file.Path;
import java.util.Optional;
import org.apache.spark.sql.SparkSession;

/**
 * {@code ./sygra run spark-quickstart}: {@link SparkQuickstart} in Spark local mode ({@code
 * local[2]}), writing {@code output.parquet/}, {@code output.jsonl/}, {@code dropped.jsonl/},
 * {@code failed.jsonl/} and {@code report.json} into {@code --out}, with its partition checkpoints
 * in {@code --out/checkpoints} (so running again with the same {@code --out} resumes instead of
 * calling the model again). {@code --input} overrides the Alpaca fixture, {@code --records}
 * (default 100) limits the rows, {@code --concurrency} sets the records in flight per partition,
 * {@code --model}/{@code --base-url} (or the environment) select a real endpoint.
 */
public final class SparkQuickstartSample implements Sample {
  /** Default number of input rows. */
  static final long DEFAULT_RECORDS = 100;

  /** Partitions in local mode: two task threads, each partition a bounded-concurrency pipeline. */
  static final int PARTITIONS = 4;

  @Override
  public String name() {
    return "spark-quickstart";
  }

  @Override
  public String description() {
    return "Alpaca rows → TRL SFT on Apache Spark (local[2]): Parquet + JSONL + report.json";
  }

  @Override
  public RunReport run(SampleContext ctx) {
    Path out = ctx.outDir().toAbsolutePath();
    String input =
        ctx.input()
            .map(Path::toString)
            .orElseGet(() -> SparkQuickstart.defaultInput(ctx.env()).toString());
    Optional<SparkSession> existing =
        SparkSession.getActiveSession().isDefined()
            ? Optional.of(SparkSession.getActiveSession().get())
            : Optional.empty();
    SparkSession spark = existing.orElseGet(() -> localSession(ctx));
    try {
      long t0 = System.nanoTime();
      SparkRunResult result =
          SparkQuickstart.plan(
              spark,
              new SparkQuickstart.Settings(
                  input,
                  out.toString(),
                  ctx.records(DEFAULT_RECORDS),
                  PARTITIONS,
                  ctx.concurrency(),
                  out.resolve("checkpoints").toString(),
                  "spark-quickstart"));
      ctx.printNotices(result.notices());
      SparkRunReport report = result.writeTo(out.toString());
      return report.toRunReport((System.nanoTime() - t0) / 1_000_000, result.notices());
    } finally {
      if (existing.isEmpty()) {
        spark.stop();
      }
    }
  }

  /**
   * A {@code local[2]} session without UI. The endpoint chosen on the command line reaches the
   * executors (threads here) the way it would on a cluster: through {@code spark.executorEnv.*}.
   */
  private static SparkSession localSession(SampleContext ctx) {
    SparkSession.Builder b =
        SparkSession.builder()
            .master("local[2]")
            .appName("sygra-spark-quickstart")
            .config("spark.ui.enabled", "false")
            .config("spark.sql.shuffle.partitions", Integer.toString(PARTITIONS));
    ctx.baseUrl().ifPresent(u -> b.config("spark.executorEnv.SYGRA_BASE_URL", u));
    ctx.model().ifPresent(m -> b.config("spark.executorEnv.SYGRA_MODEL", m));
    return b.getOrCreate();
  }
}
