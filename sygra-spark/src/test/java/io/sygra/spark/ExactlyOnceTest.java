package io.sygra.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sygra.core.Graph;
import io.sygra.spark.internal.PartitionRunner;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exactly-once under Spark's semantics, against a MockWebServer endpoint: a task that fails and is
 * retried, and a dataset computed twice, neither duplicate output rows nor repeat a request for a
 * record already answered. Also: API keys reach the endpoint from the executors' configuration and
 * never travel in the job's closures.
 */
class ExactlyOnceTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;

  private final SparkSession spark = SparkTests.spark();
  private MockWebServer server;
  private final Map<String, AtomicInteger> requestsPerQuestion = new ConcurrentHashMap<>();
  private final Set<String> authorizations = ConcurrentHashMap.newKeySet();

  @BeforeEach
  void startServer() throws IOException {
    server = new MockWebServer();
    server.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest request) {
            authorizations.add(String.valueOf(request.getHeaders().get("Authorization")));
            String question;
            try {
              JsonNode body = JSON.readTree(request.getBody().utf8());
              JsonNode messages = body.get("messages");
              question = messages.get(messages.size() - 1).get("content").asText();
            } catch (IOException | RuntimeException e) {
              return new MockResponse.Builder().code(400).body("bad request: " + e).build();
            }
            requestsPerQuestion
                .computeIfAbsent(question, q -> new AtomicInteger())
                .incrementAndGet();
            String answer = "answer to " + question.replace("Answer briefly: ", "");
            return new MockResponse.Builder()
                .addHeader("Content-Type", "application/json")
                .body(
                    "{\"id\":\"c1\",\"object\":\"chat.completion\",\"model\":\"test-model\","
                        + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":"
                        + quote(answer)
                        + "},\"finish_reason\":\"stop\"}],"
                        + "\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":4,\"total_tokens\":9}}")
                .build();
          }
        });
    server.start();
  }

  @AfterEach
  void stopServer() {
    server.close();
  }

  private static String quote(String s) {
    try {
      return JSON.writeValueAsString(s);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private String baseUrl() {
    return server.url("/v1").toString();
  }

  private Dataset<Row> questions(int n, int partitions) {
    return spark
        .range(0, n, 1, partitions)
        .select(
            functions.concat(functions.lit("q"), functions.col("id")).as("id"),
            functions
                .concat(functions.lit("What is "), functions.col("id"), functions.lit("?"))
                .as("question"));
  }

  private SparkPipeline pipeline(SparkRunOptions.Builder options) {
    return SparkPipeline.builder()
        .graph(TestGraphs.remote(baseUrl()))
        .options(options.checkpointDirectory(tmp.resolve("checkpoints")).build())
        .build();
  }

  private void assertEachQuestionAskedOnce(int n) {
    assertThat(requestsPerQuestion).hasSize(n);
    assertThat(requestsPerQuestion.values()).allSatisfy(c -> assertThat(c.get()).isEqualTo(1));
    assertThat(server.getRequestCount()).isEqualTo(n);
  }

  private static void assertEachIdOnce(List<Row> rows, int n) {
    assertThat(rows).hasSize(n);
    assertThat(rows.stream().map(r -> r.getString(0)).collect(Collectors.toSet())).hasSize(n);
    assertThat(rows).allSatisfy(r -> assertThat(r.<String>getAs("status")).isEqualTo("written"));
  }

  @Test
  void taskFailingMidInputIsRetriedWithoutDuplicateRowsOrRequests() {
    int n = 60;
    // Partition 0's first attempt dies after handing 20 records to the graph; Spark retries it.
    Dataset<Row> questions = questions(n, 2);
    Dataset<Row> input =
        questions.mapPartitions(new FailFirstAttempt(0, 20), Encoders.row(questions.schema()));
    SparkRunResult result =
        pipeline(SparkRunOptions.builder().keepInputPartitioning(true)).run(input);

    List<Row> rows = result.dataset().collectAsList();

    assertEachIdOnce(rows, n);
    assertEachQuestionAskedOnce(n);
    for (Row r : rows) {
      String id = r.getString(0);
      Map<?, ?> out = readJson(r.getAs("output"));
      assertThat(out.get("answer")).isEqualTo("answer to What is " + id.substring(1) + "?");
    }
    SparkRunReport report = result.report();
    assertThat(report.complete()).isTrue();
    assertThat(report.reconciles()).isTrue();
    assertThat(report.written()).isEqualTo(n);
    assertThat(report.retriedPartitions()).isEqualTo(1);
    assertThat(report.resumed())
        .as("the 20 records the failed attempt had taken were finished by it, not run again")
        .isEqualTo(20);
    assertThat(report.thisRunWritten() + report.resumed()).isEqualTo(n);
  }

  @Test
  void taskFailingAfterItsOutputIsRetriedFromTheCheckpointWithoutRequests() {
    int n = 40;
    SparkRunResult result = pipeline(SparkRunOptions.builder().partitions(2)).run(questions(n, 3));
    // Downstream of the graph in the same task: partition 1's first attempt dies after 5 rows.
    Dataset<Row> out =
        result
            .dataset()
            .mapPartitions(new FailFirstAttempt(1, 5), Encoders.row(result.dataset().schema()));

    List<Row> rows = out.collectAsList();

    assertEachIdOnce(rows, n);
    assertEachQuestionAskedOnce(n);
    SparkRunReport report = result.report();
    assertThat(report.retriedPartitions()).isEqualTo(1);
    assertThat(report.reconciles()).isTrue();
    assertThat(report.resumed()).as("the retry found its whole partition done").isPositive();
    assertThat(report.thisRunWritten() + report.resumed()).isEqualTo(n);
  }

  @Test
  void computingTheResultAgainMakesNoRequests() {
    int n = 30;
    SparkRunResult result = pipeline(SparkRunOptions.builder().partitions(2)).run(questions(n, 2));
    assertThat(result.dataset().count()).isEqualTo(n);
    assertEachQuestionAskedOnce(n);

    List<Row> again = result.written().collectAsList();

    assertThat(again).hasSize(n);
    assertEachQuestionAskedOnce(n);
    assertThat(result.report().resumed()).isEqualTo(n);
    assertThat(result.report().thisRunWritten()).isZero();
  }

  @Test
  void aNewRunWithTheSameRunIdResumesInsteadOfPayingAgain() {
    int n = 20;
    SparkRunOptions.Builder options = SparkRunOptions.builder().runId("stable-run").partitions(2);
    assertThat(pipeline(options).run(questions(n, 2)).dataset().count()).isEqualTo(n);

    SparkRunResult second = pipeline(options).run(questions(n, 2));

    assertEachIdOnce(second.dataset().collectAsList(), n);
    assertEachQuestionAskedOnce(n);
    assertThat(second.report().resumed()).isEqualTo(n);
  }

  @Test
  void keysComeFromTheExecutorsEnvironmentAndNeverTravelInTheJob() throws IOException {
    SparkRunResult result = pipeline(SparkRunOptions.builder().partitions(2)).run(questions(10, 2));
    assertThat(result.dataset().count()).isEqualTo(10);

    assertThat(authorizations).containsExactly("Bearer " + SparkTests.SECRET);
    String plan = result.dataset().queryExecution().toString();
    assertThat(plan).doesNotContain(SparkTests.SECRET);
    PartitionRunner runner = runnerOf(result);
    assertThat(new String(serialize(runner), StandardCharsets.ISO_8859_1))
        .doesNotContain(SparkTests.SECRET);

    // The check can fail: a factory that captures the key does ship it.
    String captured = SparkTests.SECRET;
    GraphFactory leaky = ctx -> capture(captured);
    assertThat(new String(serialize(leaky), StandardCharsets.ISO_8859_1))
        .contains(SparkTests.SECRET);
  }

  @Test
  void aFactoryThatCapturesAnUnserializableClientIsRejectedBeforeTheJob() {
    Object notSerializable = new Object();
    GraphFactory bad = ctx -> capture(notSerializable.toString());
    SparkPipeline p =
        SparkPipeline.builder()
            .graph(bad)
            .options(SparkRunOptions.builder().checkpointDirectory(tmp.resolve("c")).build())
            .build();
    assertThatThrownBy(() -> p.run(questions(2, 1)))
        .hasMessageContaining("not serializable")
        .hasMessageContaining("java.lang.Object");
  }

  private static Graph capture(String s) {
    throw new UnsupportedOperationException(s);
  }

  /** The function the result's tasks run, with the plan they carry. */
  private static PartitionRunner runnerOf(SparkRunResult result) {
    return new PartitionRunner(result.plan());
  }

  private static byte[] serialize(Object o) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(o);
    }
    return bytes.toByteArray();
  }

  private static Map<?, ?> readJson(String s) {
    try {
      return JSON.readValue(s, Map.class);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Passes rows through, but the first attempt of one partition throws after {@code after} rows.
   */
  static final class FailFirstAttempt implements MapPartitionsFunction<Row, Row> {
    private static final long serialVersionUID = 1L;
    private final int partition;
    private final int after;

    FailFirstAttempt(int partition, int after) {
      this.partition = partition;
      this.after = after;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> input) {
      TaskContext tc = TaskContext.get();
      boolean fail = tc.partitionId() == partition && tc.attemptNumber() == 0;
      return new Iterator<>() {
        private int n;

        @Override
        public boolean hasNext() {
          if (fail && n == after) {
            throw new IllegalStateException(
                "forced failure in partition " + partition + " after " + after + " rows");
          }
          return input.hasNext();
        }

        @Override
        public Row next() {
          n++;
          return input.next();
        }
      };
    }
  }
}
