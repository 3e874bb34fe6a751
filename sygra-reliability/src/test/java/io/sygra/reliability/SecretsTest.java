package io.sygra.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.sygra.benchmarks.fake.FakeLlmServer;
import io.sygra.core.Graph;
import io.sygra.core.run.Pipeline;
import io.sygra.core.run.RunOptions;
import io.sygra.core.run.RunReport;
import io.sygra.core.run.Sources;
import io.sygra.llm.BudgetRegistry;
import io.sygra.llm.ChatMessage;
import io.sygra.llm.ChatRequest;
import io.sygra.llm.LlmNode;
import io.sygra.llm.ModelClient;
import io.sygra.llm.ModelClients;
import io.sygra.llm.OpenAiCompatibleClient;
import io.sygra.llm.ResilienceConfig;
import io.sygra.llm.Secret;
import io.sygra.samples.Sample;
import io.sygra.samples.Samples;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import mockwebserver3.MockWebServer;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Guarantee 5 of DESIGN.md §4: secrets stay secret, and templates substitute values without
 * evaluating them.
 *
 * <p>With a recognisable API key in the environment, every sample and every CLI command runs in a
 * child JVM with {@code --debug} logging (prompts, completions and wire logs included) against the
 * fake server; then every captured log line, every file the runs wrote (outputs, {@code
 * failed.jsonl}, {@code report.json}, manifests, the response cache) is searched for the key, and
 * for any 12-character piece of it, so a key cut in half by a truncated message is caught too. A
 * server that reflects the key back in its errors (see {@link HostileServer}) must not get it into
 * exception messages, causes, stack traces or logs either.
 */
class SecretsTest {
  static final String KEY = "sk-test-SECRET-1234567890abcdef";

  @TempDir Path tmp;

  /** Every 12-character piece of the key: what would identify it if it leaked in part. */
  static List<String> pieces() {
    List<String> out = new ArrayList<>();
    for (int i = 0; i + 12 <= KEY.length(); i++) {
      out.add(KEY.substring(i, i + 12));
    }
    return out;
  }

  /** Where a piece of the key occurs in {@code text}, or null. */
  static String leak(String text) {
    for (String p : pieces()) {
      int at = text.indexOf(p);
      if (at >= 0) {
        return "'"
            + p
            + "' at "
            + at
            + ": ..."
            + text.substring(Math.max(0, at - 80), Math.min(text.length(), at + 60))
            + "...";
      }
    }
    return null;
  }

  static Path repoRoot() {
    String root = System.getProperty("sygra.repo.root");
    return root != null ? Path.of(root) : Path.of("").toAbsolutePath().getParent();
  }

  static Path fixtures() {
    return Path.of(
        System.getProperty("sygra.fixtures", repoRoot().resolve("../shared/fixtures").toString()));
  }

