package io.sygra.spark;

import io.sygra.core.Graph;
import io.sygra.core.Nodes;
import io.sygra.core.run.Pipeline;
import io.sygra.core.run.RunOptions;
import io.sygra.core.run.RunReport;
import io.sygra.core.run.Sources;
import io.sygra.llm.LlmNode;
import io.sygra.llm.ModelClient;
import io.sygra.llm.SimulatedModelClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/**
 * Records per second of the same graph on the single-machine {@link Pipeline} and on {@link
 * SparkPipeline} in local mode, with the simulated model answering after a fixed latency. Not a
 * test (speed is never asserted in tests); run it by hand, see {@code sygra-spark/BENCHMARKS.md}:
 *
 * <pre>
 * java [--add-opens flags] -cp ... io.sygra.spark.SparkThroughputBenchmark \
 *     [--records 10000] [--latency-ms 50] [--concurrency 128] [--master local[2]] [--partitions 2]
 * </pre>
 *
 * <p>Both sides run the graph with run directories (the exactly-once mode) and the same total
 * concurrency: the single machine with {@code concurrency} records in flight, Spark with {@code
 * concurrency / partitions} in each of its partitions. Spark's session start is measured apart.
 */
public final class SparkThroughputBenchmark {
  private SparkThroughputBenchmark() {}

  /** prompt → answer (simulated, fixed latency) → tag. */
  static GraphFactory graph(long latencyMillis) {
    return ctx -> {
      ModelClient model =
          ctx.closeAfterPartition(
              SimulatedModelClient.builder()
                  .seed(7)
                  .latency(Duration.ofMillis(latencyMillis))
                  .build());
      return Graph.builder()
          .name("throughput")
          .node(
              "prompt",
              Nodes.lambda(s -> s.withMessage("user", "Explain " + s.getString("topic") + ".")))
          .node(
              "answer",
              LlmNode.builder()
                  .client(model)
                  .history("messages")
                  .temperature(0)
                  .maxTokens(48)
                  .appendMessage()
                  .build())
          .node(
              "tag",
              Nodes.lambda(
                  s -> {
                    List<Map<String, Object>> m = s.messages();
                    return s.with(
                        "chars", String.valueOf(m.get(m.size() - 1).get("content")).length());
                  }))
          .chain(Graph.START, "prompt", "answer", "tag", Graph.END)
          .build();
    };
  }

