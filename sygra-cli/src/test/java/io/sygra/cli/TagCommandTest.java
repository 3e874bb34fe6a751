package io.sygra.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.sygra.llm.SimulatedModelClient;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class TagCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(Map<String, String> env, String... args) {
    TagCommand cmd = new TagCommand();
    cmd.env = env;
    CommandLine cl = new CommandLine(cmd);
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    return cl.execute(args);
  }

  private int run(String... args) {
    return run(Map.of(), args);
  }

  private List<String> stdout() {
    return out.toString().lines().toList();
  }

  private JsonNode summary() throws IOException {
    List<String> lines = stdout();
    assertThat(lines).isNotEmpty();
    return JSON.readTree(lines.get(lines.size() - 1));
  }

  private static Path fixtures() {
    String prop = System.getProperty("sygra.fixtures");
    if (prop != null && Files.isDirectory(Path.of(prop))) {
      return Path.of(prop);
    }
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      Path c = p.resolve("../shared/fixtures").normalize();
      if (Files.isDirectory(c.resolve("oasst"))) {
        return c;
      }
    }
    throw new IllegalStateException("fixtures not found");
  }

  private static List<JsonNode> jsonl(Path p) throws IOException {
    return Files.readAllLines(p, StandardCharsets.UTF_8).stream()
        .filter(l -> !l.isBlank())
        .map(
            l -> {
              try {
                return JSON.readTree(l);
              } catch (IOException e) {
                throw new IllegalStateException(e);
              }
            })
        .toList();
  }

  @Test
  void oasstStageOneAndDedupWriteSygraOasstRowsAndAReport() throws IOException {
    Path output = tmp.resolve("tagged.jsonl");
    Path report = tmp.resolve("report");
    Path dropped = tmp.resolve("dropped.jsonl");
    int code =
        run(
            "--input",
            fixtures().resolve("oasst/oasst1_validation_en_messages_flat.jsonl").toString(),
            "--from",
            "oasst",
            "--output",
            output.toString(),
            "--report",
            report.toString(),
            "--dropped",
            dropped.toString(),
            "--no-language");
    assertThat(code).as(err.toString()).isZero();
    JsonNode s = summary();
    long read = s.get("read").asLong();
    assertThat(read).isGreaterThan(300);
    assertThat(s.get("passed").asLong() + s.get("dropped").asLong()).isEqualTo(read);
    assertThat(s.get("judged").asLong()).isZero();
    assertThat(
            s.get("dropped_by_stage").get("heuristics").asLong()
                + s.get("dropped_by_stage").get("dedup").asLong())
        .isEqualTo(s.get("dropped").asLong());
    // The fixture's one e-mail address is caught.
    assertThat(s.get("dropped_by_stage").get("heuristics").asLong()).isPositive();

    List<JsonNode> rows = jsonl(output);
    assertThat(rows).isNotEmpty();
    // Every message row carries the record's quality object.
    assertThat(rows)
        .allSatisfy(
            r -> {
              assertThat(r.get("quality").get("passed").asBoolean()).isTrue();
              assertThat(r.get("quality").get("heuristic").has("shape")).isTrue();
            });
    long conversations =
        rows.stream().map(r -> r.get("conversation_id").asText()).distinct().count();
    assertThat(conversations).isEqualTo(s.get("passed").asLong());
    assertThat(s.get("written").asLong()).isEqualTo(conversations);
    assertThat(jsonl(dropped))
        .anySatisfy(
            r -> assertThat(r.get("quality").get("reasons").toString()).contains("pii.email"));

    JsonNode rep = JSON.readTree(report.resolve("quality-report.json").toFile());
    assertThat(rep.get("funnel").get("in").asLong()).isEqualTo(read);
    assertThat(rep.get("funnel").get("out").asLong()).isEqualTo(s.get("passed").asLong());
    assertThat(rep.get("funnel").get("reconciles").asBoolean()).isTrue();
    assertThat(Files.readString(report.resolve("quality-report.html"))).contains("<svg");
  }

  @Test
  void aliasedLanguageIsFlagged() throws IOException {
    Path input = tmp.resolve("in.jsonl");
    Files.writeString(
        input,
        "{\"messages\":[{\"role\":\"user\",\"content\":\"请用简单的语言解释一下光合作用是如何进行的。\"},"
            + "{\"role\":\"assistant\",\"content\":\"光合作用是植物利用阳光、水和二氧化碳制造葡萄糖并释放氧气的过程。\"}],"
            + "\"metadata\":{\"lang\":\"en\"}}\n"
            + "{\"messages\":[{\"role\":\"user\",\"content\":\"How do plants make their food?\"},"
            + "{\"role\":\"assistant\",\"content\":\"Plants make food by photosynthesis, turning"
            + " light, water and carbon dioxide into sugar.\"}],\"metadata\":{\"lang\":\"en\"}}\n",
        StandardCharsets.UTF_8);
    Path output = tmp.resolve("out.jsonl");
    Path dropped = tmp.resolve("dropped.jsonl");
    int code =
        run(
            "--input",
            input.toString(),
            "--from",
            "trl-sft",
            "--output",
            output.toString(),
            "--dropped",
            dropped.toString(),
            "--languages",
            "en,zh,de,fr");
    assertThat(code).as(err.toString()).isZero();
    JsonNode s = summary();
    assertThat(s.get("read").asLong()).isEqualTo(2);
    assertThat(s.get("passed").asLong()).isEqualTo(1);
    List<JsonNode> d = jsonl(dropped);
    assertThat(d).hasSize(1);
    JsonNode q = d.get(0).get("metadata").get("quality");
    assertThat(q.get("reasons").toString()).contains("language.mismatch");
    assertThat(q.get("heuristic").get("language").get("detected").asText()).isEqualTo("zh");
    JsonNode kept = jsonl(output).get(0);
    assertThat(kept.get("metadata").get("quality").get("passed").asBoolean()).isTrue();
  }

  @Test
  void simulatedJudgeRunsEndToEndAndSaysSoFirst() throws IOException {
    Path output = tmp.resolve("alpaca.jsonl");
    int code =
        run(
            "--input",
            fixtures().resolve("sft/llamafactory_alpaca_en_demo.json").toString(),
            "--from",
            "alpaca",
            "--output",
            output.toString(),
            "--judge-model",
            "judge",
            "--no-language");
    assertThat(code).as(err.toString()).isZero();
    assertThat(stdout().get(0)).isEqualTo(SimulatedModelClient.NOTICE);
    JsonNode s = summary();
    assertThat(s.get("simulated").asBoolean()).isTrue();
    assertThat(s.get("read").asLong()).isEqualTo(505);
    assertThat(s.get("dropped_by_stage").get("dedup").asLong()).isGreaterThanOrEqualTo(6);
    long survivors =
        505
            - s.get("dropped_by_stage").get("heuristics").asLong()
            - s.get("dropped_by_stage").get("dedup").asLong();
    assertThat(s.get("judged").asLong()).isEqualTo(survivors);
    List<JsonNode> rows = jsonl(output);
    assertThat(rows).hasSize((int) s.get("written").asLong());
    assertThat(rows)
        .allSatisfy(
            r -> {
              JsonNode llm = r.get("metadata").get("quality").get("llm");
              assertThat(llm.get("category").asText()).isNotBlank();
              assertThat(llm.get("overall").asDouble()).isBetween(1.0, 5.0);
            });
  }

  /**
   * A synthetic judge endpoint on loopback (sygra-cli has no MockWebServer dependency; the JDK's
   * server does the job): every criterion 4, except records about "Paris": 2.
   */
  private static HttpServer judgeServer(AtomicInteger requests) throws IOException {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/v1/chat/completions",
        exchange -> {
          requests.incrementAndGet();
          JsonNode body = JSON.readTree(exchange.getRequestBody().readAllBytes());
          String schema = body.at("/response_format/json_schema/name").asText();
          String prompt = body.get("messages").get(1).get("content").asText();
          Map<String, Object> reply = new LinkedHashMap<>();
          if (schema.equals("judge_classify")) {
            reply.put("category", "generic");
            reply.put("instruction_tags", List.of("qa"));
            reply.put("question_quality", 4);
            reply.put("question_explanation", "fine");
          } else {
            int score = prompt.contains("Paris") ? 2 : 4;
            body.at("/response_format/json_schema/schema/properties")
                .fieldNames()
                .forEachRemaining(n -> reply.put(n, Map.of("score", score, "explanation", "e")));
          }
          Map<String, Object> completion =
              Map.of(
                  "id", "c",
                  "object", "chat.completion",
                  "model", "judge",
                  "choices",
                      List.of(
                          Map.of(
                              "index",
                              0,
                              "message",
                              Map.of(
                                  "role", "assistant", "content", JSON.writeValueAsString(reply)),
                              "finish_reason",
                              "stop")),
                  "usage", Map.of("prompt_tokens", 9, "completion_tokens", 9, "total_tokens", 18));
          byte[] bytes = JSON.writeValueAsBytes(completion);
          exchange.getResponseHeaders().add("Content-Type", "application/json");
          exchange.sendResponseHeaders(200, bytes.length);
          try (OutputStream os = exchange.getResponseBody()) {
            os.write(bytes);
          }
        });
    server.start();
    return server;
  }

  @Test
  void theJudgeSeesOnlyStageOneAndDedupSurvivors() throws IOException {
    Path input = tmp.resolve("in.jsonl");
    String ok1 =
        "{\"messages\":[{\"role\":\"user\",\"content\":\"Capital of France?\"},"
            + "{\"role\":\"assistant\",\"content\":\"The capital of France is Paris.\"}]}";
    String ok2 =
        "{\"messages\":[{\"role\":\"user\",\"content\":\"Capital of Spain?\"},"
            + "{\"role\":\"assistant\",\"content\":\"The capital of Spain is Madrid.\"}]}";
    String refusal =
        "{\"messages\":[{\"role\":\"user\",\"content\":\"Do my homework\"},"
            + "{\"role\":\"assistant\",\"content\":\"I'm sorry, but I can't help with that.\"}]}";
    Files.writeString(input, String.join("\n", ok1, ok2, refusal, ok2) + "\n");
    AtomicInteger requests = new AtomicInteger();
    Path output = tmp.resolve("out.jsonl");
    Path report = tmp.resolve("rep");
    HttpServer server = judgeServer(requests);
    try {
      String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
      int code =
          run(
              "--input",
              input.toString(),
              "--from",
              "trl-sft",
              "--output",
              output.toString(),
              "--judge-model",
              "judge",
              "--base-url",
              url,
              "--min-overall",
              "3",
              "--no-language",
              "--report",
              report.toString());
      assertThat(code).as(err.toString()).isZero();
    } finally {
      server.stop(0);
    }
    assertThat(stdout().get(0)).isNotEqualTo(SimulatedModelClient.NOTICE);
    JsonNode s = summary();
    assertThat(s.get("read").asLong()).isEqualTo(4);
    assertThat(s.get("judged").asLong()).isEqualTo(2);
    // classify + response for each of the 2 survivors; none for the refusal or the duplicate.
    assertThat(requests.get()).isEqualTo(4);
    assertThat(s.get("dropped_by_stage").toString())
        .isEqualTo("{\"heuristics\":1,\"dedup\":1,\"judge\":1}");
    assertThat(s.get("passed").asLong()).isEqualTo(1);
    List<JsonNode> rows = jsonl(output);
    assertThat(rows).hasSize(1);
    assertThat(rows.get(0).toString()).contains("Madrid");
    JsonNode rep = JSON.readTree(report.resolve("quality-report.json").toFile());
    assertThat(rep.get("funnel").get("reconciles").asBoolean()).isTrue();
    assertThat(
            rep.get("funnel").get("stages").get(2).get("reasons").get("llm.low_overall").asLong())
        .isEqualTo(1);
  }

  @Test
  void openAiOutputGetsTheQualityColumn() throws IOException {
    Path output = tmp.resolve("openai.jsonl");
    int code =
        run(
            "--input",
            fixtures().resolve("sft/axolotl_sharegpt_conversation.json").toString(),
            "--from",
            "sharegpt",
            "--to",
            "openai-chat",
            "--output",
            output.toString(),
            "--no-language",
            "--all");
    assertThat(code).as(err.toString()).isZero();
    List<JsonNode> rows = jsonl(output);
    assertThat(rows).as(err + "\n" + out).hasSize(1);
    assertThat(rows.get(0).has("messages")).isTrue();
    assertThat(rows.get(0).get("metadata").get("quality").has("passed")).isTrue();
  }

  @Test
  void unreadableInputExitsOneAndUsageErrorsExitTwo() throws IOException {
    int code =
        run(
            "--input",
            tmp.resolve("missing.jsonl").toString(),
            "--from",
            "trl-sft",
            "--output",
            tmp.resolve("o.jsonl").toString());
    assertThat(code).isEqualTo(1);
    assertThat(summary().get("error").asText()).contains("missing.jsonl");

    Path input = tmp.resolve("in.jsonl");
    Files.writeString(input, "{}\n");
    assertThat(run("--input", input.toString(), "--from", "nope", "--output", "o.jsonl"))
        .isEqualTo(2);
    assertThat(
            run(
                "--input",
                input.toString(),
                "--from",
                "trl-sft",
                "--output",
                "o.jsonl",
                "--min-overall",
                "3"))
        .isEqualTo(2);
    assertThat(
            run(
                "--input",
                input.toString(),
                "--from",
                "trl-sft",
                "--output",
                "o.jsonl",
                "--skip-rule",
                "no.such.rule"))
        .isEqualTo(2);
    assertThat(err.toString()).contains("no.such.rule");
  }
}
