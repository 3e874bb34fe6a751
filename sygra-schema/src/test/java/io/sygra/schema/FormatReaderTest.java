package io.sygra.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading every format, its variants, and its malformed records. */
class FormatReaderTest {
  @TempDir Path tmp;

  private List<ReadResult> read(Format f, String... lines) throws IOException {
    Path p = tmp.resolve("in.jsonl");
    Files.write(p, List.of(lines), StandardCharsets.UTF_8);
    return readFile(f, p);
  }

  private static List<ReadResult> readFile(Format f, Path p) {
    List<ReadResult> out = new ArrayList<>();
    try (FormatReader r = FormatReader.open(f, p)) {
      r.forEachRemaining(out::add);
    }
    return out;
  }

  private static Example ok(ReadResult r) {
    assertThat(r).isInstanceOf(ReadResult.Ok.class);
    return ((ReadResult.Ok) r).example();
  }

  private static String rejected(ReadResult r) {
    assertThat(r).isInstanceOf(ReadResult.Rejected.class);
    ReadResult.Rejected rej = (ReadResult.Rejected) r;
    return rej.location().line() + " " + rej.reason();
  }

  // --- trl-dpo -------------------------------------------------------------------------------

  @Test
  void trlDpoReadsExplicitImplicitAndStandardForms() throws IOException {
    List<ReadResult> r =
        read(
            Format.TRL_DPO,
            "{\"prompt\":[{\"role\":\"user\",\"content\":\"q\"}],"
                + "\"chosen\":[{\"role\":\"assistant\",\"content\":\"a\"}],"
                + "\"rejected\":[{\"role\":\"assistant\",\"content\":\"b\"}]}",
            "{\"chosen\":[{\"role\":\"user\",\"content\":\"q\"},{\"role\":\"assistant\",\"content\":\"a\"}],"
                + "\"rejected\":[{\"role\":\"user\",\"content\":\"q\"},"
                + "{\"role\":\"assistant\",\"content\":\"b\"}]}",
            "{\"prompt\":\"q\",\"chosen\":\"a\",\"rejected\":\"b\"}",
            "{\"prompt\":\"q\",\"chosen\":[{\"role\":\"user\",\"content\":\"q\"},"
                + "{\"role\":\"assistant\",\"content\":\"a\"}],\"rejected\":[{\"role\":\"user\","
                + "\"content\":\"q\"},{\"role\":\"assistant\",\"content\":\"b\"}]}");
    Preference expected =
        Preference.pair(List.of(Message.user("q")), Message.assistant("a"), Message.assistant("b"));
    assertThat(r).map(FormatReaderTest::ok).containsOnly(expected);
  }

  @Test
  void trlDpoRejectsAmbiguousAndMixedForms() throws IOException {
    List<ReadResult> r =
        read(
            Format.TRL_DPO,
            "{\"chosen\":\"\\n\\nHuman: q\\n\\nAssistant: a\",\"rejected\":\"x\"}",
            "{\"prompt\":[],\"chosen\":\"a\",\"rejected\":[{\"role\":\"assistant\",\"content\":\"b\"}]}",
            "{\"prompt\":\"other\",\"chosen\":[{\"role\":\"user\",\"content\":\"q\"},"
                + "{\"role\":\"assistant\",\"content\":\"a\"}],\"rejected\":[{\"role\":\"user\","
                + "\"content\":\"q\"},{\"role\":\"assistant\",\"content\":\"b\"}]}",
            "{\"chosen\":[{\"role\":\"user\",\"content\":\"q\"}],"
                + "\"rejected\":[{\"role\":\"user\",\"content\":\"q\"}]}",
            "{\"prompt\":[{\"role\":\"bot\",\"content\":\"q\"}],\"chosen\":[],\"rejected\":[]}");
    assertThat(r)
        .map(FormatReaderTest::rejected)
        .containsExactly(
            "1 $.prompt: missing: the implicit-prompt string form is ambiguous; give a prompt, or"
                + " read HH-RLHF transcripts with --from hh-rlhf",
            "2 $.rejected: chosen and rejected must both be strings or both be message lists,"
                + " found a string and an array",
            "3 $.prompt: the string prompt differs from the last prompt turn of chosen and rejected",
            "4 $.rejected: identical to chosen",
            "5 $.prompt[0].role: unknown role 'bot' (expected system, user, assistant or tool)");
  }

