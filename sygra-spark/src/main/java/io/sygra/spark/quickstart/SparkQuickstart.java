package io.sygra.spark.quickstart;

import io.sygra.core.ConfigurationException;
import io.sygra.core.Graph;
import io.sygra.core.Nodes;
import io.sygra.core.State;
import io.sygra.llm.LlmNode;
import io.sygra.llm.ModelClient;
import io.sygra.llm.SimulatedModelClient;
import io.sygra.spark.GraphFactory;
import io.sygra.spark.OutputSchema;
import io.sygra.spark.SparkPipeline;
import io.sygra.spark.SparkRunOptions;
import io.sygra.spark.SparkRunReport;
import io.sygra.spark.SparkRunResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;

/**
 * The Spark quickstart: instruction-following SFT data from Alpaca-style rows ({@code instruction},
 * optional {@code input}). Each row becomes a user turn, a model writes the assistant turn, cheap
 * quality tags are computed, and replies under {@value #MIN_WORDS} words are dropped. Output: TRL
 * {@code messages} plus the tags as columns, in Parquet and JSON Lines, with {@code report.json}.
 *
 * <p>Runs in local mode through {@code ./sygra run spark-quickstart}, or on a cluster:
 *
 * <pre>
 * spark-submit --class io.sygra.spark.quickstart.SparkQuickstart --master yarn \
 *   sygra-spark-all.jar --input hdfs:///data/alpaca.json --out hdfs:///out/sft \
 *   --checkpoints /mnt/shared/sygra --run-id sft-1
 * </pre>
 *
 * <p>The model is the endpoint the executors' environment configures ({@code OPENAI_API_KEY},
 * {@code SYGRA_BASE_URL}, {@code SYGRA_MODEL}), or the offline simulated model when there is none.
 */
public final class SparkQuickstart {
  /** Replies shorter than this many words are dropped. */
  public static final int MIN_WORDS = 5;

  /** The default input, relative to the shared fixtures directory. */
  public static final String FIXTURE = "sft/llamafactory_alpaca_en_demo.json";

  private SparkQuickstart() {}

  /**
   * What to run.
   *
   * @param input a path Spark can read ({@code .json}, {@code .jsonl}, {@code .parquet})
   * @param out the output directory (any Hadoop filesystem URI or local path)
   * @param records rows to take from the input; 0 for all
   * @param partitions partitions (tasks) to run in
   * @param concurrency records in flight per partition
   * @param checkpoints the checkpoint root (shared by all executors on a cluster)
   * @param runId the run id; running again with the same one resumes
   */
  public record Settings(
      String input,
      String out,
      long records,
      int partitions,
      int concurrency,
      String checkpoints,
      String runId) {
    /** Validates the fields. */
    public Settings {
      ConfigurationException.check(input != null && !input.isBlank(), "input", "is required");
      ConfigurationException.check(out != null && !out.isBlank(), "out", "is required");
      ConfigurationException.check(records >= 0, "records", "must be >= 0, was " + records);
      ConfigurationException.check(
          partitions >= 1, "partitions", "must be >= 1, was " + partitions);
      ConfigurationException.check(
          concurrency >= 1, "concurrency", "must be >= 1, was " + concurrency);
      Objects.requireNonNull(checkpoints, "checkpoints");
      Objects.requireNonNull(runId, "runId");
    }
  }

  /** The graph: prompt → answer (model) → tag → keep. Built on each executor. */
  public static GraphFactory graph() {
    return ctx -> {
      ModelClient model =
          ctx.modelClientFromEnv()
              .orElseGet(
                  () -> ctx.closeAfterPartition(SimulatedModelClient.builder().seed(42).build()));
      return Graph.builder()
          .name("spark-quickstart")
          .inputs("instruction")
          .node("prompt", Nodes.lambda(SparkQuickstart::userTurn))
          .node(
              "answer",
              LlmNode.builder()
                  .client(model)
                  .system("You are a helpful assistant. Answer accurately and concisely.")
                  .history("messages")
                  .temperature(0)
                  .maxTokens(256)
                  .appendMessage()
                  .build())
          .node("tag", Nodes.lambda(SparkQuickstart::tags))
          .node(
              "keep",
              Nodes.filter(
                  s -> ((Number) s.get("words")).intValue() >= MIN_WORDS,
                  s -> "reply shorter than " + MIN_WORDS + " words"))
          .chain(Graph.START, "prompt", "answer", "tag", "keep", Graph.END)
          .build();
    };
  }

  static State userTurn(State s) {
    String instruction = s.getString("instruction");
    Object in = s.get("input");
    String text = in instanceof String i && !i.isBlank() ? instruction + "\n\n" + i : instruction;
    return s.withMessage("user", text);
  }

