package io.sygra.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sygra.benchmarks.fake.FakeLlmServer;
import io.sygra.benchmarks.fake.FakeServerStats;
import io.sygra.core.ConfigurationException;
import io.sygra.core.Graph;
import io.sygra.core.GraphValidationException;
import io.sygra.core.Key;
import io.sygra.core.Nodes;
import io.sygra.core.run.Pipeline;
import io.sygra.core.run.RunOptions;
import io.sygra.core.run.RunReport;
import io.sygra.core.run.Source;
import io.sygra.core.run.SourceException;
import io.sygra.core.run.Sources;
import io.sygra.llm.BudgetRegistry;
import io.sygra.llm.HttpOptions;
import io.sygra.llm.LlmNode;
import io.sygra.llm.ModelClient;
import io.sygra.llm.ModelClients;
import io.sygra.llm.ResilienceConfig;
import io.sygra.schema.DpoPairs;
import io.sygra.schema.Format;
import io.sygra.schema.SftPaths;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Guarantee 4 of DESIGN.md §4: bad input gets a clear error and loses nothing. Each kind of hostile
 * input goes through the real sources, the real pipeline (an LLM pipeline over HTTP against the
 * fake server) and the real CLI; the error must name the file and line, the field, or the node and
 * variable; the configured policy must hold (fail fast: stop, keep what was written, report {@code
 * aborted}; skip-and-record: record the bad input in {@code failed.jsonl} and go on); and nothing
 * already written may be lost.
 */
class BadInputTest {
  static final ObjectMapper JSON = new ObjectMapper();

  /** Bad inputs tried, by kind, for RELIABILITY.md. */
  static final Map<String, AtomicInteger> TRIED = new java.util.TreeMap<>();

  /** Records written before a fail-fast abort and checked to be still there, unchanged. */
  static final AtomicInteger KEPT = new AtomicInteger();

  @TempDir Path tmp;
  FakeLlmServer server;
  ModelClient model;

  @BeforeEach
  void startServer() {
    server = FakeLlmServer.builder().latency(Duration.ofMillis(1)).start();
    model =
        ModelClients.builder()
            .endpoint(LlmPipelines.endpoint(server.baseUrl(), Duration.ofSeconds(5)))
            .resilience(ResilienceConfig.defaults())
            .budgets(BudgetRegistry.create())
            .build();
  }

  @AfterEach
  void stopServer() {
    model.close();
    server.close();
  }

  static void tried(String kind) {
    synchronized (TRIED) {
      TRIED.computeIfAbsent(kind, k -> new AtomicInteger()).incrementAndGet();
    }
  }

  /** count (a typed integer) → answer (an LLM call whose prompt uses id and topic). */
  Graph graph() {
    return Graph.builder()
        .name("bad-input")
        .inputs("id", "topic", "count")
        .node("count", Nodes.lambda(s -> s.with("twice", 2 * s.require(Key.integer("count")))))
        .node(
            "answer",
            LlmNode.builder()
                .client(model)
                .user("Record {id}: write about {topic}.")
                .output("answer")
                .build())
        .chain(Graph.START, "count", "answer", Graph.END)
        .build();
  }

