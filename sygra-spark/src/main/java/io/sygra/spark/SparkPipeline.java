package io.sygra.spark;

import io.sygra.core.ConfigurationException;
import io.sygra.core.Graph;
import io.sygra.core.SygraException;
import io.sygra.core.run.OutputMapper;
import io.sygra.core.run.Pipeline;
import io.sygra.core.run.Sinks;
import io.sygra.core.run.Sources;
import io.sygra.spark.internal.ExecutorContextImpl;
import io.sygra.spark.internal.ExecutorCount;
import io.sygra.spark.internal.PartitionRunner;
import io.sygra.spark.internal.PartitionTask;
import io.sygra.spark.internal.Plan;
import io.sygra.spark.internal.SummaryAccumulator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.NotSerializableException;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.AtomicType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a SyGra graph over a Spark dataset: each partition runs the single-machine {@link Pipeline}
 * (same bounded-concurrency runner, same exactly-once run directory) on an executor, with a graph
 * the executor builds itself from a serializable {@link GraphFactory}.
 *
 * <pre>{@code
 * SparkRunResult result = SparkPipeline.builder()
 *     .graph(ctx -> MyGraphs.answerer(ctx.modelClientFromEnv().orElseThrow()))
 *     .outputSchema(OutputSchema.trlSft().withColumn("words", DataTypes.IntegerType))
 *     .options(SparkRunOptions.builder()
 *         .checkpointDirectory("/mnt/shared/sygra")    // mounted by every executor
 *         .runId("sft-2025-06-01")
 *         .requestsPerMinute(10_000)                   // split across the executors
 *         .build())
 *     .build()
 *     .run(spark, "s3a://bucket/prompts.parquet");
 * result.writeTo("s3a://bucket/sft-out");             // parquet + jsonl + report.json
 * }</pre>
 *
 * <p><b>How it runs.</b> The input rows become JSON objects (nested structs become objects, arrays
 * become lists, null fields are left out); by default they are hash-partitioned by record id (the
 * {@link SparkRunOptions#idField() id column}, or the record's content when there is none) so that
 * duplicate ids meet in one partition, where they are detected as on one machine. Each partition
 * attempt locks its checkpoint directory ({@code
 * <checkpointDirectory>/<runId>/part-NNNNN-of-MMMMM}), builds the graph, and runs the pipeline
 * there with that directory as its run directory.
 *
 * <p><b>Exactly once.</b> A record finished by any attempt is recorded in the partition's run
 * directory before its outcome is emitted, so a retried or speculative attempt (which waits for the
 * partition lock) skips it without calling a model, and then emits every record of the partition
 * from the directory: the result holds each id once however many attempts ran. Calls of records
 * that were in flight when an attempt died are answered from the partition's response cache when
 * clients use {@link ExecutorContext#responseCache()}. Exactly-once across executors needs a
 * checkpoint directory every executor mounts; with an executor-local one, a retry on the same
 * executor is still free but one elsewhere pays again for that partition (its output is still
 * emitted once, as Spark commits one attempt per partition).
 *
 * <p>Immutable; {@link #run} may be called many times.
 */
public final class SparkPipeline {
  private static final Logger LOG = LoggerFactory.getLogger(SparkPipeline.class);
  private static final String RECORD = "record";
  private static final String KEY = "__sygra_partition_key";
  private static final String CORRUPT = "_corrupt_record";

  private final GraphFactory graph;
  private final OutputMapperFactory mapper;
  private final OutputSchema schema;
  private final SparkRunOptions options;

  private SparkPipeline(Builder b) {
    this.graph = b.graph;
    this.mapper = b.mapper;
    this.schema = b.schema;
    this.options = b.options;
  }

  /** A builder: a graph factory is required, the rest has defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** The run options. */
  public SparkRunOptions options() {
    return options;
  }

  /** How outputs become columns. */
  public OutputSchema outputSchema() {
    return schema;
  }

  /**
   * Reads {@code path} (JSON Lines for {@code .jsonl}/{@code .ndjson}, a JSON array or object per
   * file for {@code .json}, Parquet for {@code .parquet}) and runs the graph over it.
   *
   * @throws ConfigurationException when the format cannot be told from the name
   */
  public SparkRunResult run(SparkSession spark, String path) {
    return run(read(spark, path));
  }

  /**
   * Reads a dataset the way {@link #run(SparkSession, String)} does. Lines that are not valid JSON
   * are kept as bad records, which the run handles by its {@link
   * SparkRunOptions#badRecordPolicy()}.
   */
  public static Dataset<Row> read(SparkSession spark, String path) {
    Objects.requireNonNull(spark, "spark");
    Objects.requireNonNull(path, "path");
    String p = path.toLowerCase(Locale.ROOT).replaceAll("/+$", "");
    if (p.endsWith(".jsonl") || p.endsWith(".ndjson")) {
      return spark
          .read()
          .option("mode", "PERMISSIVE")
          .option("columnNameOfCorruptRecord", CORRUPT)
          .json(path);
    }
    if (p.endsWith(".json")) {
      return spark.read().option("multiLine", true).option("mode", "FAILFAST").json(path);
    }
    if (p.endsWith(".parquet")) {
      return spark.read().parquet(path);
    }
    throw new ConfigurationException(
        "input",
        "cannot tell the format of '"
            + path
            + "': use a .jsonl, .ndjson, .json or .parquet path, or read it with Spark and pass"
            + " the Dataset");
  }

  /**
   * Plans the run over {@code input} and returns its lazy result; nothing runs until an action
   * (e.g. {@link SparkRunResult#writeTo}). The graph is built once on the driver first (unless
   * {@link SparkRunOptions#validateOnDriver()} is off), so an invalid graph fails here.
   *
   * @throws ConfigurationException for invalid options, an unserializable factory, or an input
   *     without columns
   */
  public SparkRunResult run(Dataset<Row> input) {
    Objects.requireNonNull(input, "input");
    SparkSession spark = input.sparkSession();
    String runId =
        options.runId() != null
            ? options.runId()
            : "run-" + UUID.randomUUID().toString().substring(0, 13);
    StructType result = schema.resultSchema(options.idField());
    boolean java8 =
        Boolean.parseBoolean(spark.conf().get("spark.sql.datetime.java8API.enabled", "false"));
    SummaryAccumulator acc = new SummaryAccumulator();
    spark.sparkContext().register(acc, "sygra-spark " + runId);
    Plan plan =
        new Plan(
            graph,
            mapper,
            options,
            schema,
            runId,
            ExecutorCount.share(spark.sparkContext(), options),
            java8,
            acc);
    PartitionRunner runner = new PartitionRunner(plan);
    checkSerializable(runner);
    List<String> notices = options.validateOnDriver() ? dryBuild(plan) : List.of();

    Dataset<Row> prepared = prepare(input, spark);
    int partitions = prepared.rdd().getNumPartitions();
    LOG.info(
        "sygra-spark run {}: {} partitions, concurrency {} each, checkpoints in {}/{}, rate limits {}",
        runId,
        partitions,
        options.concurrency(),
        options.checkpointRoot(),
        runId,
        plan.rateLimits());
    Dataset<Row> out = prepared.mapPartitions(runner, Encoders.row(result));
    return new SparkRunResult(out, plan, partitions, notices, spark);
  }

  /**
   * One JSON column per input row, partitioned by record id unless the input's partitioning is
   * kept.
   */
  private Dataset<Row> prepare(Dataset<Row> input, SparkSession spark) {
    String[] names = input.columns();
    List<Column> fields = new ArrayList<>();
    boolean hasCorrupt = false;
    for (String n : names) {
      if (n.equals(CORRUPT)) {
        hasCorrupt = true;
      } else {
        fields.add(input.col(quoted(n)));
      }
    }
    ConfigurationException.check(!fields.isEmpty(), "input", "the dataset has no columns");
    Column json =
        functions.to_json(
            functions.struct(fields.toArray(new Column[0])), Map.of("ignoreNullFields", "true"));
    Column record =
        hasCorrupt
            ? functions
                .when(
                    input.col(CORRUPT).isNotNull(),
                    functions.concat(
                        functions.lit(PartitionTask.BAD_RECORD_PREFIX), input.col(CORRUPT)))
                .otherwise(json)
            : json;
    if (options.keepInputPartitioning()) {
      return input.select(record.as(RECORD));
    }
    int n =
        options.partitions() > 0
            ? options.partitions()
            : Math.max(input.rdd().getNumPartitions(), spark.sparkContext().defaultParallelism());
    Column key = record;
    StructField id =
        Arrays.stream(input.schema().fields())
            .filter(f -> f.name().equals(options.idField()))
            .findFirst()
            .orElse(null);
    if (id != null && id.dataType() instanceof AtomicType) {
      key = functions.coalesce(input.col(quoted(options.idField())).cast("string"), record);
    }
    return input
        .select(record.as(RECORD), key.as(KEY))
        .repartition(n, functions.col(KEY))
        .select(functions.col(RECORD));
  }

  /** A column name as Spark reads it literally (a dot in a name is not a struct access). */
  private static String quoted(String name) {
    return "`" + name.replace("`", "``") + "`";
  }

  /** Builds the graph on the driver to fail fast on an invalid one and to learn its notices. */
  private static List<String> dryBuild(Plan plan) {
    try (ExecutorContextImpl ctx =
        new ExecutorContextImpl(plan, -1, 0, 0, null, ExecutorContextImpl.processEnvironment())) {
      Graph g = plan.graph().create(ctx);
      OutputMapper m = plan.mapper().create(ctx);
      Pipeline p =
          Pipeline.builder()
              .graph(g)
              .source(Sources.of(List.of()))
              .sink(Sinks.discard())
              .outputMapper(m)
              .build();
      return p.notices();
    } catch (SygraException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new SygraException("the graph factory failed on the driver: " + e, e);
    }
  }

  private static void checkSerializable(PartitionRunner runner) {
    try (ObjectOutputStream out = new ObjectOutputStream(new ByteArrayOutputStream())) {
      out.writeObject(runner);
    } catch (NotSerializableException e) {
      throw new ConfigurationException(
          "graph",
          "the graph factory, output mapper factory or schema is not serializable: it holds a "
              + e.getMessage()
              + ". Build clients and other resources inside the factory, from ExecutorContext,"
              + " instead of capturing them");
    } catch (IOException e) {
      throw new ConfigurationException("graph", "cannot serialize the job's plan: " + e);
    }
  }

  /** Builds a {@link SparkPipeline}. Not thread-safe. */
  public static final class Builder {
    private GraphFactory graph;
    private OutputMapperFactory mapper = OutputMapperFactory.identity();
    private OutputSchema schema = OutputSchema.json();
    private SparkRunOptions options = SparkRunOptions.defaults();

    private Builder() {}

    /** The graph factory (required). */
    public Builder graph(GraphFactory factory) {
      this.graph = Objects.requireNonNull(factory, "graph");
      return this;
    }

    /** The output mapper factory (default: every state value). */
    public Builder outputMapper(OutputMapperFactory factory) {
      this.mapper = Objects.requireNonNull(factory, "outputMapper");
      return this;
    }

    /** How outputs become columns (default {@link OutputSchema#json()}). */
    public Builder outputSchema(OutputSchema schema) {
      this.schema = Objects.requireNonNull(schema, "outputSchema");
      return this;
    }

    /** The run options (default {@link SparkRunOptions#defaults()}). */
    public Builder options(SparkRunOptions options) {
      this.options = Objects.requireNonNull(options, "options");
      return this;
    }

    /**
     * Builds the pipeline.
     *
     * @throws ConfigurationException when the graph factory is missing or an output column clashes
     *     with a result column
     */
    public SparkPipeline build() {
      ConfigurationException.check(graph != null, "graph", "a GraphFactory is required");
      schema.resultSchema(options.idField());
      return new SparkPipeline(this);
    }
  }
}