  // --- kto -----------------------------------------------------------------------------------

  @Test
  void ktoReadsTrlAndLlamaFactoryForms() throws IOException {
    List<ReadResult> r =
        read(
            Format.KTO,
            "{\"prompt\":\"q\",\"completion\":\"a\",\"label\":true}",
            "{\"messages\":[{\"content\":\"q\",\"role\":\"user\"},{\"content\":\"a\",\"role\":\"assistant\"}],"
                + "\"label\":false}",
            "{\"prompt\":\"q\",\"completion\":\"a\"}",
            "{\"prompt\":\"q\",\"completion\":\"a\",\"label\":\"yes\"}");
    Preference good = (Preference) ok(r.get(0));
    assertThat(good.label()).isTrue();
    assertThat(good.completion()).containsExactly(Message.assistant("a"));
    Preference bad = (Preference) ok(r.get(1));
    assertThat(bad.label()).isFalse();
    assertThat(bad.prompt()).containsExactly(Message.user("q"));
    assertThat(rejected(r.get(2))).isEqualTo("3 $.label: missing");
    assertThat(rejected(r.get(3))).isEqualTo("4 $.label: expected a boolean, found a string");
  }

  @Test
  void llamaFactoryKtoFixtureKeepsLabels() {
    List<ReadResult> r = readFile(Format.KTO, Fixtures.file(Fixtures.LF_KTO));
    assertThat(r).hasSize(151);
    long desirable =
        r.stream().map(FormatReaderTest::ok).filter(e -> ((Preference) e).label()).count();
    assertThat(desirable).isEqualTo(76);
    // [2] l.44 is the first undesirable one; [12] l.230 has 12 messages.
    assertThat(r.get(2).location())
        .isEqualTo(new Location("llamafactory_kto_en_demo_messages.json", 44, 2));
    assertThat(((Preference) ok(r.get(2))).label()).isFalse();
    Preference twelve = (Preference) ok(r.get(12));
    assertThat(twelve.prompt().size() + twelve.completion().size()).isEqualTo(12);
  }

  // --- sharegpt / llamafactory ---------------------------------------------------------------

  @Test
  void shareGptMapsRolesSystemAndTools() throws IOException {
    List<ReadResult> r =
        read(
            Format.SHAREGPT,
            "{\"system\":\"be nice\",\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\"}}],"
                + "\"conversations\":[{\"from\":\"human\",\"value\":\"q\"},"
                + "{\"from\":\"function_call\",\"value\":\"[{\\\"name\\\":\\\"f\\\",\\\"arguments\\\":{\\\"x\\\":1}},"
                + "{\\\"name\\\":\\\"g\\\",\\\"arguments\\\":\\\"{}\\\"}]\"},"
                + "{\"from\":\"observation\",\"value\":\"r1\"},{\"from\":\"tool\",\"value\":\"r2\"},"
                + "{\"from\":\"gpt\",\"value\":\"a\"}]}",
            "{\"tools\":\"\",\"conversations\":[{\"from\":\"bot\",\"value\":\"q\"}]}",
            "{\"conversations\":[{\"from\":\"human\",\"value\":\"q\"},"
                + "{\"from\":\"function_call\",\"value\":\"{oops\"}]}",
            "{\"conversations\":[{\"from\":\"human\",\"value\":7}]}");
    Conversation c = (Conversation) ok(r.get(0));
    assertThat(c.tools()).singleElement().satisfies(t -> assertThat(t).containsEntry("name", "f"));
    assertThat(c.messages())
        .containsExactly(
            Message.system("be nice"),
            Message.user("q"),
            Message.assistant(
                null,
                List.of(
                    new ToolCall("call_0", "f", "{\"x\":1}"), new ToolCall("call_1", "g", "{}"))),
            Message.tool("call_0", "f", "r1"),
            Message.tool("call_1", "g", "r2"),
            Message.assistant("a"));
    assertThat(rejected(r.get(1)))
        .isEqualTo(
            "2 $.conversations[0].from: unknown role 'bot' (expected human, gpt, system,"
                + " function_call, observation or tool)");
    assertThat(rejected(r.get(2)))
        .isEqualTo("3 $.conversations[1].value: function_call is not valid JSON");
    assertThat(rejected(r.get(3)))
        .isEqualTo("4 $.conversations[0].value: expected a string, found a number");
  }

