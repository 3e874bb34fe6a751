package io.sygra.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OasstReaderTest {
  @TempDir Path tmp;

  private static List<OasstTree> read(
      Path p, OasstReader.Grouping g, List<ReadResult.Rejected> rejects) {
    List<OasstTree> trees = new ArrayList<>();
    try (OasstReader r = OasstReader.open(p, g, OasstReader.Detail.FULL, rejects::add)) {
      r.forEachRemaining(trees::add);
    }
    return trees;
  }

  private static List<OasstTree> read(Path p, OasstReader.Grouping g) {
    List<ReadResult.Rejected> rejects = new ArrayList<>();
    List<OasstTree> trees = read(p, g, rejects);
    assertThat(rejects).isEmpty();
    return trees;
  }

  @ParameterizedTest
  @CsvSource({
    Fixtures.FLAT + ", 91, 953, STREAMING",
    Fixtures.FLAT + ", 91, 953, IN_MEMORY",
    Fixtures.TREES + ", 54, 656, STREAMING",
    Fixtures.TREES + ", 54, 656, IN_MEMORY",
    Fixtures.NODES + ", 54, 656, STREAMING",
    Fixtures.NODES + ", 54, 656, IN_MEMORY",
    Fixtures.EARLY + ", 8, 64, STREAMING",
    Fixtures.EARLY + ", 8, 64, IN_MEMORY",
  })
  void everyOasstFixtureParses(String file, int trees, int messages, OasstReader.Grouping g) {
    List<OasstTree> read = read(Fixtures.file(file), g);
    assertThat(read).hasSize(trees);
    assertThat(read.stream().mapToInt(OasstTree::size).sum()).isEqualTo(messages);
  }

  @Test
  void bothEn100SerializationsParseToTheSameMessages() {
    List<OasstTree> t = read(Fixtures.file(Fixtures.TREES), OasstReader.Grouping.STREAMING);
    List<OasstTree> n = read(Fixtures.file(Fixtures.NODES), OasstReader.Grouping.STREAMING);
    assertThat(n).hasSameSizeAs(t);
    for (int i = 0; i < t.size(); i++) {
      assertThat(n.get(i).id()).isEqualTo(t.get(i).id());
      List<OasstMessage> tm = t.get(i).messages().stream().map(m -> m.withTreeId(null)).toList();
      assertThat(n.get(i).messages()).isEqualTo(tm);
    }
  }

  @Test
  void en100SerializationsYieldIdenticalSftAndDpoOutput() throws IOException {
    for (Format to : List.of(Format.TRL_SFT, Format.TRL_DPO)) {
      Path a = tmp.resolve("t-" + to + ".jsonl");
      Path b = tmp.resolve("n-" + to + ".jsonl");
      convert(Fixtures.file(Fixtures.TREES), a, to);
      convert(Fixtures.file(Fixtures.NODES), b, to);
      assertThat(Files.readAllBytes(b)).isEqualTo(Files.readAllBytes(a));
      assertThat(Files.readAllLines(a)).hasSizeGreaterThan(50);
    }
  }

  private static ConversionSummary convert(Path in, Path out, Format to) {
    return Converter.builder().from(Format.OASST).to(to).input(in).output(out).build().run();
  }

  @Test
  void flatRowsZipEmojisAndLabelsByPosition() {
    OasstTree first = read(Fixtures.file(Fixtures.FLAT), OasstReader.Grouping.STREAMING).get(0);
    OasstMessage root = first.message(Fixtures.flatId(1));
    assertThat(root.emojis()).containsExactly(Map.entry("+1", 2), Map.entry("_skip_reply", 2));
    assertThat(root.labels().get("quality"))
        .isEqualTo(new OasstMessage.Label(0.5833333333333334, 3));
    assertThat(root.label("toxicity")).isEqualTo(0.25);
    assertThat(root.detoxify()).containsKey("severe_toxicity").hasSize(7);
    assertThat(root.createdDate()).isEqualTo("2023-02-11T11:30:40.651924+00:00");
    assertThat(root.role()).isEqualTo(Role.USER);
  }

  @Test
  void coreDetailSkipsUnusedFields() {
    try (OasstReader r =
        OasstReader.open(
            Fixtures.file(Fixtures.FLAT),
            OasstReader.Grouping.STREAMING,
            OasstReader.Detail.CORE,
            rej -> {})) {
      OasstMessage root = r.next().message(Fixtures.flatId(1));
      assertThat(root.detoxify()).isNull();
      assertThat(root.emojis()).isNull();
      assertThat(root.userId()).isNull();
      assertThat(root.labels()).containsKey("quality");
      assertThat(root.reviewResult()).isTrue();
    }
  }

  @Test
  void emptyEmojiMapIsNotAbsent() {
    List<OasstTree> t = read(Fixtures.file(Fixtures.TREES), OasstReader.Grouping.STREAMING);
    long empty =
        t.stream()
            .flatMap(x -> x.messages().stream())
            .filter(m -> m.emojis() != null && m.emojis().isEmpty())
            .count();
    long absent =
        t.stream().flatMap(x -> x.messages().stream()).filter(m -> m.emojis() == null).count();
    assertThat(empty).isEqualTo(5);
    assertThat(absent).isEqualTo(183);
  }

  @Test
  void interleavedTreesFailStreamingAndGroupInMemory() throws IOException {
    List<String> f = Fixtures.lines(Fixtures.FLAT);
    // Tree 1 is l.1-4, tree 2 l.5-16. Put the end of tree 1 after tree 2.
    List<String> lines = new ArrayList<>(f.subList(0, 2));
    lines.addAll(f.subList(4, 16));
    lines.addAll(f.subList(2, 4));
    Path in = write("interleaved.jsonl", lines);
    assertThatThrownBy(() -> read(in, OasstReader.Grouping.STREAMING))
        .isInstanceOf(OasstReader.NotContiguousException.class)
        .hasMessageContaining("interleaved.jsonl:15")
        .hasMessageContaining("appears again");
    List<OasstTree> trees = read(in, OasstReader.Grouping.IN_MEMORY);
    assertThat(trees).hasSize(2);
    assertThat(trees.get(0).size()).isEqualTo(4);
    assertThat(trees.get(1).size()).isEqualTo(12);
    assertThat(trees.get(0).location().line()).isEqualTo(1);
    assertThat(trees.get(0).orphans()).isEmpty();
  }

  @Test
  void duplicatesAcrossExportsMergeByMessageId() throws IOException {
    List<String> lines = new ArrayList<>(Fixtures.lines(Fixtures.TREES));
    lines.addAll(Fixtures.lines(Fixtures.FLAT));
    Path in = write("both.jsonl", lines);
    Map<String, OasstTree> byId = new LinkedHashMap<>();
    read(in, OasstReader.Grouping.IN_MEMORY).forEach(t -> byId.put(t.id().substring(0, 8), t));
    // 5103ab92: 13 messages in T, 15 in F (F adds two unranked replies).
    assertThat(byId.get("5103ab92").size()).isEqualTo(15);
    assertThat(byId.get("330fc1cf").size()).isEqualTo(12);
    assertThat(byId).hasSize(54 + 91 - 4);
    // Merged nodes keep fields that only one export has: created_date from F, tree id from T.
    OasstMessage m = byId.get("5103ab92").roots().get(0);
    assertThat(m.createdDate()).isNotNull();
    assertThat(m.labels()).isNotNull();
  }

  @Test
  void flatRowsWithoutTreeIdsAreGroupedByParent() throws IOException {
    ObjectMapper mapper = new ObjectMapper();
    List<String> lines = new ArrayList<>();
    for (String l : Fixtures.lines(Fixtures.FLAT).subList(0, 50)) {
      ObjectNode o = (ObjectNode) mapper.readTree(l);
      o.remove("message_tree_id");
      lines.add(mapper.writeValueAsString(o));
    }
    List<OasstTree> trees = read(write("noids.jsonl", lines), OasstReader.Grouping.STREAMING);
    assertThat(trees).extracting(OasstTree::size).containsExactly(4, 12, 12, 22);
    assertThat(trees.get(0).id()).isEqualTo(Fixtures.flatId(1));
  }

  @Test
  void badRecordsAreRejectedWithLineAndPathAndReadingGoesOn() throws IOException {
    List<String> f = Fixtures.lines(Fixtures.FLAT);
    List<String> lines = new ArrayList<>(f.subList(0, 3));
    lines.add(
        "{\"message_id\": \"x\", \"text\": \"t\", \"role\": \"prompter\", \"rank\": \"high\"}");
    lines.add("{not json");
    lines.add("{\"message_id\": \"y\", \"text\": \"t\", \"role\": \"moderator\"}");
    lines.add("{\"foo\": 1}");
    lines.add(
        "{\"message_tree_id\": \"w\", \"prompt\": {\"message_id\": \"w\", \"text\": \"t\","
            + " \"role\": \"prompter\", \"replies\": [{\"message_id\": \"r\", \"text\": 5,"
            + " \"role\": \"assistant\"}]}}");
    lines.add(f.get(3));
    List<ReadResult.Rejected> rejects = new ArrayList<>();
    List<OasstTree> trees =
        read(write("bad.jsonl", lines), OasstReader.Grouping.STREAMING, rejects);
    assertThat(rejects)
        .extracting(r -> r.location().line() + " " + r.reason())
        .containsExactly(
            "4 $.rank: expected an integer, found a string",
            "5 $: malformed JSON: Unexpected character ('n' (code 110)): was expecting double-quote"
                + " to start field name",
            "6 $.role: unknown role 'moderator' (expected prompter or assistant)",
            "7 $.message_id: missing",
            "8 $.prompt.replies[0].text: expected a string, found a number");
    assertThat(rejects.get(1).raw()).isEqualTo("{not json");
    // The good rows around the bad ones still form the first tree.
    assertThat(trees).singleElement().extracting(OasstTree::size).isEqualTo(4);
  }

  @Test
  void jsonArrayOfTreesIsAccepted() throws IOException {
    String array = "[\n" + String.join(",\n", Fixtures.lines(Fixtures.EARLY)) + "\n]\n";
    Path in = tmp.resolve("early.json");
    Files.writeString(in, array, StandardCharsets.UTF_8);
    List<OasstTree> trees = read(in, OasstReader.Grouping.STREAMING);
    assertThat(trees).hasSize(8);
    assertThat(trees.get(2).location()).isEqualTo(new Location("early.json", 4, 2));
  }

  @Test
  void threadFormIsAccepted() throws IOException {
    String thread =
        "{\"thread_id\": \"a\", \"thread\": ["
            + "{\"message_id\": \"p\", \"parent_id\": null, \"text\": \"hi\", \"role\": \"prompter\"},"
            + "{\"message_id\": \"a\", \"parent_id\": \"p\", \"text\": \"hello\", \"role\": \"assistant\"}]}";
    List<OasstTree> trees =
        read(write("thread.jsonl", List.of(thread)), OasstReader.Grouping.STREAMING);
    assertThat(trees)
        .singleElement()
        .satisfies(
            t -> {
              assertThat(t.id()).isEqualTo("p");
              assertThat(t.select(OasstFilter.defaults()).sftConversations(SftPaths.ALL))
                  .singleElement()
                  .satisfies(
                      c ->
                          assertThat(c.messages())
                              .containsExactly(Message.user("hi"), Message.assistant("hello")));
            });
  }

  private Path write(String name, List<String> lines) throws IOException {
    Path p = tmp.resolve(name);
    Files.write(p, lines, StandardCharsets.UTF_8);
    return p;
  }
}
