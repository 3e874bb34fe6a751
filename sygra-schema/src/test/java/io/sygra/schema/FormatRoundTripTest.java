package io.sygra.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Read → write → read gives equal records, on every fixture file. */
class FormatRoundTripTest {
  @TempDir Path tmp;

  static List<Example> readAll(Format f, Path p, List<ReadResult.Rejected> rejects) {
    List<Example> out = new ArrayList<>();
    try (FormatReader r = FormatReader.open(f, p)) {
      while (r.hasNext()) {
        ReadResult res = r.next();
        if (res instanceof ReadResult.Ok ok) {
          out.add(ok.example());
        } else {
          rejects.add((ReadResult.Rejected) res);
        }
      }
    }
    return out;
  }

  static List<Example> readAll(Format f, Path p) {
    List<ReadResult.Rejected> rejects = new ArrayList<>();
    List<Example> out = readAll(f, p, rejects);
    assertThat(rejects).isEmpty();
    return out;
  }

  static Path writeAll(Format f, List<? extends Example> examples, Path p) throws IOException {
    try (OutputStream out = Files.newOutputStream(p);
        FormatWriter w = FormatWriter.open(f, out, true)) {
      for (Example e : examples) {
        w.write(e);
      }
    }
    return p;
  }

  @ParameterizedTest(name = "{0} via {1}: {2}")
  @CsvSource({
    "llamafactory-dpo, trl-dpo, " + Fixtures.LF_DPO + ", 143",
    "llamafactory-dpo, openai-preference, " + Fixtures.LF_DPO + ", 143",
    "llamafactory-dpo, sygra-oasst, " + Fixtures.LF_DPO + ", 143",
    "kto, kto, " + Fixtures.LF_KTO + ", 151",
    "alpaca, alpaca, " + Fixtures.ALPACA + ", 505",
    "alpaca, trl-sft, " + Fixtures.ALPACA + ", 505",
    "alpaca, sharegpt, " + Fixtures.ALPACA + ", 505",
    "alpaca, trl-prompt-completion, " + Fixtures.ALPACA + ", 505",
    "alpaca, openai-chat, " + Fixtures.ALPACA + ", 505",
    "alpaca, sygra-oasst, " + Fixtures.ALPACA + ", 505",
    "sharegpt, sharegpt, " + Fixtures.GLAIVE + ", 165",
    "sharegpt, trl-sft, " + Fixtures.GLAIVE + ", 165",
    "sharegpt, trl-prompt-completion, " + Fixtures.GLAIVE + ", 165",
    "sharegpt, sharegpt, " + Fixtures.AXOLOTL + ", 1",
    "sharegpt, sharegpt, " + Fixtures.AXOLOTL_MISSING + ", 1",
    "sharegpt, trl-sft, " + Fixtures.AXOLOTL_MISSING + ", 1",
  })
  void roundTrip(String from, String via, String file, int count) throws IOException {
    List<Example> first = readAll(Format.parse(from), Fixtures.file(file));
    assertThat(first).hasSize(count);
    Format f = Format.parse(via);
    Path written = writeAll(f, first, tmp.resolve("out.jsonl"));
    List<Example> second = readAll(f, written);
    assertThat(second).isEqualTo(first);
    // Writing the re-read records gives the same bytes: the output is a fixed point.
    Path again = writeAll(f, second, tmp.resolve("again.jsonl"));
    assertThat(Files.readAllBytes(again)).isEqualTo(Files.readAllBytes(written));
  }

  @Test
  void hhRlhfRoundTripsThroughTrlDpoExceptTheRejectedRows() throws IOException {
    List<ReadResult.Rejected> rejects = new ArrayList<>();
    List<Example> first = readAll(Format.HH_RLHF, Fixtures.file(Fixtures.HH), rejects);
    assertThat(first).hasSize(1121 - 4);
    assertThat(rejects).extracting(r -> r.location().line()).containsExactly(37L, 253L, 450L, 529L);
    Path written = writeAll(Format.TRL_DPO, first, tmp.resolve("hh.jsonl"));
    assertThat(readAll(Format.TRL_DPO, written)).isEqualTo(first);
  }

  @Test
  void glaiveToolCallsBecomeOpenAiToolCallsAndBack() throws IOException {
    List<Example> glaive = readAll(Format.SHAREGPT, Fixtures.file(Fixtures.GLAIVE));
    Path openai = writeAll(Format.OPENAI_CHAT, glaive, tmp.resolve("openai.jsonl"));
    List<Example> viaOpenAi = readAll(Format.OPENAI_CHAT, openai);
    // Back to ShareGPT: the same bytes as writing the Glaive records directly.
    Path direct = writeAll(Format.SHAREGPT, glaive, tmp.resolve("direct.jsonl"));
    Path back = writeAll(Format.SHAREGPT, viaOpenAi, tmp.resolve("back.jsonl"));
    assertThat(Files.readAllLines(back)).isEqualTo(Files.readAllLines(direct));
    // And the OpenAI records round-trip on their own.
    assertThat(
            readAll(
                Format.OPENAI_CHAT,
                writeAll(Format.OPENAI_CHAT, viaOpenAi, tmp.resolve("openai2.jsonl"))))
        .isEqualTo(viaOpenAi);
  }

  @Test
  void oasstSftAndDpoRoundTripThroughTrlAndSygraOasst() throws IOException {
    for (String file : List.of(Fixtures.FLAT, Fixtures.TREES, Fixtures.NODES, Fixtures.EARLY)) {
      List<Conversation> sft = new ArrayList<>();
      List<Preference> dpo = new ArrayList<>();
      try (OasstReader r =
          OasstReader.open(
              Fixtures.file(file),
              OasstReader.Grouping.STREAMING,
              rej -> {
                throw new AssertionError(rej);
              })) {
        r.forEachRemaining(
            t -> {
              OasstTree.Selection s = t.select(OasstFilter.defaults());
              sft.addAll(s.sftConversations(SftPaths.ALL));
              dpo.addAll(s.dpoPairs(DpoPairs.ALL_PAIRS));
            });
      }
      assertThat(sft).as(file).isNotEmpty();
      assertThat(dpo).as(file).isNotEmpty();
      for (Format f : List.of(Format.TRL_SFT, Format.SYGRA_OASST, Format.SHAREGPT)) {
        assertThat(readAll(f, writeAll(f, sft, tmp.resolve("sft.jsonl"))))
            .as(file + " " + f)
            .isEqualTo(sft);
      }
      for (Format f : List.of(Format.TRL_DPO, Format.SYGRA_OASST)) {
        assertThat(readAll(f, writeAll(f, dpo, tmp.resolve("dpo.jsonl"))))
            .as(file + " " + f)
            .isEqualTo(dpo);
      }
    }
  }
}
