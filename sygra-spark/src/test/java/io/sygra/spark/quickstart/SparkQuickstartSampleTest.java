package io.sygra.spark.quickstart;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sygra.core.run.RunReport;
import io.sygra.llm.SimulatedModelClient;
import io.sygra.samples.Sample;
import io.sygra.samples.SampleContext;
import io.sygra.samples.Samples;
import io.sygra.spark.SparkTests;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SparkQuickstartSampleTest {
  @TempDir Path tmp;

  private RunReport run(Path out, ByteArrayOutputStream printed) {
    SparkTests.spark(); // reuse the shared session; the sample leaves a session it did not make
    Sample sample = Samples.find("spark-quickstart").orElseThrow();
    SampleContext ctx =
        SampleContext.builder()
            .outDir(out)
            .records(12L)
            .concurrency(8)
            .input(SparkTests.fixture(SparkQuickstart.FIXTURE))
            .env(Map.of())
            .out(new PrintStream(printed, true, StandardCharsets.UTF_8))
            .build();
    return sample.run(ctx);
  }

  @Test
  void writesParquetJsonlAndReportInLocalModeAndResumes() throws Exception {
    Path out = tmp.resolve("run");
    ByteArrayOutputStream printed = new ByteArrayOutputStream();

    RunReport report = run(out, printed);

    String firstLine = printed.toString(StandardCharsets.UTF_8).lines().findFirst().orElse("");
    assertThat(firstLine).isEqualTo(SimulatedModelClient.NOTICE);
    assertThat(report.status()).isEqualTo("completed");
    assertThat(report.sourceRecords()).isEqualTo(12);
    assertThat(report.reconciles()).isTrue();
    assertThat(report.written() + report.dropped()).isEqualTo(12);
    assertThat(report.written()).isPositive();

    Dataset<Row> parquet =
        SparkTests.spark().read().parquet(out.resolve("output.parquet").toString());
    assertThat(parquet.count()).isEqualTo(report.written());
    assertThat(parquet.columns())
        .containsExactly("id", "messages", "tools", "reply_words", "reply_chars", "has_input");
    assertThat(SparkTests.spark().read().json(out.resolve("output.jsonl").toString()).count())
        .isEqualTo(report.written());
    JsonNode json = new ObjectMapper().readTree(out.resolve("report.json").toFile());
    assertThat(json.get("input").asLong()).isEqualTo(report.input());
    assertThat(json.get("written").asLong()).isEqualTo(report.written());
    assertThat(json.has("elapsedMs")).isTrue();
    assertThat(json.at("/spark/partitions").asInt()).isEqualTo(SparkQuickstartSample.PARTITIONS);
    assertThat(out.resolve("checkpoints").resolve("spark-quickstart")).isDirectory();

    RunReport again = run(out, new ByteArrayOutputStream());

    assertThat(again.skippedDone()).as("the second run resumed every record").isEqualTo(12);
    assertThat(again.nothingNew()).isTrue();
    assertThat(again.written()).isEqualTo(report.written());
  }
}