  static Map<String, Object> good(int i) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", Inputs.id(i));
    m.put("topic", "topic " + i);
    m.put("count", i);
    return m;
  }

  static byte[] jsonLine(Object value) {
    try {
      return (JSON.writeValueAsString(value) + "\n").getBytes(StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** A JSONL file of {@code n} good records, with line {@code k} (1-based) replaced as given. */
  static Path file(Path p, int n, Map<Integer, byte[]> replaced) throws IOException {
    try (OutputStream out = Files.newOutputStream(p)) {
      for (int line = 1; line <= n; line++) {
        byte[] b = replaced.get(line);
        out.write(b != null ? b : jsonLine(good(line - 1)));
      }
    }
    return p;
  }

  RunReport run(Source source, Path dir, RunOptions.BadRecordPolicy policy) {
    return Pipeline.builder()
        .graph(graph())
        .source(source)
        .runDirectory(dir)
        .options(
            RunOptions.builder()
                .concurrency(8)
                .badRecordPolicy(policy)
                .progress(RunOptions.ProgressMode.NEVER)
                .build())
        .build()
        .run();
  }

  static String answerKey(String id, String topic) {
    return FakeLlmServer.recordKeyOf("Record " + id + ": write about " + topic + ".");
  }

  @Test
  void failFastStopsAtAMalformedLineNamingFileAndLineAndKeepsWhatWasWritten() throws Exception {
    tried("malformed JSON line (fail fast)");
    Path input =
        file(
            tmp.resolve("input.jsonl"),
            100,
            Map.of(61, "{\"id\": \"r00060\", \"topic\": oops}\n".getBytes(StandardCharsets.UTF_8)));
    Path dir = tmp.resolve("run");

    assertThatThrownBy(() -> run(Sources.jsonl(input), dir, RunOptions.BadRecordPolicy.FAIL_FAST))
        .isInstanceOf(SourceException.class)
        .hasMessageContaining(input + ":61")
        .hasMessageContaining("malformed JSON");

    Map<String, Object> report = RunFiles.report(dir);
    assertThat(report).containsEntry("status", "aborted").containsEntry("reconciles", true);
    assertThat((String) report.get("error")).contains("input.jsonl:61");
    RunFiles.Outcomes before = RunFiles.Outcomes.of(dir);
    // every record read before the bad line was finished and written; none after it was started
    assertThat(before.written().keySet())
        .containsExactlyInAnyOrderElementsOf(
            java.util.stream.IntStream.range(0, 60).mapToObj(Inputs::id).toList());
    assertThat(before.failed()).isEmpty();

    // fixing the line and running again resumes: the 60 written records are kept as they were
    // and never sent to the model again; only the other 40 run
    file(input, 100, Map.of());
    server.reset();
    RunReport second = run(Sources.jsonl(input), dir, RunOptions.BadRecordPolicy.FAIL_FAST);
    assertThat(second.status()).isEqualTo("completed");
    assertThat(second.thisRunWritten()).isEqualTo(40);
    assertThat(second.written()).isEqualTo(100);
    RunFiles.Outcomes after = RunFiles.Outcomes.of(dir);
    before
        .written()
        .forEach(
            (id, line) -> {
              assertThat(after.written().get(id)).isEqualTo(line);
              KEPT.incrementAndGet();
            });
    FakeServerStats stats = server.stats();
    for (int i = 0; i < 60; i++) {
      assertThat(stats.requestsFor(answerKey(Inputs.id(i), "topic " + i))).isZero();
    }
    assertThat(stats.apiRequests()).isEqualTo(40);
  }

  @Test
  void skipAndRecordPutsEveryBadLineInFailedJsonlWithItsLocationAndGoesOn() throws Exception {
    Map<Integer, byte[]> bad = new LinkedHashMap<>();
    Map<Integer, String> reasons = new LinkedHashMap<>();
    bad.put(5, "{\"id\": \"x5\", \"topic\": \n".getBytes(StandardCharsets.UTF_8));
    reasons.put(5, "malformed JSON");
    ByteArrayOutputStream utf8 = new ByteArrayOutputStream();
    utf8.write("{\"id\": \"x10\", \"topic\": \"caf".getBytes(StandardCharsets.UTF_8));
    utf8.write(new byte[] {(byte) 0xC3, (byte) 0x28}); // invalid UTF-8 sequence
    utf8.write("\"}\n".getBytes(StandardCharsets.UTF_8));
    bad.put(10, utf8.toByteArray());
    reasons.put(10, "invalid UTF-8");
    bad.put(15, "[1, 2, 3]\n".getBytes(StandardCharsets.UTF_8));
    reasons.put(15, "expected a JSON object, found an array");
    bad.put(20, "\"just a string\"\n".getBytes(StandardCharsets.UTF_8));
    reasons.put(20, "expected a JSON object, found a string");
    bad.put(25, "{\"id\": \"x25\"} {\"id\": \"x25b\"}\n".getBytes(StandardCharsets.UTF_8));
    reasons.put(25, "unexpected content after the JSON object");
    bad.put(
        30, "{\"id\": \"\", \"topic\": \"t\", \"count\": 1}\n".getBytes(StandardCharsets.UTF_8));
    reasons.put(30, "field 'id' (the record id) is empty");
    bad.put(
        35,
        "{\"id\": {\"a\": 1}, \"topic\": \"t\", \"count\": 1}\n".getBytes(StandardCharsets.UTF_8));
    reasons.put(35, "field 'id' (the record id) must be a string or a number, found");
    reasons.keySet().forEach(k -> tried("bad JSONL line (skip and record)"));
    // records that parse but hold wrong values: the node that reads them fails them
    Map<String, Object> wrongType = good(39);
    wrongType.put("count", "three");
    bad.put(40, jsonLine(wrongType));
    Map<String, Object> fraction = good(44);
    fraction.put("count", 2.5);
    bad.put(45, jsonLine(fraction));
    Map<String, Object> noTopic = good(49);
    noTopic.remove("topic");
    bad.put(50, jsonLine(noTopic));
    tried("wrong value type");
    tried("wrong value type");
    tried("missing template variable (at run time)");
    Path input = file(tmp.resolve("input.jsonl"), 60, bad);
    Path dir = tmp.resolve("run");

    RunReport report = run(Sources.jsonl(input), dir, RunOptions.BadRecordPolicy.SKIP_AND_RECORD);

    assertThat(report.status()).isEqualTo("completed");
    assertThat(report.reconciles()).isTrue();
    assertThat(report.input()).isEqualTo(60);
    assertThat(report.failed()).isEqualTo(bad.size());
    assertThat(report.written()).isEqualTo(60 - bad.size());
    RunFiles.Outcomes out = RunFiles.Outcomes.of(dir);
    for (Map.Entry<Integer, String> e : reasons.entrySet()) {
      String where = input + ":" + e.getKey();
      Map<String, Object> line = out.failed().get("source:" + where);
      assertThat(line)
          .as("failed.jsonl entry for line %d: %s", e.getKey(), out.failed())
          .isNotNull();
      assertThat(line)
          .containsEntry("node", "source")
          .containsEntry("error", "SourceException")
          .containsEntry("attempts", 1);
      assertThat((String) line.get("message")).contains(where).contains(e.getValue());
    }
    Map<String, Object> typed = out.failed().get(Inputs.id(39));
    assertThat(typed).containsEntry("node", "count").containsEntry("error", "StateException");
    assertThat((String) typed.get("message")).contains("'count'").contains("string");
    Map<String, Object> frac = out.failed().get(Inputs.id(44));
    assertThat(frac).containsEntry("node", "count").containsEntry("error", "StateException");
    assertThat((String) frac.get("message")).contains("'count'");
    Map<String, Object> missing = out.failed().get(Inputs.id(49));
    assertThat(missing).containsEntry("node", "answer").containsEntry("error", "TemplateException");
    assertThat((String) missing.get("message"))
        .contains("'answer'")
        .contains(Inputs.id(49))
        .contains("'topic'");
    // records that failed before their model call never reached the model
    FakeServerStats stats = server.stats();
    assertThat(stats.requestsFor(answerKey(Inputs.id(39), "topic 39"))).isZero();
    assertThat(stats.requestsFor(answerKey(Inputs.id(44), "topic 44"))).isZero();
    assertThat(stats.apiRequests()).isEqualTo(report.written());
  }

  @Test
  void aFiftyMegabyteLineIsRejectedWithItsLocationUnderBothPolicies() throws Exception {
    tried("50 MB single line");
    tried("50 MB single line");
    Path input = tmp.resolve("big.jsonl");
    try (OutputStream out = Files.newOutputStream(input)) {
      for (int i = 0; i < 3; i++) {
        out.write(jsonLine(good(i)));
      }
      out.write("{\"id\": \"huge\", \"topic\": \"".getBytes(StandardCharsets.UTF_8));
      byte[] chunk = "lorem ipsum ".repeat(10_000).getBytes(StandardCharsets.UTF_8);
      long written = 0;
      while (written < 50L << 20) {
        out.write(chunk);
        written += chunk.length;
      }
      out.write("\", \"count\": 1}\n".getBytes(StandardCharsets.UTF_8));
      for (int i = 4; i < 7; i++) {
        out.write(jsonLine(good(i)));
      }
    }
    assertThat(Files.size(input)).isGreaterThan(50L << 20);

    Path skipDir = tmp.resolve("skip");
    RunReport skipped =
        run(Sources.jsonl(input), skipDir, RunOptions.BadRecordPolicy.SKIP_AND_RECORD);
    assertThat(skipped.status()).isEqualTo("completed");
    assertThat(skipped.written()).isEqualTo(6);
    assertThat(skipped.failed()).isEqualTo(1);
    Map<String, Object> line = RunFiles.Outcomes.of(skipDir).failed().get("source:" + input + ":4");
    assertThat(line).isNotNull().containsEntry("node", "source");
    assertThat((String) line.get("message")).contains(input + ":4").contains("over the limit");

    Path failDir = tmp.resolve("fail");
    assertThatThrownBy(
            () -> run(Sources.jsonl(input), failDir, RunOptions.BadRecordPolicy.FAIL_FAST))
        .isInstanceOf(SourceException.class)
        .hasMessageContaining(input + ":4")
        .hasMessageContaining("maxLineBytes");
    assertThat(RunFiles.report(failDir)).containsEntry("status", "aborted");
    assertThat(RunFiles.Outcomes.of(failDir).written()).hasSize(3);
    KEPT.addAndGet(3);
  }

  @Test
  void anEmptyFileAndAJsonArrayDeclaredAsJsonlFailWithClearErrors() throws Exception {
    tried("empty file");
    tried("JSON array where JSONL was declared");
    Path empty = Files.createFile(tmp.resolve("empty.jsonl"));
    for (RunOptions.BadRecordPolicy policy : RunOptions.BadRecordPolicy.values()) {
      Path dir = tmp.resolve("empty-" + policy);
      assertThatThrownBy(() -> run(Sources.jsonl(empty), dir, policy))
          .isInstanceOf(SourceException.class)
          .hasMessageContaining(empty.toString())
          .hasMessageContaining("empty");
      assertThat(RunFiles.report(dir)).containsEntry("status", "aborted");
    }

    Path array = tmp.resolve("array.jsonl");
    Files.writeString(
        array, JSON.writeValueAsString(List.of(good(0), good(1), good(2))), StandardCharsets.UTF_8);
    for (RunOptions.BadRecordPolicy policy : RunOptions.BadRecordPolicy.values()) {
      Path dir = tmp.resolve("array-" + policy);
      assertThatThrownBy(() -> run(Sources.jsonl(array), dir, policy))
          .isInstanceOf(SourceException.class)
          .hasMessageContaining(array + ":1")
          .hasMessageContaining("JSON array, not JSON Lines")
          .hasMessageContaining("Sources.json(path)");
      assertThat(RunFiles.Outcomes.of(dir).ids()).isEmpty();
    }
    // the same file read as what it is works
    RunReport asJson =
        run(Sources.json(array), tmp.resolve("as-json"), RunOptions.BadRecordPolicy.FAIL_FAST);
    assertThat(asJson.written()).isEqualTo(3);
  }

  @Test
  void aTemplateVariableNoNodeProvidesFailsAtBuildBeforeAnyCall() {
    tried("missing template variable (at build time)");
    assertThatThrownBy(
            () ->
                Graph.builder()
                    .name("typo")
                    .inputs("id", "topic")
                    .node(
                        "answer",
                        LlmNode.builder()
                            .client(model)
                            .user("Write about {topik}.")
                            .output("answer")
                            .build())
                    .chain(Graph.START, "answer", Graph.END)
                    .build())
        .isInstanceOf(GraphValidationException.class)
        .hasMessageContaining("answer")
        .hasMessageContaining("topik");
    tried("malformed template");
    assertThatThrownBy(
            () -> LlmNode.builder().client(model).user("Write {about").output("a").build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("unclosed '{'")
        .hasMessageContaining("position 6");
    assertThat(server.stats().apiRequests()).isZero();
  }

  @Test
  void invalidConfigurationNamesTheFieldAndTheValue() {
    Map<String, ThrowingCallable> cases = new LinkedHashMap<>();
    cases.put("concurrency", () -> RunOptions.builder().concurrency(0));
    cases.put(
        "checkpointInterval", () -> RunOptions.builder().checkpointInterval(Duration.ofMillis(1)));
    cases.put("idField", () -> RunOptions.builder().idField(" "));
    cases.put("limit", () -> RunOptions.builder().limit(-1));
    cases.put("maxAttempts", () -> ResilienceConfig.builder().maxAttempts(0));
    cases.put("jitter", () -> ResilienceConfig.builder().jitter(1.5));
    cases.put("requestsPerMinute", () -> ResilienceConfig.builder().requestsPerMinute(-5));
    cases.put("readTimeout", () -> HttpOptions.builder().readTimeout(Duration.ZERO));
    cases.put(
        "SYGRA_PROVIDER",
        () -> ModelClients.fromEnv(Map.of("SYGRA_PROVIDER", "foo", "SYGRA_BASE_URL", "http://x")));
    cases.put("SYGRA_RPM", () -> ModelClients.resilienceFromEnv(Map.of("SYGRA_RPM", "lots")));
    cases.put("format", () -> Format.parse("nope"));
    cases.put("baseUrl", () -> LlmPipelines.endpoint("ftp://host/v1", Duration.ofSeconds(1)));
    Map<String, String> values =
        Map.ofEntries(
            Map.entry("concurrency", "0"),
            Map.entry("checkpointInterval", "PT0.001S"),
            Map.entry("idField", " "),
            Map.entry("limit", "-1"),
            Map.entry("maxAttempts", "0"),
            Map.entry("jitter", "1.5"),
            Map.entry("requestsPerMinute", "-5"),
            Map.entry("readTimeout", "PT0S"),
            Map.entry("SYGRA_PROVIDER", "foo"),
            Map.entry("SYGRA_RPM", "lots"),
            Map.entry("format", "nope"),
            Map.entry("baseUrl", "ftp://host/v1"));
    cases.forEach(
        (field, call) -> {
          tried("invalid configuration value");
          assertThatThrownBy(call)
              .as(field)
              .isInstanceOf(ConfigurationException.class)
              .hasMessageContaining(field)
              .hasMessageContaining(values.get(field));
        });
    // unknown enum values list the valid ones
    tried("unknown enum value in configuration");
    assertThatThrownBy(
            () -> ModelClients.fromEnv(Map.of("SYGRA_PROVIDER", "foo", "OPENAI_API_KEY", "k")))
        .hasMessageContaining("openai, azure, anthropic or ollama");
    tried("unknown enum value in configuration");
    assertThatThrownBy(() -> Format.parse("nope")).hasMessageContaining("trl-sft");
    tried("unknown enum value in configuration");
    assertThatThrownBy(() -> SftPaths.parse("sometimes")).hasMessageContaining("sometimes");
    tried("unknown enum value in configuration");
    assertThatThrownBy(() -> DpoPairs.parse("random")).hasMessageContaining("random");
  }

  @Test
  void theCliNamesFileLineAndFieldAndUsesItsExitCodes() throws Exception {
    Map<String, String> offline = Map.of();
    Consumer<String> t = BadInputTest::tried;

    // run: a malformed line stops the run (fail fast), names file:line, keeps what was written
    t.accept("CLI: malformed line");
    Path input = tmp.resolve("prompts.jsonl");
    Files.writeString(
        input,
        "{\"id\":\"p0\",\"prompt\":\"Say 0\"}\n"
            + "{\"id\":\"p1\",\"prompt\":\"Say 1\"}\n"
            + "{\"id\":\"p2\",\"prompt\": nope}\n"
            + "{\"id\":\"p3\",\"prompt\":\"Say 3\"}\n",
        StandardCharsets.UTF_8);
    Path out = tmp.resolve("run-echo");
    Cli.Result r =
        Cli.run(tmp, offline, "run", "echo", "--input", input.toString(), "--out", out.toString());
    assertThat(r.exit()).as(r.toString()).isEqualTo(1);
    assertThat(r.output()).as(r.toString()).contains("prompts.jsonl:3").contains("malformed JSON");
    assertThat(RunFiles.Outcomes.of(out).written().keySet()).containsExactlyInAnyOrder("p0", "p1");
    KEPT.addAndGet(2);
    assertThat(RunFiles.report(out)).containsEntry("status", "aborted");

    t.accept("CLI: JSON array as JSONL");
    Path array = tmp.resolve("array.jsonl");
    Files.writeString(array, "[{\"id\":\"a\",\"prompt\":\"x\"}]", StandardCharsets.UTF_8);
    r =
        Cli.run(
            tmp,
            offline,
            "run",
            "echo",
            "--input",
            array.toString(),
            "--out",
            tmp.resolve("a").toString());
    assertThat(r.exit()).as(r.toString()).isEqualTo(1);
    assertThat(r.output()).as(r.toString()).contains("array.jsonl:1").contains("JSON array");

    t.accept("CLI: empty file");
    Path empty = Files.createFile(tmp.resolve("nothing.jsonl"));
    r =
        Cli.run(
            tmp,
            offline,
            "run",
            "echo",
            "--input",
            empty.toString(),
            "--out",
            tmp.resolve("e").toString());
    assertThat(r.exit()).as(r.toString()).isEqualTo(1);
    assertThat(r.output()).as(r.toString()).contains("nothing.jsonl").contains("empty");

    t.accept("CLI: unknown sample");
    r = Cli.run(tmp, offline, "run", "no-such-sample");
    assertThat(r.exit()).as(r.toString()).isEqualTo(2);
    assertThat(r.output()).as(r.toString()).contains("no-such-sample").contains("echo");

    t.accept("CLI: unknown provider");
    r =
        Cli.run(
            tmp,
            Map.of("SYGRA_PROVIDER", "foo", "SYGRA_BASE_URL", server.baseUrl()),
            "run",
            "echo",
            "--records",
            "2",
            "--out",
            tmp.resolve("p").toString());
    assertThat(r.exit()).as(r.toString()).isNotZero();
    assertThat(r.output()).as(r.toString()).contains("SYGRA_PROVIDER").contains("foo");

    t.accept("CLI: invalid option value");
    r =
        Cli.run(
            tmp,
            offline,
            "run",
            "echo",
            "--concurrency",
            "0",
            "--out",
            tmp.resolve("c").toString());
    assertThat(r.exit()).as(r.toString()).isNotZero();
    assertThat(r.output()).as(r.toString()).contains("concurrency").contains("0");

    t.accept("CLI: unknown format");
    r =
        Cli.run(
            tmp,
            offline,
            "convert",
            "--from",
            "nope",
            "--to",
            "trl-sft",
            "--input",
            input.toString(),
            "--output",
            tmp.resolve("c.jsonl").toString());
    assertThat(r.exit()).as(r.toString()).isEqualTo(2);
    assertThat(r.output())
        .as(r.toString())
        .contains("nope")
        .contains("trl-sft")
        .contains("sharegpt");

    // convert: rows with wrong value types are rejected with line and JSON path, the rest converted
    t.accept("CLI: wrong value types in conversion");
    Path sft = tmp.resolve("sft.jsonl");
    Files.writeString(
        sft,
        "{\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"},{\"role\":\"assistant\",\"content\":\"Hello\"}]}\n"
            + "{\"messages\":\"not a list\"}\n"
            + "{\"messages\":[{\"role\":\"user\",\"content\":42}]}\n"
            + "{\"messages\":[{\"role\":\"wizard\",\"content\":\"x\"}]}\n",
        StandardCharsets.UTF_8);
    Path rejects = tmp.resolve("rejects.jsonl");
    r =
        Cli.run(
            tmp,
            offline,
            "convert",
            "--from",
            "trl-sft",
            "--to",
            "sharegpt",
            "--input",
            sft.toString(),
            "--output",
            tmp.resolve("sharegpt.jsonl").toString(),
            "--rejects",
            rejects.toString());
    assertThat(r.exit()).as(r.toString()).isZero();
    String[] stdout = r.stdout().strip().split("\n");
    Map<?, ?> summary = JSON.readValue(stdout[stdout.length - 1], Map.class);
    assertThat(summary.get("read")).isEqualTo(4);
    assertThat(summary.get("written")).isEqualTo(1);
    assertThat(summary.get("rejected")).isEqualTo(3);
    List<Map<String, Object>> rej = RunFiles.lines(rejects);
    assertThat(rej).hasSize(3);
    assertThat(rej).extracting(m -> m.get("line")).containsExactly(2, 3, 4);
    assertThat((String) rej.get(0).get("reason")).contains("$.messages");
    assertThat((String) rej.get(1).get("reason")).contains("$.messages[0].content");
    assertThat((String) rej.get(2).get("reason")).contains("$.messages[0].role").contains("wizard");
  }

  @AfterAll
  static void figures() {
    Map<String, Object> f = new LinkedHashMap<>();
    int total = 0;
    synchronized (TRIED) {
      for (Map.Entry<String, AtomicInteger> e : TRIED.entrySet()) {
        f.put("tried." + e.getKey(), e.getValue().get());
        total += e.getValue().get();
      }
    }
    f.put("badInputsTried", total);
    f.put("writtenRecordsCheckedKeptAfterAbort", KEPT.get());
    Figures.write("bad-input", f);
  }
}