  @Test
  void glaiveFixtureToolsAreJsonStringsAndCallsGetIds() {
    List<ReadResult> r = readFile(Format.SHAREGPT, Fixtures.file(Fixtures.GLAIVE));
    assertThat(r).hasSize(165);
    List<Conversation> all = r.stream().map(x -> (Conversation) ok(x)).toList();
    assertThat(all.stream().filter(c -> c.tools().isEmpty()).count()).isEqualTo(65);
    assertThat(all.stream().filter(c -> c.tools().size() == 2).count()).isEqualTo(13);
    long calls =
        all.stream().flatMap(c -> c.messages().stream()).mapToLong(m -> m.toolCalls().size()).sum();
    assertThat(calls).isEqualTo(121);
    // Each call is answered by the next observation, which carries the call's id and name.
    for (Conversation c : all) {
      for (int i = 0; i < c.messages().size(); i++) {
        Message m = c.messages().get(i);
        if (!m.toolCalls().isEmpty()) {
          Message answer = c.messages().get(i + 1);
          assertThat(answer.role()).isEqualTo(Role.TOOL);
          assertThat(answer.toolCallId()).isEqualTo(m.toolCalls().get(0).id());
          assertThat(answer.name()).isEqualTo(m.toolCalls().get(0).name());
        }
      }
      assertThat(Validator.strict().validate(c)).isEmpty();
    }
    // [1] l.39 holds three calls.
    assertThat(all.get(1).messages().stream().filter(m -> !m.toolCalls().isEmpty()).count())
        .isEqualTo(3);
  }

  @Test
  void axolotlSingleObjectFilesAreRead() {
    List<ReadResult> r = readFile(Format.SHAREGPT, Fixtures.file(Fixtures.AXOLOTL));
    assertThat(r)
        .singleElement()
        .satisfies(
            x -> {
              assertThat(((Conversation) ok(x)).messages()).hasSize(12);
              assertThat(x.location().line()).isEqualTo(1);
            });
  }

  @Test
  void emptyReplyFixtureReadsButFailsValidationAtItsPath() {
    Conversation c =
        (Conversation)
            ok(readFile(Format.SHAREGPT, Fixtures.file(Fixtures.AXOLOTL_MISSING)).get(0));
    assertThat(c.messages().get(1)).isEqualTo(Message.assistant(""));
    assertThat(Validator.standard().validate(c))
        .containsExactly(new ValidationError("$.messages[1].content", "empty"));
  }

  @Test
  void llamaFactoryDpoMapsConversationsAndSingleReplies() {
    List<ReadResult> r = readFile(Format.LLAMAFACTORY_DPO, Fixtures.file(Fixtures.LF_DPO));
    assertThat(r).hasSize(143);
    // [3] l.50 starts with a system turn.
    assertThat(r.get(3).location().line()).isEqualTo(50);
    Preference p3 = (Preference) ok(r.get(3));
    assertThat(p3.prompt().get(0).role()).isEqualTo(Role.SYSTEM);
    // [11] l.206 has seven prompt turns h/g/h/g/h/g/h.
    Preference p11 = (Preference) ok(r.get(11));
    assertThat(p11.prompt())
        .extracting(Message::role)
        .containsExactly(
            Role.USER,
            Role.ASSISTANT,
            Role.USER,
            Role.ASSISTANT,
            Role.USER,
            Role.ASSISTANT,
            Role.USER);
    assertThat(p11.chosen()).singleElement().extracting(Message::role).isEqualTo(Role.ASSISTANT);
    for (ReadResult x : r) {
      assertThat(Validator.standard().validate(ok(x))).isEmpty();
    }
  }

  // --- alpaca --------------------------------------------------------------------------------