  /** Searches every file under {@code dir} (bytes, as Latin-1 so binary files are searched too). */
  static Map<Path, String> leaksUnder(Path dir) throws IOException {
    Map<Path, String> leaks = new LinkedHashMap<>();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        String leak = leak(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1));
        if (leak != null) {
          leaks.put(f, leak);
        }
      }
    }
    return leaks;
  }

  @Test
  void noSampleOrCommandLogsOrWritesTheKeyWithDebugLogging() throws Exception {
    Path runs = Files.createDirectories(tmp.resolve("runs"));
    List<Cli.Result> results = new ArrayList<>();
    Map<String, String> figures = new LinkedHashMap<>();
    try (FakeLlmServer server = FakeLlmServer.builder().latency(Duration.ofMillis(1)).start();
        MockWebServer hostile = new MockWebServer()) {
      HostileServer reflector = new HostileServer();
      hostile.setDispatcher(reflector);
      hostile.start();
      Map<String, String> env =
          Map.of("OPENAI_API_KEY", KEY, "SYGRA_BASE_URL", server.baseUrl(), "SYGRA_MODEL", "m");
      Path root = repoRoot();

      List<Sample> samples = Samples.all();
      assertThat(samples).isNotEmpty();
      for (Sample s : samples) {
        Cli.Result r =
            Cli.run(
                root,
                env,
                "run",
                s.name(),
                "--records",
                "2",
                "--out",
                runs.resolve(s.name()).toString(),
                "--debug");
        results.add(r);
      }
      long modelCalls = server.stats().apiRequests();
      assertThat(modelCalls).as("the samples called the keyed endpoint").isPositive();

      // an endpoint that reflects the key back in every kind of error
      Cli.Result hostileRun =
          Cli.run(
              root,
              Map.of("OPENAI_API_KEY", KEY, "SYGRA_MODEL", "m", "SYGRA_MAX_ATTEMPTS", "1"),
              "run",
              "echo",
              "--records",
              String.valueOf(2 * HostileServer.KINDS.size()),
              "--base-url",
              hostile.url("/v1").toString(),
              "--out",
              runs.resolve("echo-hostile").toString(),
              "--debug");
      results.add(hostileRun);
      assertThat(reflector.requestsWithKey()).as(hostileRun.toString()).isPositive();
      assertThat(RunFiles.lines(runs.resolve("echo-hostile/failed.jsonl"))).isNotEmpty();

      Path sft = runs.resolve("sft.jsonl");
      results.add(
          Cli.run(
              root,
              env,
              "convert",
              "--from",
              "oasst",
              "--to",
              "trl-sft",
              "--input",
              fixtures().resolve("oasst/oasst_en100_trees_nulls_omitted.jsonl").toString(),
              "--output",
              sft.toString(),
              "--debug"));
      results.add(
          Cli.run(
              root,
              env,
              "convert",
              "--from",
              "hh-rlhf",
              "--to",
              "trl-dpo",
              "--input",
              fixtures().resolve("preference/hh_rlhf_harmless_base_test.jsonl").toString(),
              "--output",
              runs.resolve("dpo.jsonl").toString(),
              "--rejects",
              runs.resolve("dpo-rejects.jsonl").toString(),
              "--debug"));
      results.add(
          Cli.run(
              root,
              env,
              "tag",
              "--from",
              "trl-sft",
              "--input",
              sft.toString(),
              "--output",
              runs.resolve("tagged.jsonl").toString(),
              "--report",
              runs.resolve("tag-report").toString(),
              "--judge-model",
              "m",
              "--debug"));
      results.add(Cli.run(root, env, "run", "--list", "--debug"));
      results.add(Cli.run(root, env, "classpath"));
      results.add(Cli.run(root, env, "--version"));
      results.add(Cli.run(root, env, "--help"));
      figures.put("samplesRun", String.valueOf(samples.size()));
      figures.put("commandsRun", String.valueOf(results.size()));
      figures.put(
          "modelCallsWithKey",
          String.valueOf(server.stats().apiRequests() + reflector.requestsWithKey()));
    }

    // debug logging was really on: request lines of the wire log were printed
    String all = String.join("\n", results.stream().map(Cli.Result::output).toList());
    assertThat(all).contains("DEBUG").contains("--> POST");
    Map<String, String> leaks = new LinkedHashMap<>();
    for (Cli.Result r : results) {
      String out = leak(r.stdout());
      String err = leak(r.stderr());
      if (out != null) {
        leaks.put("stdout of sygra " + String.join(" ", r.command()), out);
      }
      if (err != null) {
        leaks.put("stderr of sygra " + String.join(" ", r.command()), err);
      }
    }
    leaksUnder(runs).forEach((f, l) -> leaks.put(f.toString(), l));
    long files;
    long logLines = 0;
    try (Stream<Path> s = Files.walk(runs)) {
      files = s.filter(Files::isRegularFile).count();
    }
    for (Cli.Result r : results) {
      logLines += r.output().lines().count();
    }
    figures.put("filesSearched", String.valueOf(files));
    figures.put("logLinesSearched", String.valueOf(logLines));
    Figures.write("secrets-cli", figures);
    SoftAssertions soft = new SoftAssertions();
    soft.assertThat(leaks).as("where the key (or a 12-character piece of it) appeared").isEmpty();
    for (Cli.Result r : results) {
      soft.assertThat(r.exit()).as("every command ran: %s", r).isZero();
    }
    soft.assertAll();
  }

  @Test
  void exceptionsFromAServerThatEchoesTheKeyNeverContainIt() throws Exception {
    List<String> seen = new ArrayList<>();
    // reply kind -> where the key showed in the exception, its causes or its stack trace
    Map<String, String> leaks = new LinkedHashMap<>();
    try (MockWebServer hostile = new MockWebServer()) {
      HostileServer reflector = new HostileServer();
      hostile.setDispatcher(reflector);
      hostile.start();
      try (OpenAiCompatibleClient c = keyed(hostile)) {
        assertThat(c.toString()).doesNotContain(KEY);
        for (String kind : HostileServer.KINDS) {
          Throwable t =
              catchThrowable(
                  () ->
                      c.chatBlocking(
                          ChatRequest.builder().addMessage(ChatMessage.user("hi")).build()));
          assertThat(t).as(kind).isNotNull();
          StringWriter trace = new StringWriter();
          t.printStackTrace(new PrintWriter(trace));
          String leak = leak(trace.toString());
          if (leak != null) {
            leaks.put(kind + " -> " + t.getClass().getSimpleName(), leak);
          }
          seen.add(t.getClass().getSimpleName());
        }
      }
      assertThat(reflector.requestsWithKey()).isEqualTo(HostileServer.KINDS.size());
    }
    assertThat(leaks).as("exceptions (as a log prints them) showing the key").isEmpty();
    Figures.write(
        "secrets-exceptions",
        Map.of("hostileReplyKinds", HostileServer.KINDS.size(), "exceptionClasses", seen));
  }

  private OpenAiCompatibleClient keyed(MockWebServer server) {
    return OpenAiCompatibleClient.builder()
        .baseUrl(server.url("/v1").toString())
        .model("m")
        .apiKey(Secret.of(KEY))
        .build();
  }

  @Test
  void recordValuesThatLookLikePlaceholdersAreSentAndWrittenLiterally() throws Exception {
    String home = System.getenv("HOME");
    List<String> hostileValues =
        List.of(
            "{api_key}",
            "${env:HOME}",
            "{OPENAI_API_KEY}",
            "{{topic}}",
            "{topic}",
            "${jndi:ldap://example.invalid/x}",
            "#{7*7}",
            "%s%n");
    Path input = tmp.resolve("input.jsonl");
    StringBuilder lines = new StringBuilder();
    for (int i = 0; i < hostileValues.size(); i++) {
      lines
          .append(
              RunFiles.JSON.writeValueAsString(
                  Map.of("id", "v" + i, "topic", hostileValues.get(i))))
          .append('\n');
    }
    Files.writeString(input, lines, StandardCharsets.UTF_8);
    Path dir = tmp.resolve("run");
    try (FakeLlmServer server = FakeLlmServer.builder().start();
        ModelClient model =
            ModelClients.builder()
                .endpoint(LlmPipelines.endpoint(server.baseUrl(), Duration.ofSeconds(5)))
                .resilience(ResilienceConfig.defaults())
                .budgets(BudgetRegistry.create())
                .build()) {
      Graph graph =
          Graph.builder()
              .name("literal")
              .inputs("id", "topic")
              .node(
                  "answer",
                  LlmNode.builder()
                      .client(model)
                      .user("{topic} is the topic")
                      .output("answer")
                      .build())
              .chain(Graph.START, "answer", Graph.END)
              .build();
      RunReport report =
          Pipeline.builder()
              .graph(graph)
              .source(Sources.jsonl(input))
              .runDirectory(dir)
              .options(RunOptions.builder().progress(RunOptions.ProgressMode.NEVER).build())
              .build()
              .run();
      assertThat(report.written()).isEqualTo(hostileValues.size());
      // the fake server keys requests by the exact text of the user message it received
      for (String v : hostileValues) {
        assertThat(server.stats().requestsFor(FakeLlmServer.recordKeyOf(v + " is the topic")))
            .as("a request whose prompt is exactly '%s is the topic'", v)
            .isEqualTo(1);
      }
    }
    Map<String, Map<String, Object>> out = RunFiles.byId(dir.resolve("output.jsonl"));
    for (int i = 0; i < hostileValues.size(); i++) {
      String answer = (String) out.get("v" + i).get("answer");
      // the fake model's reply starts with the prompt's first words, as received
      assertThat(answer).startsWith(hostileValues.get(i) + " is the topic");
      if (home != null && !home.isBlank()) {
        assertThat(answer).doesNotContain(home);
      }
      assertThat(answer).doesNotContain("49");
    }
    Figures.write(
        "secrets-templates", Map.of("placeholderLikeValuesSentLiterally", hostileValues.size()));
  }
}
