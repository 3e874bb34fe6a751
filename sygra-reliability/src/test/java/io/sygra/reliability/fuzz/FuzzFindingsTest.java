package io.sygra.reliability.fuzz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.sygra.schema.Format;
import io.sygra.schema.FormatReader;
import io.sygra.schema.OasstReader;
import io.sygra.schema.ReadResult;
import io.sygra.schema.SchemaException;
import java.io.ByteArrayOutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Findings of the fuzz targets, minimised into plain regression tests that run in every build (the
 * fuzz targets replay their saved inputs only in their own JVMs).
 */
class FuzzFindingsTest {
  @TempDir Path tmp;

  /**
   * Found by {@link OasstReaderFuzzTest}: a file whose first bytes contain NULs, as in {@code 00 00
   * 00 01}, is taken by Jackson's encoding detection for UTF-32, and decoding it fails with a
   * {@code CharConversionException}. Readers promise {@link UncheckedIOException} only when the
   * file cannot be read; bad content must be a rejected record (with its line) or a {@link
   * SchemaException}.
   */
  @Test
  void contentThatLooksLikeUtf32IsBadInputNotAnIoError() throws Exception {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.write(new byte[] {0, 0, 0, 1});
    b.write(
        "{\"message_id\":\"m1\",\"parent_id\":null,\"role\":\"prompter\",\"text\":\"hi\"}\n"
            .getBytes(StandardCharsets.UTF_8));
    Path file = tmp.resolve("nul-prefixed.jsonl");
    Files.write(file, b.toByteArray());

    List<String> problems = new ArrayList<>();
    for (OasstReader.Grouping grouping : OasstReader.Grouping.values()) {
      Throwable t =
          catchThrowable(
              () -> {
                try (OasstReader r = OasstReader.open(file, grouping, rejected -> {})) {
                  while (r.hasNext()) {
                    r.next();
                  }
                }
              });
      if (t != null && !(t instanceof SchemaException)) {
        problems.add("OasstReader " + grouping + ": " + t);
      }
    }
    Throwable t =
        catchThrowable(
            () -> {
              try (FormatReader r = FormatReader.open(Format.TRL_SFT, file)) {
                while (r.hasNext()) {
                  assertThat(r.next()).isInstanceOf(ReadResult.Rejected.class);
                }
              }
            });
    if (t != null && !(t instanceof SchemaException)) {
      problems.add("FormatReader trl-sft: " + t);
    }
    assertThat(problems).as("readers failing on bad content with an I/O error").isEmpty();
  }

  /**
   * The same inside a file: a JSONL line, or a JSON-array element, that starts with NUL bytes is
   * decoded per record with encoding detection, and aborts the whole read with an I/O error instead
   * of rejecting that one record.
   */
  @Test
  void aRecordThatLooksLikeUtf32IsRejectedAloneAndReadingGoesOn() throws Exception {
    byte[] nuls = new byte[] {0, 0, 0, 1, 0, 0, 0, 2};
    ByteArrayOutputStream jsonl = new ByteArrayOutputStream();
    jsonl.write(
        "{\"messages\":[{\"role\":\"user\",\"content\":\"a\"},{\"role\":\"assistant\",\"content\":\"b\"}]}\n"
            .getBytes(StandardCharsets.UTF_8));
    jsonl.write(nuls);
    jsonl.write("{\"messages\":[]}\n".getBytes(StandardCharsets.UTF_8));
    jsonl.write(
        "{\"messages\":[{\"role\":\"user\",\"content\":\"c\"},{\"role\":\"assistant\",\"content\":\"d\"}]}\n"
            .getBytes(StandardCharsets.UTF_8));
    Path file = tmp.resolve("nul-line.jsonl");
    Files.write(file, jsonl.toByteArray());

    List<String> outcomes = new ArrayList<>();
    Throwable t =
        catchThrowable(
            () -> {
              try (FormatReader r = FormatReader.open(Format.TRL_SFT, file)) {
                while (r.hasNext()) {
                  ReadResult res = r.next();
                  outcomes.add(
                      res instanceof ReadResult.Ok
                          ? "ok"
                          : "rejected line " + res.location().line());
                }
              }
            });
    assertThat(t).as("reading %s", file).isNull();
    assertThat(outcomes).containsExactly("ok", "rejected line 2", "ok");

    List<String> rejected = new ArrayList<>();
    Path oasst = tmp.resolve("nul-line-oasst.jsonl");
    ByteArrayOutputStream rows = new ByteArrayOutputStream();
    rows.write(
        "{\"message_id\":\"m1\",\"parent_id\":null,\"message_tree_id\":\"m1\",\"role\":\"prompter\",\"text\":\"hi\"}\n"
            .getBytes(StandardCharsets.UTF_8));
    rows.write(nuls);
    rows.write("{}\n".getBytes(StandardCharsets.UTF_8));
    Files.write(oasst, rows.toByteArray());
    Throwable o =
        catchThrowable(
            () -> {
              try (OasstReader r =
                  OasstReader.open(
                      oasst,
                      OasstReader.Grouping.STREAMING,
                      rej -> rejected.add("line " + rej.location().line()))) {
                while (r.hasNext()) {
                  r.next();
                }
              }
            });
    assertThat(o).as("reading %s", oasst).isNull();
    assertThat(rejected).containsExactly("line 2");
  }
}
