package io.sygra.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sygra.core.ConfigurationException;
import io.sygra.core.Graph;
import io.sygra.core.run.OutputMapper;
import io.sygra.schema.Conversation;
import io.sygra.schema.Format;
import io.sygra.schema.FormatReader;
import io.sygra.schema.ReadResult;
import io.sygra.schema.Role;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SparkPipelineTest {
  @TempDir Path tmp;

  private final SparkSession spark = SparkTests.spark();

  private SparkRunOptions.Builder options() {
    return SparkRunOptions.builder().checkpointDirectory(tmp.resolve("checkpoints"));
  }

  @Test
  void runsAlpacaFixtureIntoTrlSftColumnsAndCountsReconcile() {
    Dataset<Row> input =
        SparkPipeline.read(
            spark, SparkTests.fixture("sft/llamafactory_alpaca_en_demo.json").toString());
    long rows = input.count();
    SparkRunResult result =
        SparkPipeline.builder()
            .graph(TestGraphs.alpacaSft("alpaca"))
            .outputSchema(
                OutputSchema.trlSft()
                    .withColumn("words", DataTypes.IntegerType)
                    .withColumn("length_bucket", DataTypes.StringType, "tags.length_bucket"))
            .options(options().partitions(3).build())
            .build()
            .run(input);

    assertThat(result.partitions()).isEqualTo(3);
    assertThat(result.notices()).anyMatch(n -> n.startsWith("SIMULATED MODEL"));
    List<Row> out = result.dataset().collectAsList();
    assertThat(out).hasSize((int) rows);
    Set<String> ids = out.stream().map(r -> r.getString(0)).collect(Collectors.toSet());
    assertThat(ids).as("every id once").hasSize(out.size());
    // The fixture repeats a few records word for word: their content ids collide, and the
    // repeats are dropped as duplicates, exactly as on one machine.
    Map<String, Long> byStatus =
        out.stream()
            .collect(Collectors.groupingBy(r -> r.<String>getAs("status"), Collectors.counting()));
    long distinctContent = input.distinct().count();
    assertThat(byStatus.get("written")).isEqualTo(distinctContent);
    assertThat(byStatus.getOrDefault("dropped", 0L)).isEqualTo(rows - distinctContent);
    assertThat(out)
        .filteredOn(r -> "dropped".equals(r.getAs("status")))
        .allSatisfy(
            r -> {
              assertThat(r.<String>getAs("reason")).startsWith("duplicate id");
              assertThat(r.getString(0)).matches(".+#[0-9]+");
            });

    Row first =
        out.stream().filter(r -> "written".equals(r.getAs("status"))).findFirst().orElseThrow();
    List<Row> messages = first.getList(first.fieldIndex("messages"));
    assertThat(messages).hasSize(2);
    assertThat(messages.get(0).<String>getAs("role")).isEqualTo("user");
    assertThat(messages.get(1).<String>getAs("role")).isEqualTo("assistant");
    assertThat(messages.get(1).<String>getAs("content")).isNotBlank();
    int words = first.getAs("words");
    assertThat(words)
        .isEqualTo(messages.get(1).<String>getAs("content").trim().split("\\s+").length);
    assertThat(first.<String>getAs("length_bucket")).isIn("short", "long");

    SparkRunReport report = result.report();
    assertThat(report.complete()).isTrue();
    assertThat(report.reconciles()).isTrue();
    assertThat(report.sourceRecords()).isEqualTo(rows);
    assertThat(report.written()).isEqualTo(distinctContent);
    assertThat(report.dropReasons().keySet()).allMatch(k -> k.startsWith("duplicate id"));
    assertThat(report.retriedPartitions()).isZero();
  }

  @Test
  void everyRecordEndsWrittenDroppedOrFailedWithItsReason() {
    Dataset<Row> input = spark.range(0, 40, 1, 3).withColumn("n", functions.col("id"));
    SparkRunResult result =
        SparkPipeline.builder()
            .graph(TestGraphs.dropsAndFailures("drops"))
            .outputMapper(ctx -> OutputMapper.builder().pick("n", "answer").build())
            .options(options().partitions(2).build())
            .build()
            .run(input);

    Map<String, Row> byId = new HashMap<>();
    for (Row r : result.dataset().collectAsList()) {
      assertThat(byId.put(r.getString(0), r)).as("id %s once", r.getString(0)).isNull();
    }
    assertThat(byId).hasSize(40);
    for (int n = 0; n < 40; n++) {
      Row r = byId.get(Integer.toString(n));
      if (n % 2 == 1) {
        assertThat(r.<String>getAs("status")).isEqualTo("dropped");
        assertThat(r.<String>getAs("node")).isEqualTo("even");
        assertThat(r.<String>getAs("reason")).isEqualTo("odd: " + n);
        assertThat(r.<String>getAs("output")).isNull();
      } else if (n % 5 == 0) {
        assertThat(r.<String>getAs("status")).isEqualTo("failed");
        assertThat(r.<String>getAs("node")).isEqualTo("check");
        assertThat(r.<String>getAs("error"))
            .isEqualTo("IllegalStateException: multiple of five: " + n);
      } else {
        assertThat(r.<String>getAs("status")).isEqualTo("written");
        assertThat(r.<String>getAs("output")).startsWith("{\"n\":" + n + ",\"answer\":\"");
      }
    }
    assertThat(TestGraphs.calls("drops")).as("one model call per written record").isEqualTo(16);
    SparkRunReport report = result.report();
    assertThat(report.reconciles()).isTrue();
    assertThat(report.input()).isEqualTo(40);
    assertThat(report.written()).isEqualTo(16);
    assertThat(report.dropped()).isEqualTo(20);
    assertThat(report.failed()).isEqualTo(4);
    assertThat(report.failures()).containsEntry("IllegalStateException", 4L);
    assertThat(result.dropped().count()).isEqualTo(20);
    assertThat(result.failed().count()).isEqualTo(4);
    assertThat(result.written().columns()).containsExactly("id", "output");
  }

  @Test
  void fanOutChildrenGetLineageIdsAndTheReportCountsThem() {
    Dataset<Row> input =
        spark.createDataFrame(
            List.of(
                RowFactory.create("a", 3L), RowFactory.create("b", 1L), RowFactory.create("c", 2L)),
            new StructType().add("id", DataTypes.StringType).add("k", DataTypes.LongType));
    SparkRunResult result =
        SparkPipeline.builder()
            .graph(TestGraphs.fanOut())
            .options(options().partitions(2).build())
            .build()
            .run(input);

    List<String> ids =
        result.dataset().collectAsList().stream().map(r -> r.getString(0)).sorted().toList();

    assertThat(ids).containsExactly("a/0", "a/1", "a/2", "b/0", "c/0", "c/1");
    SparkRunReport report = result.report();
    assertThat(report.sourceRecords()).isEqualTo(3);
    assertThat(report.fanOutAdded()).isEqualTo(3);
    assertThat(report.input()).isEqualTo(6);
    assertThat(report.reconciles()).isTrue();
  }

  @Test
  void duplicateIdsInDifferentInputPartitionsMeetAndAreDroppedOnce() {
    // Four input partitions; id "dup" appears in the first and the last.
    Dataset<Row> input =
        spark
            .createDataFrame(
                List.of(
                    RowFactory.create("dup", "first"),
                    RowFactory.create("x", "x"),
                    RowFactory.create("y", "y"),
                    RowFactory.create("dup", "second")),
                new StructType().add("id", DataTypes.StringType).add("text", DataTypes.StringType))
            .repartition(4);
    SparkRunResult result =
        SparkPipeline.builder()
            .graph(TestGraphs.identity())
            .options(options().partitions(3).build())
            .build()
            .run(input);

    List<Row> rows = result.dataset().collectAsList();

    assertThat(rows).hasSize(4);
    assertThat(rows.stream().map(r -> r.getString(0)).collect(Collectors.toSet()))
        .containsExactlyInAnyOrder("dup", "dup#2", "x", "y");
    Row dup2 = rows.stream().filter(r -> r.getString(0).equals("dup#2")).findFirst().orElseThrow();
    assertThat(dup2.<String>getAs("status")).isEqualTo("dropped");
    assertThat(dup2.<String>getAs("reason")).contains("duplicate id");
  }

  @Test
  void writesTrlSftParquetAndJsonlThatSygraSchemaReadsBack() throws IOException {
    Dataset<Row> input =
        SparkPipeline.read(
                spark, SparkTests.fixture("sft/llamafactory_alpaca_en_demo.json").toString())
            .limit(40);
    SparkRunResult result =
        SparkPipeline.builder()
            .graph(TestGraphs.alpacaSft("alpaca-write"))
            .outputSchema(
                OutputSchema.trlSft()
                    .withColumn("has_input", DataTypes.BooleanType, "tags.has_input"))
            .options(options().partitions(2).build())
            .build()
            .run(input);
    Path out = tmp.resolve("out");

    SparkRunReport report = result.writeTo(out.toString());

    assertThat(report.complete()).isTrue();
    assertThat(report.reconciles()).isTrue();
    assertThat(Files.readString(out.resolve("report.json")))
        .contains("\"written\" : " + report.written());
    Dataset<Row> parquet = spark.read().parquet(out.resolve("output.parquet").toString());
    assertThat(parquet.count()).isEqualTo(report.written());
    StructType schema = parquet.schema();
    assertThat(schema.fieldNames()).containsExactly("id", "messages", "tools", "has_input");
    ArrayType messages = (ArrayType) schema.apply("messages").dataType();
    assertThat(((StructType) messages.elementType()).fieldNames()).startsWith("role", "content");

    List<Conversation> read = new ArrayList<>();
    try (Stream<Path> parts = Files.list(out.resolve("output.jsonl"))) {
      for (Path part : parts.filter(p -> p.toString().endsWith(".json")).toList()) {
        try (FormatReader r = FormatReader.open(Format.TRL_SFT, part)) {
          while (r.hasNext()) {
            ReadResult rr = r.next();
            assertThat(rr).as("%s", rr).isInstanceOf(ReadResult.Ok.class);
            read.add((Conversation) ((ReadResult.Ok) rr).example());
          }
        }
      }
    }
    assertThat(read).hasSize((int) report.written());
    assertThat(read)
        .allSatisfy(
            c -> {
              assertThat(c.messages()).hasSize(2);
              assertThat(c.messages().get(0).role()).isEqualTo(Role.USER);
              assertThat(c.messages().get(1).role()).isEqualTo(Role.ASSISTANT);
              assertThat(c.messages().get(1).hasContent()).isTrue();
            });
  }

  @Test
  void sygraQualityTagsBecomeColumns() throws IOException {
    Dataset<Row> input =
        SparkPipeline.read(
                spark, SparkTests.fixture("sft/llamafactory_alpaca_en_demo.json").toString())
            .limit(20);
    SparkRunResult result =
        SparkPipeline.builder()
            .graph(TestGraphs.alpacaWithQualityTags())
            .outputSchema(OutputSchema.trlSft().withQualityColumns())
            .options(options().partitions(2).build())
            .build()
            .run(input);

    List<Row> rows = result.written().collectAsList();

    assertThat(rows).isNotEmpty();
    com.fasterxml.jackson.databind.ObjectMapper json =
        new com.fasterxml.jackson.databind.ObjectMapper();
    for (Row r : rows) {
      com.fasterxml.jackson.databind.JsonNode quality = json.readTree(r.<String>getAs("quality"));
      assertThat(r.<Long>getAs("quality_tokens"))
          .isPositive()
          .isEqualTo(quality.at("/heuristic/shape/tokens").asLong());
      assertThat(r.<Boolean>getAs("quality_passed")).isEqualTo(quality.get("passed").asBoolean());
      assertThat(r.getList(r.fieldIndex("quality_reasons"))).hasSize(quality.get("reasons").size());
      assertThat(r.<String>getAs("quality_language")).as("no language tagger").isNull();
      assertThat(r.<Double>getAs("quality_llm_overall")).as("no judge").isNull();
    }
  }

  @Test
  void writesTrlDpoColumnsFromThePreferenceFixture() {
    Dataset<Row> input =
        SparkPipeline.read(
                spark,
                SparkTests.fixture("preference/llamafactory_dpo_en_demo_sharegpt.json").toString())
            .limit(30);
    SparkRunResult result =
        SparkPipeline.builder()
            .graph(TestGraphs.shareGptToDpo("dpo"))
            .outputSchema(OutputSchema.trlDpo())
            .options(options().partitions(2).build())
            .build()
            .run(input);

    List<Row> rows = result.dataset().collectAsList();

    assertThat(rows).hasSize(30);
    List<Row> written = rows.stream().filter(r -> "written".equals(r.getAs("status"))).toList();
    assertThat(written).isNotEmpty();
    for (Row r : written) {
      List<Row> prompt = r.getList(r.fieldIndex("prompt"));
      List<Row> chosen = r.getList(r.fieldIndex("chosen"));
      List<Row> rejected = r.getList(r.fieldIndex("rejected"));
      assertThat(prompt).isNotEmpty();
      assertThat(prompt.get(prompt.size() - 1).<String>getAs("role")).isEqualTo("user");
      assertThat(chosen)
          .singleElement()
          .satisfies(m -> assertThat(m.<String>getAs("role")).isEqualTo("assistant"));
      assertThat(rejected)
          .singleElement()
          .satisfies(m -> assertThat(m.<String>getAs("role")).isEqualTo("assistant"));
      assertThat(chosen.get(0).<String>getAs("content"))
          .isNotEqualTo(rejected.get(0).<String>getAs("content"));
    }
    // Rows the TRL writer or validator refuses are failures at node "output", never silent.
    assertThat(rows)
        .filteredOn(r -> "failed".equals(r.getAs("status")))
        .allSatisfy(r -> assertThat(r.<String>getAs("node")).isEqualTo("output"));
    assertThat(result.report().reconciles()).isTrue();
  }

  @Test
  void anOutputThatDoesNotFitTheStructFailsAtNodeOutputWithThePath() {
    Dataset<Row> input = spark.range(0, 6, 1, 2).withColumn("n", functions.col("id"));
    SparkRunResult result =
        SparkPipeline.builder()
            .graph(TestGraphs.identity())
            .outputMapper(
                ctx ->
                    OutputMapper.builder()
                        .computed(
                            "value",
                            s -> ((Number) s.get("n")).longValue() < 3 ? (Object) 7 : "seven")
                        .build())
            .outputSchema(OutputSchema.struct(new StructType().add("value", DataTypes.IntegerType)))
            .options(options().partitions(2).build())
            .build()
            .run(input);

    Map<String, Row> byId = new HashMap<>();
    result.dataset().collectAsList().forEach(r -> byId.put(r.getString(0), r));

    assertThat(byId.get("1").<String>getAs("status")).isEqualTo("written");
    assertThat(byId.get("1").<Integer>getAs("value")).isEqualTo(7);
    assertThat(byId.get("4").<String>getAs("status")).isEqualTo("failed");
    assertThat(byId.get("4").<String>getAs("node")).isEqualTo("output");
    assertThat(byId.get("4").<String>getAs("error"))
        .contains("$.value: expected integer, found string");
    assertThat(result.report().failed()).isEqualTo(3);
    assertThat(result.report().reconciles()).isTrue();
  }

  @Test
  void malformedJsonlLinesBecomeFailedRecordsUnderSkipAndRecord() throws IOException {
    Path file = tmp.resolve("in.jsonl");
    Files.writeString(
        file, "{\"id\":\"a\",\"x\":1}\n{\"id\":\"b\",\"x\":2\n{\"id\":\"c\",\"x\":3}\n");
    SparkRunResult result =
        SparkPipeline.builder()
            .graph(TestGraphs.identity())
            .options(
                options()
                    .partitions(1)
                    .badRecordPolicy(io.sygra.core.run.RunOptions.BadRecordPolicy.SKIP_AND_RECORD)
                    .build())
            .build()
            .run(spark, file.toString());

    List<Row> rows = result.dataset().collectAsList();

    assertThat(rows).hasSize(3);
    Row bad =
        rows.stream().filter(r -> "failed".equals(r.getAs("status"))).findFirst().orElseThrow();
    assertThat(bad.<String>getAs("node")).isEqualTo("source");
    assertThat(bad.<String>getAs("error"))
        .contains("malformed input line")
        .contains("\"id\":\"b\"");
    assertThat(
            rows.stream().filter(r -> "written".equals(r.getAs("status"))).map(r -> r.getString(0)))
        .containsExactlyInAnyOrder("a", "c");
    assertThat(result.report().reconciles()).isTrue();
  }

  @Test
  void nestedInputBecomesJsonObjectsAndDottedNamesStayLiteral() {
    Dataset<Row> input =
        spark
            .range(0, 3, 1, 1)
            .select(
                functions.col("id"),
                functions
                    .struct(
                        functions.lit("fixture").as("source"),
                        functions.lit(null).cast("string").as("note"))
                    .as("meta"),
                functions.array(functions.lit(1), functions.lit(2)).as("nums"),
                functions.lit("x").as("a.b"));
    SparkRunResult result =
        SparkPipeline.builder()
            .graph(TestGraphs.identity())
            .options(options().partitions(1).build())
            .build()
            .run(input);

    Row r = result.written().collectAsList().get(0);

    assertThat(r.<String>getAs("output"))
        .isEqualTo("{\"meta\":{\"source\":\"fixture\"},\"nums\":[1,2],\"a.b\":\"x\"}");
  }

  @Test
  void anInvalidGraphFailsOnTheDriverBeforeAnyTask() {
    SparkPipeline p =
        SparkPipeline.builder()
            .graph(ctx -> Graph.builder().chain(Graph.START, "missing", Graph.END).build())
            .options(options().build())
            .build();
    assertThatThrownBy(() -> p.run(spark.range(3).toDF())).hasMessageContaining("missing");
  }

  @Test
  void readRefusesAPathWhoseFormatItCannotTell() {
    assertThatThrownBy(() -> SparkPipeline.read(spark, "data.csv"))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("cannot tell the format");
  }
}