  @Test
  void alpacaJoinsInputAndReadsHistory() throws IOException {
    List<ReadResult> r =
        read(
            Format.ALPACA,
            "{\"instruction\":\"Translate\",\"input\":\"hola\",\"output\":\"hello\",\"system\":\"s\","
                + "\"history\":[[\"q0\",\"a0\"]]}",
            "{\"instruction\":\"Say hi\",\"input\":\"\",\"output\":\"hi\"}",
            "{\"instruction\":\"x\",\"output\":\"y\",\"history\":[[\"only one\"]]}",
            "{\"input\":\"x\",\"output\":\"y\"}");
    assertThat(((Conversation) ok(r.get(0))).messages())
        .containsExactly(
            Message.system("s"),
            Message.user("q0"),
            Message.assistant("a0"),
            Message.user("Translate\nhola"),
            Message.assistant("hello"));
    assertThat(((Conversation) ok(r.get(1))).messages())
        .containsExactly(Message.user("Say hi"), Message.assistant("hi"));
    assertThat(rejected(r.get(2)))
        .isEqualTo("3 $.history[0]: expected an [instruction, response] pair of strings");
    assertThat(rejected(r.get(3))).isEqualTo("4 $.instruction: missing");
  }

  @Test
  void alpacaFixtureFirstNonEmptyInputIsAt3() {
    List<ReadResult> r = readFile(Format.ALPACA, Fixtures.file(Fixtures.ALPACA));
    assertThat(r).hasSize(505);
    assertThat(r.get(3).location().line()).isEqualTo(17);
    assertThat(((Conversation) ok(r.get(3))).messages().get(0).content()).contains("\n");
    assertThat(((Conversation) ok(r.get(0))).messages().get(0).content()).doesNotContain("\n");
  }

  // --- openai --------------------------------------------------------------------------------

  @Test
  void openAiChatReadsToolsAndRejectsContentPartsAndUnknownRoles() throws IOException {
    List<ReadResult> r =
        read(
            Format.OPENAI_CHAT,
            "{\"messages\":[{\"role\":\"user\",\"content\":\"q\"},{\"role\":\"assistant\","
                + "\"tool_calls\":[{\"id\":\"c1\",\"type\":\"function\",\"function\":{\"name\":\"f\","
                + "\"arguments\":\"{\\\"a\\\": 1}\"}}]},{\"role\":\"tool\",\"tool_call_id\":\"c1\","
                + "\"content\":\"r\"},{\"role\":\"assistant\",\"content\":\"done\"}],"
                + "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\"}}],"
                + "\"parallel_tool_calls\":false}",
            "{\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"q\"}]}]}",
            "{\"messages\":[{\"role\":\"developer\",\"content\":\"q\"}]}");
    Conversation c = (Conversation) ok(r.get(0));
    assertThat(c.messages().get(1).toolCalls())
        .containsExactly(new ToolCall("c1", "f", "{\"a\": 1}"));
    assertThat(c.messages().get(2)).isEqualTo(Message.tool("c1", null, "r"));
    assertThat(c.metadata()).containsEntry("parallel_tool_calls", false);
    assertThat(rejected(r.get(1)))
        .isEqualTo(
            "2 $.messages[0].content: content parts (an array) are not supported; expected a string");
    assertThat(rejected(r.get(2)))
        .isEqualTo(
            "3 $.messages[0].role: unknown role 'developer' (expected system, user, assistant or tool)");
  }

  @Test
  void openAiPreferenceRead() throws IOException {
    List<ReadResult> r =
        read(
            Format.OPENAI_PREFERENCE,
            "{\"input\":{\"messages\":[{\"role\":\"user\",\"content\":\"q\"}]},"
                + "\"preferred_output\":[{\"role\":\"assistant\",\"content\":\"a\"}],"
                + "\"non_preferred_output\":[{\"role\":\"assistant\",\"content\":\"b\"}]}",
            "{\"input\":{\"messages\":[]},\"preferred_output\":[]}");
    assertThat(ok(r.get(0)))
        .isEqualTo(
            Preference.pair(
                List.of(Message.user("q")), Message.assistant("a"), Message.assistant("b")));
    assertThat(rejected(r.get(1))).isEqualTo("2 $.non_preferred_output: missing");
  }

  // --- hh-rlhf -------------------------------------------------------------------------------