  static State tags(State s) {
    List<Map<String, Object>> messages = s.messages();
    Object content = messages.get(messages.size() - 1).get("content");
    String reply = content == null ? "" : content.toString().trim();
    int words = reply.isEmpty() ? 0 : reply.split("\\s+").length;
    Map<String, Object> quality = new LinkedHashMap<>();
    quality.put("reply_words", words);
    quality.put("reply_chars", reply.length());
    quality.put("has_input", s.get("input") instanceof String i && !i.isBlank());
    return s.with("words", words).with("quality", quality);
  }

  /** TRL messages plus the quality tags as typed columns. */
  public static OutputSchema schema() {
    return OutputSchema.trlSft()
        .withColumn("reply_words", DataTypes.IntegerType, "quality.reply_words")
        .withColumn("reply_chars", DataTypes.IntegerType, "quality.reply_chars")
        .withColumn("has_input", DataTypes.BooleanType, "quality.has_input");
  }

  /** Plans the run (nothing runs until {@link SparkRunResult#writeTo}). */
  public static SparkRunResult plan(SparkSession spark, Settings s) {
    Dataset<Row> input = SparkPipeline.read(spark, s.input());
    if (s.records() > 0) {
      input = input.limit((int) Math.min(Integer.MAX_VALUE, s.records()));
    }
    return SparkPipeline.builder()
        .graph(graph())
        .outputSchema(schema())
        .options(
            SparkRunOptions.builder()
                .partitions(s.partitions())
                .concurrency(s.concurrency())
                .checkpointDirectory(s.checkpoints())
                .runId(s.runId())
                .build())
        .build()
        .run(input);
  }

  /**
   * The fixture the quickstart reads when no input is given: {@value #FIXTURE} under {@code
   * -Dsygra.fixtures}, {@code $SYGRA_FIXTURES}, or {@code ../shared/fixtures}.
   *
   * @throws ConfigurationException when none of those exists
   */
  public static Path defaultInput(Map<String, String> env) {
    List<Path> candidates = new ArrayList<>();
    String prop = System.getProperty("sygra.fixtures");
    if (prop != null && !prop.isBlank()) {
      candidates.add(Path.of(prop));
    }
    String var = env.get("SYGRA_FIXTURES");
    if (var != null && !var.isBlank()) {
      candidates.add(Path.of(var));
    }
    candidates.add(Path.of("..", "shared", "fixtures"));
    for (Path dir : candidates) {
      Path p = dir.resolve(FIXTURE);
      if (Files.isRegularFile(p)) {
        return p.toAbsolutePath().normalize();
      }
    }
    throw new ConfigurationException(
        "input",
        "no --input given and "
            + FIXTURE
            + " was not found under "
            + candidates
            + "; pass --input FILE or set -Dsygra.fixtures=DIR");
  }

  /**
   * spark-submit entry point. Arguments: {@code --input PATH --out DIR [--records N] [--partitions
   * N] [--concurrency N] [--checkpoints DIR] [--run-id ID]}. Exits 0 when every partition
   * completed, 1 otherwise, 2 on a usage error.
   */
  public static void main(String[] args) {
    Map<String, String> a = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      String k = args[i];
      if (!k.startsWith("--") || i + 1 >= args.length) {
        System.err.println(
            "usage: SparkQuickstart --input PATH --out DIR [--records N] [--partitions N]"
                + " [--concurrency N] [--checkpoints DIR] [--run-id ID]");
        System.exit(2);
      }
      a.put(k.substring(2), args[++i]);
    }
    SparkSession spark = SparkSession.builder().appName("sygra-spark-quickstart").getOrCreate();
    int code;
    try {
      Settings s =
          new Settings(
              a.containsKey("input") ? a.get("input") : defaultInput(System.getenv()).toString(),
              a.get("out"),
              Long.parseLong(a.getOrDefault("records", "0")),
              Integer.parseInt(
                  a.getOrDefault(
                      "partitions", Integer.toString(spark.sparkContext().defaultParallelism()))),
              Integer.parseInt(a.getOrDefault("concurrency", "64")),
              a.getOrDefault(
                  "checkpoints",
                  Path.of(System.getProperty("java.io.tmpdir"), "sygra-spark").toString()),
              a.getOrDefault("run-id", "spark-quickstart"));
      SparkRunResult result = plan(spark, s);
      result.notices().forEach(System.out::println);
      SparkRunReport report = result.writeTo(s.out());
      System.out.println(report.summary());
      System.out.println("output: " + s.out());
      code = report.complete() && report.reconciles() ? 0 : 1;
    } catch (ConfigurationException | NumberFormatException e) {
      System.err.println("sygra-spark-quickstart: " + e.getMessage());
      code = 2;
    } finally {
      spark.stop();
    }
    System.exit(code);
  }
}
