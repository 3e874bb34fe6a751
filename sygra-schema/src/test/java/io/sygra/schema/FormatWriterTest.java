package io.sygra.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Golden output of every writable format. */
class FormatWriterTest {
  static final Map<String, Object> TOOL = tool();

  private static Map<String, Object> tool() {
    Map<String, Object> t = new LinkedHashMap<>();
    t.put("name", "get_weather");
    t.put("description", "Weather");
    t.put("parameters", Map.of("type", "object"));
    return t;
  }

  static final Conversation TOOLS =
      new Conversation(
          List.of(
              Message.system("Be brief."),
              Message.user("Weather in Paris?"),
              Message.assistant(
                  null, List.of(new ToolCall("call_1", "get_weather", "{\"city\": \"Paris\"}"))),
              Message.tool("call_1", "get_weather", "{\"temp\":21}"),
              Message.assistant("21°C.")),
          List.of(TOOL),
          Map.of("id", "x1"));

  static final Conversation PLAIN =
      new Conversation(
          List.of(
              Message.system("s"),
              Message.user("q1"),
              Message.assistant("a1"),
              Message.user("q2"),
              Message.assistant("a2")),
          List.of(),
          Map.of("id", "x2"));

  static final Preference PAIR =
      new Preference(
          List.of(Message.user("Hi?")),
          List.of(Message.assistant("Hello!")),
          List.of(Message.assistant("Go away.")),
          List.of(),
          Map.of("source", "test"));

