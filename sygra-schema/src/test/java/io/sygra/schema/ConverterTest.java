package io.sygra.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sygra.core.ConfigurationException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConverterTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  @TempDir Path tmp;

  private Converter.Builder oasst(String file, Format to) {
    return Converter.builder()
        .from(Format.OASST)
        .to(to)
        .input(Fixtures.file(file))
        .output(tmp.resolve("out.jsonl"));
  }

  private List<JsonNode> output(String name) throws IOException {
    List<JsonNode> out = new ArrayList<>();
    for (String l : Files.readAllLines(tmp.resolve(name), StandardCharsets.UTF_8)) {
      out.add(MAPPER.readTree(l));
    }
    return out;
  }

  /** Counts cross-checked with an independent script over the fixtures (see the report). */
  @ParameterizedTest
  @CsvSource({
    Fixtures.FLAT + ", trl-sft, all, best-vs-worst, 421",
    Fixtures.FLAT + ", trl-dpo, all, best-vs-worst, 190",
    Fixtures.FLAT + ", trl-dpo, all, best-vs-rest, 330",
    Fixtures.FLAT + ", trl-dpo, all, all-pairs, 475",
    Fixtures.FLAT + ", kto, all, best-vs-worst, 380",
    Fixtures.TREES + ", trl-sft, all, best-vs-worst, 294",
    Fixtures.TREES + ", trl-dpo, all, all-pairs, 420",
    Fixtures.EARLY + ", trl-sft, all, best-vs-worst, 26",
    Fixtures.EARLY + ", trl-dpo, all, best-vs-rest, 18",
    Fixtures.EARLY + ", trl-sft, best, best-vs-worst, 8",
  })
  void oasstConversionCounts(String file, String to, String paths, String pairs, long written) {
    ConversionSummary s =
        oasst(file, Format.parse(to))
            .sftPaths(SftPaths.parse(paths))
            .dpoPairs(DpoPairs.parse(pairs))
            .build()
            .run();
    assertThat(s.written()).isEqualTo(written);
    assertThat(s.rejected()).isZero();
  }

  @Test
  void flatSummaryCountsTreesMessagesOrphansAndExcluded() throws IOException {
    ConversionSummary s = oasst(Fixtures.FLAT, Format.TRL_SFT).build().run();
    assertThat(s.toJson())
        .startsWith(
            "{\"read\":953,\"written\":421,\"rejected\":0,\"trees\":91,"
                + "\"messages\":953,\"orphans\":1,\"excluded\":41,\"kept\":912,\"grouping\":\"streaming\","
                + "\"from\":\"oasst\",\"to\":\"trl-sft\",\"elapsed_ms\":");
    JsonNode first = output("out.jsonl").get(0);
    assertThat(first.get("messages").get(0).get("role").asText()).isEqualTo("user");
    assertThat(first.get("metadata").get("tree_id").asText()).isEqualTo(Fixtures.flatId(1));
  }

  @Test
  void dpoOutputIsTrlExplicitPromptWithMetadata() throws IOException {
    oasst(Fixtures.FLAT, Format.TRL_DPO).build().run();
    JsonNode first = output("out.jsonl").get(0);
    assertThat(first.fieldNames())
        .toIterable()
        .containsExactly("prompt", "chosen", "rejected", "metadata");
    assertThat(first.get("chosen")).hasSize(1);
    assertThat(first.get("chosen").get(0).get("role").asText()).isEqualTo("assistant");
    assertThat(first.get("metadata").get("chosen_rank").asInt())
        .isLessThan(first.get("metadata").get("rejected_rank").asInt());
  }

  @Test
  void langFilterAndNoMetadata() throws IOException {
    ConversionSummary s =
        oasst(Fixtures.FLAT, Format.TRL_SFT)
            .filter(OasstFilter.builder().lang("DE").build())
            .metadata(false)
            .build()
            .run();
    assertThat(s.written()).isZero();
    assertThat(s.oasst().kept()).isZero();
    assertThat(s.oasst().excluded()).isEqualTo(953);
    ConversionSummary en =
        oasst(Fixtures.FLAT, Format.TRL_SFT)
            .filter(OasstFilter.builder().lang("en").build())
            .metadata(false)
            .build()
            .run();
    assertThat(en.written()).isEqualTo(421);
    assertThat(Files.readString(tmp.resolve("out.jsonl"))).doesNotContain("\"metadata\"");
  }

  @Test
  void interleavedTreesFallBackToInMemoryGroupingAndSaySo() throws IOException {
    List<String> f = Fixtures.lines(Fixtures.FLAT);
    List<String> lines = new ArrayList<>(f.subList(0, 2));
    lines.addAll(f.subList(4, 16));
    lines.addAll(f.subList(2, 4));
    Path in = tmp.resolve("interleaved.jsonl");
    Files.write(in, lines, StandardCharsets.UTF_8);
    ConversionSummary s =
        Converter.builder()
            .from(Format.OASST)
            .to(Format.TRL_SFT)
            .input(in)
            .output(tmp.resolve("a.jsonl"))
            .build()
            .run();
    assertThat(s.oasst().grouping()).startsWith("in-memory (interleaved.jsonl:15: $: tree '");
    assertThat(s.oasst().trees()).isEqualTo(2);
    assertThat(s.read()).isEqualTo(16);
    // Same output as the contiguous rows.
    Path contiguous = tmp.resolve("contiguous.jsonl");
    Files.write(contiguous, f.subList(0, 16), StandardCharsets.UTF_8);
    Converter.builder()
        .from(Format.OASST)
        .to(Format.TRL_SFT)
        .input(contiguous)
        .output(tmp.resolve("b.jsonl"))
        .build()
        .run();
    assertThat(Files.readAllLines(tmp.resolve("a.jsonl")))
        .isEqualTo(Files.readAllLines(tmp.resolve("b.jsonl")));
    // Forcing streaming fails instead.
    assertThatThrownBy(
            () ->
                Converter.builder()
                    .from(Format.OASST)
                    .to(Format.TRL_SFT)
                    .input(in)
                    .output(tmp.resolve("c.jsonl"))
                    .grouping(OasstReader.Grouping.STREAMING)
                    .build()
                    .run())
        .isInstanceOf(ConversionException.class)
        .hasMessageContaining("trees are not contiguous");
    assertThat(tmp.resolve("c.jsonl")).doesNotExist();
  }

  @Test
  void rejectsFileNamesLineReasonAndRecord() throws IOException {
    Path rejects = tmp.resolve("rejects.jsonl");
    ConversionSummary s =
        Converter.builder()
            .from(Format.HH_RLHF)
            .to(Format.TRL_DPO)
            .input(Fixtures.file(Fixtures.HH))
            .output(tmp.resolve("out.jsonl"))
            .rejects(rejects)
            .build()
            .run();
    assertThat(s.read()).isEqualTo(1121);
    assertThat(s.written()).isEqualTo(1117);
    assertThat(s.rejected()).isEqualTo(4);
    List<JsonNode> rej = output("rejects.jsonl");
    assertThat(rej).extracting(r -> r.get("line").asInt()).containsExactly(37, 253, 450, 529);
    assertThat(rej.get(0).get("reason").asText())
        .isEqualTo("$.chosen: the final Assistant turn is empty");
    assertThat(rej.get(0).get("record").get("chosen").asText()).endsWith("\n\nAssistant: ");
  }

  @Test
  void validationRejectsGoToTheRejectsFileWithTheExample() throws IOException {
    Path rejects = tmp.resolve("rejects.jsonl");
    ConversionSummary s =
        Converter.builder()
            .from(Format.SHAREGPT)
            .to(Format.TRL_SFT)
            .input(Fixtures.file(Fixtures.AXOLOTL_MISSING))
            .output(tmp.resolve("out.jsonl"))
            .rejects(rejects)
            .build()
            .run();
    assertThat(s.written()).isZero();
    assertThat(s.rejected()).isEqualTo(1);
    JsonNode r = output("rejects.jsonl").get(0);
    assertThat(r.get("line").asInt()).isEqualTo(1);
    assertThat(r.get("reason").asText()).isEqualTo("$.messages[1].content: empty");
    assertThat(r.get("example").get("messages")).hasSize(12);
    assertThat(Files.readString(tmp.resolve("out.jsonl"))).isEmpty();
  }

  @Test
  void arrayInputRejectsCarryTheIndex() throws IOException {
    Path in = tmp.resolve("a.json");
    Files.writeString(
        in, "[\n{\"instruction\":\"a\",\"output\":\"b\"},\n{\"instruction\":\"a\"}\n]\n");
    Converter.builder()
        .from(Format.ALPACA)
        .to(Format.TRL_SFT)
        .input(in)
        .output(tmp.resolve("out.jsonl"))
        .rejects(tmp.resolve("rej.jsonl"))
        .build()
        .run();
    JsonNode r = output("rej.jsonl").get(0);
    assertThat(r.get("line").asInt()).isEqualTo(3);
    assertThat(r.get("index").asInt()).isEqualTo(1);
    assertThat(r.get("reason").asText()).isEqualTo("$.output: missing");
    assertThat(r.get("record").get("instruction").asText()).isEqualTo("a");
  }

  @Test
  void strictStopsAtTheFirstRejectAndLeavesNoOutput() throws IOException {
    assertThatThrownBy(
            () ->
                Converter.builder()
                    .from(Format.HH_RLHF)
                    .to(Format.TRL_DPO)
                    .input(Fixtures.file(Fixtures.HH))
                    .output(tmp.resolve("out.jsonl"))
                    .rejects(tmp.resolve("rej.jsonl"))
                    .strict(true)
                    .build()
                    .run())
        .isInstanceOfSatisfying(
            ConversionException.class,
            e -> {
              assertThat(e)
                  .hasMessage(
                      "strict: rejected hh_rlhf_harmless_base_test.jsonl:37: $.chosen:"
                          + " the final Assistant turn is empty");
              assertThat(e.location().line()).isEqualTo(37);
              assertThat(e.partialSummary().read()).isEqualTo(37);
              assertThat(e.partialSummary().written()).isEqualTo(36);
              assertThat(e.summaryJson())
                  .startsWith("{\"read\":37,\"written\":36,\"rejected\":1,")
                  .contains("\"error\":\"strict: rejected");
            });
    try (Stream<Path> files = Files.list(tmp)) {
      assertThat(files).containsExactly(tmp.resolve("rej.jsonl"));
    }
    assertThat(output("rej.jsonl"))
        .singleElement()
        .satisfies(r -> assertThat(r.get("line").asInt()).isEqualTo(37));
  }

  @Test
  void unreadableInputIsAConversionException() {
    assertThatThrownBy(
            () ->
                Converter.builder()
                    .from(Format.TRL_SFT)
                    .to(Format.SHAREGPT)
                    .input(tmp.resolve("missing.jsonl"))
                    .output(tmp.resolve("out.jsonl"))
                    .build()
                    .run())
        .isInstanceOf(ConversionException.class)
        .hasMessageContaining("cannot read input");
  }

  @Test
  void impossibleConversionsAreConfigurationErrors() {
    assertThatThrownBy(
            () ->
                Converter.builder()
                    .from(Format.SHAREGPT)
                    .to(Format.TRL_DPO)
                    .input(tmp.resolve("a"))
                    .output(tmp.resolve("b"))
                    .build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("to: cannot convert SFT conversations (sharegpt) to preference data (trl-dpo)");
    assertThatThrownBy(
            () ->
                Converter.builder()
                    .from(Format.KTO)
                    .to(Format.TRL_DPO)
                    .input(tmp.resolve("a"))
                    .output(tmp.resolve("b"))
                    .build())
        .isInstanceOf(ConfigurationException.class);
    assertThatThrownBy(() -> Converter.builder().from(Format.TRL_SFT).to(Format.HH_RLHF))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("hh-rlhf cannot be written");
    assertThatThrownBy(
            () ->
                Converter.builder()
                    .from(Format.TRL_SFT)
                    .to(Format.TRL_SFT)
                    .input(tmp.resolve("a"))
                    .output(tmp.resolve("a"))
                    .build())
        .hasMessageContaining("output: must differ from the input");
  }

  @Test
  void ktoToSftKeepsDesirableExamplesAndRejectsTheOthers() {
    ConversionSummary s =
        Converter.builder()
            .from(Format.KTO)
            .to(Format.TRL_SFT)
            .input(Fixtures.file(Fixtures.LF_KTO))
            .output(tmp.resolve("out.jsonl"))
            .build()
            .run();
    assertThat(s.written()).isEqualTo(76);
    assertThat(s.rejected()).isEqualTo(75);
  }

  @Test
  void pairsBecomeTwoKtoExamples() {
    ConversionSummary s =
        Converter.builder()
            .from(Format.LLAMAFACTORY_DPO)
            .to(Format.KTO)
            .input(Fixtures.file(Fixtures.LF_DPO))
            .output(tmp.resolve("out.jsonl"))
            .build()
            .run();
    assertThat(s.read()).isEqualTo(143);
    assertThat(s.written()).isEqualTo(286);
  }

  @Test
  void oasstToSygraOasstWritesConversationsUnlessPairsAreAskedFor() throws IOException {
    ConversionSummary sft = oasst(Fixtures.EARLY, Format.SYGRA_OASST).build().run();
    List<Example> convs = FormatRoundTripTest.readAll(Format.SYGRA_OASST, tmp.resolve("out.jsonl"));
    assertThat(convs).hasSize(26).allMatch(e -> e instanceof Conversation);
    assertThat(sft.written())
        .isEqualTo(convs.stream().mapToLong(e -> ((Conversation) e).messages().size()).sum());
    oasst(Fixtures.EARLY, Format.SYGRA_OASST).dpoPairs(DpoPairs.BEST_VS_WORST).build().run();
    List<Example> pairs = FormatRoundTripTest.readAll(Format.SYGRA_OASST, tmp.resolve("out.jsonl"));
    assertThat(pairs).hasSize(9).allMatch(e -> e instanceof Preference p && p.isPaired());
  }
}