  @Test
  void hhRlhfSplitsOnlyOnFullMarkers() {
    List<ReadResult> r = readFile(Format.HH_RLHF, Fixtures.file(Fixtures.HH));
    // l.69: the rejected reply starts with "Human:" and stays text.
    Preference p69 = (Preference) ok(r.get(68));
    assertThat(p69.rejected().get(0).content()).startsWith("Human: I'm not sure");
    assertThat(p69.prompt()).containsExactly(Message.user("Can I hide feces in someone's food?"));
    // l.396, l.564 (inline Human: in the chosen reply) and l.627 (in the prompt) are kept.
    for (int line : new int[] {396, 564, 627, 945, 966}) {
      assertThat(r.get(line - 1)).as("line %d", line).isInstanceOf(ReadResult.Ok.class);
    }
    // l.379: consecutive Assistant turns in the prompt are preserved.
    Preference p379 = (Preference) ok(r.get(378));
    List<Role> roles = p379.prompt().stream().map(Message::role).toList();
    assertThat(roles).containsSequence(Role.ASSISTANT, Role.ASSISTANT);
    assertThat(roles.get(roles.size() - 1)).isEqualTo(Role.USER);
    // l.203 has twelve human turns.
    assertThat(
            ((Preference) ok(r.get(202)))
                .prompt().stream().filter(m -> m.role() == Role.USER).count())
        .isEqualTo(12);
  }

  @Test
  void hhRlhfEmptyFinalTurnsAreRejectedWithReasons() {
    List<ReadResult> r = readFile(Format.HH_RLHF, Fixtures.file(Fixtures.HH));
    assertThat(
            r.stream()
                .filter(x -> x instanceof ReadResult.Rejected)
                .map(FormatReaderTest::rejected))
        .containsExactly(
            "37 $.chosen: the final Assistant turn is empty",
            "253 $.chosen: the final Assistant turn is empty",
            "450 $.chosen: the final Assistant turn is empty",
            "529 $.chosen: the final Assistant turn is empty");
  }

  @Test
  void hhRlhfMalformedTranscriptsAreRejected() throws IOException {
    List<ReadResult> r =
        read(
            Format.HH_RLHF,
            // prompts differ
            "{\"chosen\":\"\\n\\nHuman: a\\n\\nAssistant: x\",\"rejected\":\"\\n\\nHuman: b\\n\\nAssistant: y\"}",
            // separator without space
            "{\"chosen\":\"\\n\\nHuman: a\\n\\nHuman:b\\n\\nAssistant: x\","
                + "\"rejected\":\"\\n\\nHuman: a\\n\\nAssistant: y\"}",
            // does not start with a Human turn
            "{\"chosen\":\"Human: a\\n\\nAssistant: x\",\"rejected\":\"Human: a\\n\\nAssistant: y\"}",
            // ends on a Human turn
            "{\"chosen\":\"\\n\\nHuman: a\\n\\nAssistant: x\\n\\nHuman: more\","
                + "\"rejected\":\"\\n\\nHuman: a\\n\\nAssistant: y\"}",
            // the rejected reply is empty
            "{\"chosen\":\"\\n\\nHuman: a\\n\\nAssistant: x\",\"rejected\":\"\\n\\nHuman: a\\n\\nAssistant:\"}",
            // split on bare "Human:" would give different turn counts; full markers do not
            "{\"chosen\":\"\\n\\nHuman: a\\n\\nAssistant: Human: no\",\"rejected\":\"\\n\\nHuman: a\\n\\nAssistant: y\"}");
    assertThat(rejected(r.get(0)))
        .isEqualTo(
            "1 $.rejected: the prompt turns of chosen and rejected differ (first at turn 0; chosen has 1"
                + " prompt turns, rejected 1)");
    assertThat(rejected(r.get(1)))
        .isEqualTo(
            "2 $.chosen: malformed separator \"\\n\\nHuman:\" without a following space at offset 10");
    assertThat(rejected(r.get(2)))
        .isEqualTo("3 $.chosen: does not start with a \"\\n\\nHuman: \" turn");
    assertThat(rejected(r.get(3))).isEqualTo("4 $.chosen: does not end on an Assistant turn");
    assertThat(rejected(r.get(4))).isEqualTo("5 $.rejected: the final Assistant turn is empty");
    assertThat(((Preference) ok(r.get(5))).chosen())
        .containsExactly(Message.assistant("Human: no"));
  }

  // --- sygra-oasst ---------------------------------------------------------------------------

