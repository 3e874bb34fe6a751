package io.sygra.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ConvertCommandTest {
  @TempDir Path tmp;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine cl = new CommandLine(new ConvertCommand());
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    return cl.execute(args);
  }

  private String lastStdoutLine() {
    List<String> lines = out.toString().lines().toList();
    assertThat(lines).isNotEmpty();
    return lines.get(lines.size() - 1);
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

  @Test
  void oasstToDpoPrintsTheJsonSummaryLast() throws IOException {
    Path output = tmp.resolve("dpo.jsonl");
    int code =
        run(
            "--from",
            "oasst",
            "--to",
            "trl-dpo",
            "--input",
            fixtures().resolve("oasst/oasst1_validation_en_messages_flat.jsonl").toString(),
            "--output",
            output.toString(),
            "--lang",
            "en");
    assertThat(code).isZero();
    assertThat(lastStdoutLine())
        .startsWith(
            "{\"read\":953,\"written\":190,\"rejected\":0,\"trees\":91,"
                + "\"messages\":953,\"orphans\":1,\"excluded\":41,\"kept\":912,\"grouping\":\"streaming\"");
    assertThat(Files.readAllLines(output, StandardCharsets.UTF_8)).hasSize(190);
  }

  @Test
  void rejectedRowsGoToTheRejectsFileAndStillExitZero() throws IOException {
    Path rejects = tmp.resolve("rejects.jsonl");
    int code =
        run(
            "--from",
            "hh-rlhf",
            "--to",
            "trl-dpo",
            "--input",
            fixtures().resolve("preference/hh_rlhf_harmless_base_test.jsonl").toString(),
            "--output",
            tmp.resolve("out.jsonl").toString(),
            "--rejects",
            rejects.toString());
    assertThat(code).isZero();
    assertThat(lastStdoutLine()).startsWith("{\"read\":1121,\"written\":1117,\"rejected\":4,");
    assertThat(Files.readAllLines(rejects))
        .hasSize(4)
        .first()
        .asString()
        .startsWith("{\"line\":37,\"reason\":\"$.chosen: the final Assistant turn is empty\"");
    assertThat(err.toString()).contains("4 row(s) rejected");
  }

  @Test
  void strictExitsOneOnTheFirstReject() {
    int code =
        run(
            "--from",
            "hh-rlhf",
            "--to",
            "trl-dpo",
            "--strict",
            "--input",
            fixtures().resolve("preference/hh_rlhf_harmless_base_test.jsonl").toString(),
            "--output",
            tmp.resolve("out.jsonl").toString());
    assertThat(code).isEqualTo(1);
    assertThat(err.toString()).contains("strict: rejected hh_rlhf_harmless_base_test.jsonl:37");
    assertThat(lastStdoutLine())
        .startsWith("{\"read\":37,\"written\":36,\"rejected\":1,")
        .contains("\"error\":");
    assertThat(tmp.resolve("out.jsonl")).doesNotExist();
  }

  @Test
  void unreadableInputExitsOne() {
    int code =
        run(
            "--from",
            "trl-sft",
            "--to",
            "sharegpt",
            "--input",
            tmp.resolve("missing.jsonl").toString(),
            "--output",
            tmp.resolve("out.jsonl").toString());
    assertThat(code).isEqualTo(1);
    assertThat(err.toString()).contains("cannot read input");
    assertThat(lastStdoutLine()).startsWith("{\"read\":0,");
  }

  @Test
  void usageErrorsExitTwo() {
    assertThat(run("--from", "csv", "--to", "trl-sft", "--input", "a", "--output", "b"))
        .isEqualTo(2);
    assertThat(err.toString()).contains("unknown format 'csv'").contains("valid formats: oasst,");
    assertThat(run("--from", "sharegpt", "--to", "trl-dpo", "--input", "a", "--output", "b"))
        .isEqualTo(2);
    assertThat(
            run(
                "--from",
                "sharegpt",
                "--to",
                "trl-sft",
                "--lang",
                "en",
                "--input",
                "a",
                "--output",
                "b"))
        .isEqualTo(2);
    assertThat(err.toString()).contains("--lang: applies to --from oasst only");
    assertThat(
            run(
                "--from",
                "oasst",
                "--to",
                "trl-sft",
                "--sft-paths",
                "longest",
                "--input",
                "a",
                "--output",
                "b"))
        .isEqualTo(2);
    assertThat(run("--to", "trl-sft", "--input", "a", "--output", "b")).isEqualTo(2);
    assertThat(err.toString()).contains("Missing required option: '--from=FMT'");
  }

  @Test
  void labelThresholdsAndBestPaths() {
    int code =
        run(
            "--from",
            "oasst",
            "--to",
            "trl-sft",
            "--sft-paths",
            "best",
            "--min-label",
            "quality=0.9",
            "--no-metadata",
            "--input",
            fixtures().resolve("oasst/oasst1_validation_en_messages_flat.jsonl").toString(),
            "--output",
            tmp.resolve("out.jsonl").toString());
    assertThat(code).isZero();
    assertThat(lastStdoutLine()).contains("\"rejected\":0");
    assertThat(lastStdoutLine()).doesNotContain("\"kept\":912");
  }
}