  static String write(Format f, Example e, boolean metadata) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (FormatWriter w = FormatWriter.open(f, out, metadata)) {
      w.write(e);
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void trlSft() {
    assertThat(write(Format.TRL_SFT, TOOLS, true))
        .isEqualTo(
            "{\"messages\":[{\"role\":\"system\",\"content\":\"Be brief.\"},"
                + "{\"role\":\"user\",\"content\":\"Weather in Paris?\"},"
                + "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"call_1\","
                + "\"type\":\"function\",\"function\":{\"name\":\"get_weather\","
                + "\"arguments\":{\"city\":\"Paris\"}}}]},"
                + "{\"role\":\"tool\",\"content\":\"{\\\"temp\\\":21}\",\"name\":\"get_weather\","
                + "\"tool_call_id\":\"call_1\"},"
                + "{\"role\":\"assistant\",\"content\":\"21°C.\"}],"
                + "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"get_weather\","
                + "\"description\":\"Weather\",\"parameters\":{\"type\":\"object\"}}}],"
                + "\"metadata\":{\"id\":\"x1\"}}\n");
    assertThat(write(Format.TRL_SFT, PLAIN, false)).doesNotContain("metadata");
  }

  @Test
  void openAiChatHasStringArgumentsAndNoMetadata() {
    assertThat(write(Format.OPENAI_CHAT, TOOLS, true))
        .isEqualTo(
            "{\"messages\":[{\"role\":\"system\",\"content\":\"Be brief.\"},"
                + "{\"role\":\"user\",\"content\":\"Weather in Paris?\"},"
                + "{\"role\":\"assistant\",\"tool_calls\":[{\"id\":\"call_1\",\"type\":\"function\","
                + "\"function\":{\"name\":\"get_weather\","
                + "\"arguments\":\"{\\\"city\\\": \\\"Paris\\\"}\"}}]},"
                + "{\"role\":\"tool\",\"content\":\"{\\\"temp\\\":21}\",\"tool_call_id\":\"call_1\"},"
                + "{\"role\":\"assistant\",\"content\":\"21°C.\"}],"
                + "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"get_weather\","
                + "\"description\":\"Weather\",\"parameters\":{\"type\":\"object\"}}}]}\n");
  }

  @Test
  void openAiChatGeneratesMissingCallIds() {
    Conversation c =
        Conversation.of(
            Message.user("q"),
            Message.assistant(null, List.of(ToolCall.of("f", "{}"), ToolCall.of("g", "{}"))),
            Message.tool(null, null, "r1"),
            Message.tool(null, null, "r2"),
            Message.assistant("done"));
    String line = write(Format.OPENAI_CHAT, c, false);
    assertThat(line)
        .contains("{\"id\":\"call_0\",\"type\":\"function\",\"function\":{\"name\":\"f\"")
        .contains("{\"id\":\"call_1\",\"type\":\"function\",\"function\":{\"name\":\"g\"")
        .contains("{\"role\":\"tool\",\"content\":\"r1\",\"tool_call_id\":\"call_0\"}")
        .contains("{\"role\":\"tool\",\"content\":\"r2\",\"tool_call_id\":\"call_1\"}");
  }

  @Test
  void shareGptWithGlaiveStyleToolTurns() {
    assertThat(write(Format.SHAREGPT, TOOLS, true))
        .isEqualTo(
            "{\"conversations\":[{\"from\":\"system\",\"value\":\"Be brief.\"},"
                + "{\"from\":\"human\",\"value\":\"Weather in Paris?\"},"
                + "{\"from\":\"function_call\","
                + "\"value\":\"{\\\"name\\\":\\\"get_weather\\\",\\\"arguments\\\":{\\\"city\\\":\\\"Paris\\\"}}\"},"
                + "{\"from\":\"observation\",\"value\":\"{\\\"temp\\\":21}\"},"
                + "{\"from\":\"gpt\",\"value\":\"21°C.\"}],"
                + "\"tools\":\"[{\\\"name\\\":\\\"get_weather\\\",\\\"description\\\":\\\"Weather\\\","
                + "\\\"parameters\\\":{\\\"type\\\":\\\"object\\\"}}]\","
                + "\"metadata\":{\"id\":\"x1\"}}\n");
  }

  @Test
  void trlPromptCompletionSplitsOffTheFinalAssistantTurn() {
    assertThat(write(Format.TRL_PROMPT_COMPLETION, PLAIN, false))
        .isEqualTo(
            "{\"prompt\":[{\"role\":\"system\",\"content\":\"s\"},{\"role\":\"user\",\"content\":\"q1\"},"
                + "{\"role\":\"assistant\",\"content\":\"a1\"},{\"role\":\"user\",\"content\":\"q2\"}],"
                + "\"completion\":[{\"role\":\"assistant\",\"content\":\"a2\"}]}\n");
  }

  @Test
  void alpacaWithSystemAndHistory() {
    assertThat(write(Format.ALPACA, PLAIN, true))
        .isEqualTo(
            "{\"instruction\":\"q2\",\"input\":\"\",\"output\":\"a2\",\"system\":\"s\","
                + "\"history\":[[\"q1\",\"a1\"]],\"metadata\":{\"id\":\"x2\"}}\n");
    assertThatThrownBy(() -> write(Format.ALPACA, TOOLS, false))
        .isInstanceOf(SchemaException.class)
        .hasMessageContaining("alpaca cannot represent tools");
  }

  @Test
  void trlDpoConversationalExplicitPrompt() {
    assertThat(write(Format.TRL_DPO, PAIR, true))
        .isEqualTo(
            "{\"prompt\":[{\"role\":\"user\",\"content\":\"Hi?\"}],"
                + "\"chosen\":[{\"role\":\"assistant\",\"content\":\"Hello!\"}],"
                + "\"rejected\":[{\"role\":\"assistant\",\"content\":\"Go away.\"}],"
                + "\"metadata\":{\"source\":\"test\"}}\n");
    assertThatThrownBy(() -> write(Format.TRL_DPO, PLAIN, false))
        .isInstanceOf(SchemaException.class)
        .hasMessageContaining("an SFT conversation cannot be written as trl-dpo");
  }

  @Test
  void openAiPreference() {
    assertThat(write(Format.OPENAI_PREFERENCE, PAIR, true))
        .isEqualTo(
            "{\"input\":{\"messages\":[{\"role\":\"user\",\"content\":\"Hi?\"}]},"
                + "\"preferred_output\":[{\"role\":\"assistant\",\"content\":\"Hello!\"}],"
                + "\"non_preferred_output\":[{\"role\":\"assistant\",\"content\":\"Go away.\"}]}\n");
  }

  @Test
  void ktoWritesAPairAsTwoLabelledLines() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (FormatWriter w = FormatWriter.open(Format.KTO, out, false)) {
      assertThat(w.write(PAIR)).isEqualTo(2);
      assertThat(
              w.write(
                  Preference.unpaired(
                      List.of(Message.user("x")), List.of(Message.assistant("y")), false)))
          .isEqualTo(1);
      assertThat(w.written()).isEqualTo(3);
    }
    assertThat(out.toString(StandardCharsets.UTF_8))
        .isEqualTo(
            "{\"prompt\":[{\"role\":\"user\",\"content\":\"Hi?\"}],"
                + "\"completion\":[{\"role\":\"assistant\",\"content\":\"Hello!\"}],\"label\":true}\n"
                + "{\"prompt\":[{\"role\":\"user\",\"content\":\"Hi?\"}],"
                + "\"completion\":[{\"role\":\"assistant\",\"content\":\"Go away.\"}],\"label\":false}\n"
                + "{\"prompt\":[{\"role\":\"user\",\"content\":\"x\"}],"
                + "\"completion\":[{\"role\":\"assistant\",\"content\":\"y\"}],\"label\":false}\n");
  }