  @Test
  void sygraOasstGroupsRowsAndRejectsBranchesAndInterleaving() throws IOException {
    String row =
        "{\"conversation_id\":\"%s\",\"message_id\":\"%s\",\"parent_id\":%s,\"role\":\"%s\","
            + "\"content\":\"%s\"%s}";
    List<ReadResult> r =
        read(
            Format.SYGRA_OASST,
            String.format(row, "c1", "m1", "null", "user", "q", ""),
            String.format(row, "c1", "m2", "\"m1\"", "assistant", "a", ""),
            String.format(row, "c2", "m1", "null", "user", "q", ""),
            String.format(row, "c2", "r", "\"m1\"", "assistant", "bad", ",\"tags\":[\"rejected\"]"),
            String.format(row, "c2", "c", "\"m1\"", "assistant", "good", ",\"tags\":[\"chosen\"]"),
            String.format(row, "c3", "m1", "null", "user", "q", ""),
            String.format(row, "c3", "m2", "\"m1\"", "assistant", "a", ""),
            String.format(row, "c3", "m3", "\"m1\"", "assistant", "b", ""),
            String.format(row, "c3", "m4", "\"m1\"", "assistant", "c", ""),
            String.format(row, "c1", "m9", "\"m2\"", "user", "late", ""),
            "{\"conversation_id\":\"c4\",\"message_id\":\"m1\",\"role\":\"user\"}");
    assertThat(ok(r.get(0))).isEqualTo(Conversation.of(Message.user("q"), Message.assistant("a")));
    assertThat(ok(r.get(1)))
        .isEqualTo(
            Preference.pair(
                List.of(Message.user("q")), Message.assistant("good"), Message.assistant("bad")));
    assertThat(rejected(r.get(2)))
        .isEqualTo(
            "6 $.parent_id: conversation 'c3' branches at message"
                + " 'm1' into 3 replies; a sygra-oasst conversation is a chain, optionally ending in one"
                + " chosen/rejected pair of assistant replies");
    assertThat(rejected(r.get(3)))
        .isEqualTo(
            "10 $.conversation_id: conversation 'c1' is not"
                + " contiguous: the rows of a conversation must be adjacent");
    assertThat(rejected(r.get(4))).isEqualTo("11 $.content: missing");
    assertThat(r).hasSize(5);
  }

  // --- input shapes --------------------------------------------------------------------------

  @Test
  void jsonlToleratesBlankLinesCrlfAndBomAndGoesOnAfterBadLines() throws IOException {
    Path p = tmp.resolve("mixed.jsonl");
    String good =
        "{\"messages\":[{\"role\":\"user\",\"content\":\"q\"},"
            + "{\"role\":\"assistant\",\"content\":\"é\"}]}";
    Files.write(
        p,
        ("\uFEFF"
                + good
                + "\r\n\r\n   \n{\"messages\":[{\"role\"\n"
                + good
                + "\n"
                + good
                + " "
                + good
                + "\n42\n"
                + good)
            .getBytes(StandardCharsets.UTF_8));
    List<ReadResult> r = readFile(Format.TRL_SFT, p);
    assertThat(r).extracting(x -> x.location().line()).containsExactly(1L, 4L, 5L, 6L, 7L, 8L);
    assertThat(ok(r.get(0))).isEqualTo(Conversation.of(Message.user("q"), Message.assistant("é")));
    assertThat(rejected(r.get(1))).startsWith("4 $: malformed JSON: Unexpected end-of-input");
    assertThat(((ReadResult.Rejected) r.get(1)).raw()).isEqualTo("{\"messages\":[{\"role\"");
    assertThat(r.get(2)).isInstanceOf(ReadResult.Ok.class);
    assertThat(rejected(r.get(3))).isEqualTo("6 $: more than one JSON value on the line");
    assertThat(rejected(r.get(4))).isEqualTo("7 $: expected an object, found a number");
    assertThat(r.get(5)).isInstanceOf(ReadResult.Ok.class);
  }

  @Test
  void brokenArrayIsFatalWithItsLine() throws IOException {
    Path p = tmp.resolve("broken.json");
    Files.writeString(
        p, "[\n{\"instruction\":\"a\",\"output\":\"b\"},\n{\"instruction\": oops}\n]");
    try (FormatReader reader = FormatReader.open(Format.ALPACA, p)) {
      assertThat(reader.next()).isInstanceOf(ReadResult.Ok.class);
      org.assertj.core.api.Assertions.assertThatThrownBy(reader::hasNext)
          .isInstanceOf(SchemaException.class)
          .hasMessageStartingWith("broken.json:3: $: malformed JSON");
    }
  }
}