  private static List<Map<String, Object>> records(int n, String prefix) {
    List<Map<String, Object>> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(Map.of("id", prefix + i, "topic", "topic " + i + " of " + prefix));
    }
    return out;
  }

  private static double singleMachine(int n, long latency, int concurrency, Path dir, String tag) {
    Graph g = graph(latency).create(new BenchContext());
    Pipeline p =
        Pipeline.builder()
            .graph(g)
            .source(Sources.of(records(n, tag)))
            .runDirectory(dir.resolve("single-" + tag))
            .options(
                RunOptions.builder()
                    .concurrency(concurrency)
                    .progress(RunOptions.ProgressMode.NEVER)
                    .build())
            .build();
    long t0 = System.nanoTime();
    RunReport r = p.run();
    double secs = (System.nanoTime() - t0) / 1e9;
    if (r.written() != n) {
      throw new IllegalStateException("single machine wrote " + r.written() + " of " + n);
    }
    return n / secs;
  }

  private static double spark(
      SparkSession spark,
      int n,
      long latency,
      int concurrency,
      int partitions,
      Path dir,
      String tag) {
    Dataset<Row> input =
        spark
            .range(0, n, 1, partitions)
            .select(
                functions.concat(functions.lit(tag), functions.col("id")).as("id"),
                functions
                    .concat(
                        functions.lit("topic "), functions.col("id"), functions.lit(" of " + tag))
                    .as("topic"));
    SparkRunResult result =
        SparkPipeline.builder()
            .graph(graph(latency))
            .options(
                SparkRunOptions.builder()
                    .partitions(partitions)
                    .concurrency(Math.max(1, concurrency / partitions))
                    .checkpointDirectory(dir.resolve("spark-" + tag))
                    .build())
            .build()
            .run(input);
    long t0 = System.nanoTime();
    long rows = result.dataset().count();
    double secs = (System.nanoTime() - t0) / 1e9;
    if (rows != n || result.report().written() != n) {
      throw new IllegalStateException("spark wrote " + result.report().written() + " of " + n);
    }
    return n / secs;
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> a = new java.util.HashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      a.put(args[i].replaceFirst("^--", ""), args[i + 1]);
    }
    int n = Integer.parseInt(a.getOrDefault("records", "10000"));
    long latency = Long.parseLong(a.getOrDefault("latency-ms", "50"));
    int concurrency = Integer.parseInt(a.getOrDefault("concurrency", "128"));
    String master = a.getOrDefault("master", "local[2]");
    int partitions = Integer.parseInt(a.getOrDefault("partitions", "2"));
    int rounds = Integer.parseInt(a.getOrDefault("rounds", "3"));
    Path dir = Files.createTempDirectory("sygra-spark-bench");
    try {
      long s0 = System.nanoTime();
      SparkSession spark =
          SparkSession.builder()
              .master(master)
              .appName("sygra-spark-bench")
              .config("spark.ui.enabled", "false")
              .config("spark.sql.shuffle.partitions", Integer.toString(partitions))
              .getOrCreate();
      double startup = (System.nanoTime() - s0) / 1e9;

      // Warm-up: JIT, tokenizer tables, Spark's code generation.
      singleMachine(Math.min(n, 2000), latency, concurrency, dir, "warm");
      spark(spark, Math.min(n, 2000), latency, concurrency, partitions, dir, "warm");

      List<Double> single = new ArrayList<>();
      List<Double> sparkRates = new ArrayList<>();
      for (int r = 0; r < rounds; r++) {
        single.add(singleMachine(n, latency, concurrency, dir, "s" + r));
        sparkRates.add(spark(spark, n, latency, concurrency, partitions, dir, "k" + r));
      }
      spark.stop();

      System.out.printf(
          Locale.ROOT,
          "records=%d latency=%dms concurrency=%d (Spark: %d partitions x %d) master=%s"
              + " cores=%d rounds=%d%n",
          n,
          latency,
          concurrency,
          partitions,
          Math.max(1, concurrency / partitions),
          master,
          Runtime.getRuntime().availableProcessors(),
          rounds);
      System.out.printf(Locale.ROOT, "spark session start: %.1f s%n", startup);
      System.out.printf(
          Locale.ROOT, "| runner | records/s (median) | min | max |%n|---|---|---|---|%n");
      row("single-machine Pipeline", single);
      row("SparkPipeline " + master, sparkRates);
      System.out.printf(
          Locale.ROOT,
          "ideal (concurrency / latency): %.0f records/s%n",
          concurrency * 1000.0 / latency);
    } finally {
      deleteQuietly(dir);
    }
  }

  private static void row(String name, List<Double> rates) {
    List<Double> s = new ArrayList<>(rates);
    s.sort(Comparator.naturalOrder());
    System.out.printf(
        Locale.ROOT,
        "| %s | %.0f | %.0f | %.0f |%n",
        name,
        s.get(s.size() / 2),
        s.get(0),
        s.get(s.size() - 1));
  }

  private static void deleteQuietly(Path dir) {
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A context for building the graph outside Spark (the single-machine side). */
  private static final class BenchContext implements ExecutorContext {
    private final List<AutoCloseable> open = new ArrayList<>();

    @Override
    public int partitionId() {
      return 0;
    }

    @Override
    public int partitions() {
      return 1;
    }

    @Override
    public int attemptNumber() {
      return 0;
    }

    @Override
    public boolean onDriver() {
      return false;
    }

    @Override
    public String runId() {
      return "bench";
    }

    @Override
    public java.util.Optional<Path> partitionDirectory() {
      return java.util.Optional.empty();
    }

    @Override
    public Map<String, String> env() {
      return Map.of();
    }

    @Override
    public RateLimitShare rateLimits() {
      return RateLimitShare.unlimited(1);
    }

    @Override
    public io.sygra.llm.ResilienceConfig resilience() {
      return io.sygra.llm.ResilienceConfig.defaults();
    }

    @Override
    public io.sygra.llm.ResponseCache responseCache() {
      return io.sygra.llm.ResponseCache.inMemory();
    }

    @Override
    public java.util.Optional<ModelClient> modelClientFromEnv() {
      return java.util.Optional.empty();
    }

    @Override
    public <T extends AutoCloseable> T closeAfterPartition(T resource) {
      open.add(resource);
      return resource;
    }
  }
}