  @Test
  void sygraOasstRowsForAPair() {
    String rows =
        write(Format.SYGRA_OASST, PAIR.withMetadata(Map.of("conversation_id", "c9")), true);
    assertThat(rows.split("\n"))
        .containsExactly(
            "{\"conversation_id\":\"c9\",\"message_id\":\"c9_1\",\"parent_id\":null,"
                + "\"root_message_id\":\"c9_1\",\"message_level\":1,\"role\":\"user\",\"content\":\"Hi?\","
                + "\"languages\":[],\"categories\":[],\"subcategories\":[],\"generated_by\":\"sygra\","
                + "\"quality\":{\"__default__\":true},\"safety\":{\"__default__\":true},"
                + "\"length\":{\"char_count\":3,\"word_count\":1},\"instruction_tags\":[],"
                + "\"data_characteristics\":{\"__default__\":true},\"tags\":[],"
                + "\"metainfo\":{\"source_id\":\"c9\",\"source_metadata\":{\"conversation_id\":\"c9\"}},"
                + "\"active\":true}",
            "{\"conversation_id\":\"c9\",\"message_id\":\"c9_2_chosen\",\"parent_id\":\"c9_1\","
                + "\"root_message_id\":\"c9_1\",\"message_level\":2,\"role\":\"assistant\","
                + "\"content\":\"Hello!\",\"languages\":[],\"categories\":[],\"subcategories\":[],"
                + "\"generated_by\":\"sygra\",\"quality\":{\"__default__\":true},"
                + "\"safety\":{\"__default__\":true},\"length\":{\"char_count\":6,\"word_count\":1},"
                + "\"instruction_tags\":[],\"data_characteristics\":{\"__default__\":true},"
                + "\"tags\":[\"chosen\"],\"metainfo\":{\"source_id\":\"c9\","
                + "\"source_metadata\":{\"conversation_id\":\"c9\"}},\"active\":true}",
            "{\"conversation_id\":\"c9\",\"message_id\":\"c9_2_rejected\",\"parent_id\":\"c9_1\","
                + "\"root_message_id\":\"c9_1\",\"message_level\":2,\"role\":\"assistant\","
                + "\"content\":\"Go away.\",\"languages\":[],\"categories\":[],\"subcategories\":[],"
                + "\"generated_by\":\"sygra\",\"quality\":{\"__default__\":true},"
                + "\"safety\":{\"__default__\":true},\"length\":{\"char_count\":8,\"word_count\":2},"
                + "\"instruction_tags\":[],\"data_characteristics\":{\"__default__\":true},"
                + "\"tags\":[\"rejected\"],\"metainfo\":{\"source_id\":\"c9\","
                + "\"source_metadata\":{\"conversation_id\":\"c9\"}},\"active\":true}");
  }

  @Test
  void sftWritersTakeTheChosenSideOfAPair() {
    assertThat(write(Format.TRL_SFT, PAIR, false))
        .isEqualTo(
            "{\"messages\":[{\"role\":\"user\",\"content\":\"Hi?\"},"
                + "{\"role\":\"assistant\",\"content\":\"Hello!\"}]}\n");
  }

  @Test
  void failedWriteLeavesNoPartialLine() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Conversation badArgs =
        Conversation.of(
            Message.user("q"), Message.assistant(null, List.of(ToolCall.of("f", "not json"))));
    try (FormatWriter w = FormatWriter.open(Format.TRL_SFT, out, false)) {
      assertThatThrownBy(() -> w.write(badArgs))
          .isInstanceOf(SchemaException.class)
          .hasMessageContaining("$.messages[1].tool_calls[0].function.arguments");
      w.write(PLAIN);
      assertThat(w.written()).isEqualTo(1);
    }
    assertThat(out.toString(StandardCharsets.UTF_8))
        .startsWith("{\"messages\":[{\"role\":\"system\"")
        .hasLineCount(1);
  }

  @Test
  void readOnlyFormatsCannotBeOpenedForWriting() {
    assertThatThrownBy(() -> FormatWriter.open(Format.HH_RLHF, new ByteArrayOutputStream(), true))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("hh-rlhf cannot be written")
        .hasMessageContaining("trl-sft");
  }
}
