package io.sygra.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sygra.core.State;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Conversation, Preference, Message, ToolCall and Role. */
class ModelTest {
  @Test
  @SuppressWarnings("unchecked")
  void recordsCopyTheirInputs() {
    List<Message> messages = new ArrayList<>(List.of(Message.user("q")));
    Map<String, Object> meta = new HashMap<>(Map.of("tags", new ArrayList<>(List.of("a"))));
    Conversation c = new Conversation(messages, null, meta);
    messages.add(Message.assistant("a"));
    meta.put("x", 1);
    assertThat(c.messages()).hasSize(1);
    assertThat(c.metadata()).doesNotContainKey("x");
    assertThatThrownBy(() -> c.metadata().put("y", 2))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> ((List<Object>) c.metadata().get("tags")).add("b"))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThat(c.tools()).isEmpty();
  }

  @Test
  void metadataMustBeJson() {
    assertThatThrownBy(() -> Conversation.of(Message.user("q")).withMetadata("when", new Object()))
        .isInstanceOf(SchemaException.class)
        .hasMessageContaining("$.metadata.when");
  }

  @Test
  void conversationStateRoundTrip() {
    Conversation c =
        new Conversation(
            List.of(
                Message.user("q"),
                Message.assistant(null, List.of(new ToolCall("c1", "f", "{\"a\":1}"))),
                Message.tool("c1", "f", "r"),
                Message.assistant("a")),
            List.of(Map.of("name", "f")),
            Map.of("topic", "weather", "score", 3));
    State s = c.toState("rec-1");
    assertThat(s.id()).isEqualTo("rec-1");
    assertThat(s.getString("topic")).isEqualTo("weather");
    assertThat(s.messages().get(1)).containsEntry("role", "assistant").containsKey("tool_calls");
    assertThat(s.messages().get(2)).containsEntry("tool_call_id", "c1");
    assertThat(Conversation.fromState(s)).isEqualTo(c);
  }

  @Test
  void conversationFromStateAcceptsObjectArgumentsAndReportsBadMessages() {
    State s =
        State.of(
            Map.of(
                "messages",
                List.of(
                    Map.of("role", "user", "content", "q"),
                    Map.of(
                        "role",
                        "assistant",
                        "content",
                        "",
                        "tool_calls",
                        List.of(
                            Map.of(
                                "function", Map.of("name", "f", "arguments", Map.of("x", 1))))))));
    Conversation c = Conversation.fromState(s);
    assertThat(c.messages().get(1).toolCalls()).containsExactly(ToolCall.of("f", "{\"x\":1}"));
    State bad = State.of(Map.of("messages", List.of(Map.of("role", "robot", "content", "q"))));
    assertThatThrownBy(() -> Conversation.fromState(bad))
        .isInstanceOf(SchemaException.class)
        .hasMessage(
            "$.messages[0].role: unknown role 'robot' (expected system, user, assistant or tool)");
  }

  @Test
  void metadataClashingWithStateKeysIsRefused() {
    Conversation c = Conversation.of(Message.user("q")).withMetadata("messages", "x");
    assertThatThrownBy(c::toState)
        .isInstanceOf(SchemaException.class)
        .hasMessageContaining("$.metadata.messages");
  }

  @Test
  void preferenceKindsAndState() {
    Preference pair =
        Preference.pair(List.of(Message.user("q")), Message.assistant("a"), Message.assistant("b"))
            .withMetadata("id", 7);
    assertThat(pair.isPaired()).isTrue();
    assertThatThrownBy(pair::label).isInstanceOf(IllegalStateException.class);
    List<Preference> unpaired = pair.unpair();
    assertThat(unpaired).extracting(Preference::label).containsExactly(true, false);
    assertThat(unpaired.get(1).completion()).containsExactly(Message.assistant("b"));
    assertThat(unpaired.get(1).metadata()).containsEntry("id", 7);
    assertThat(pair.chosenConversation().messages())
        .containsExactly(Message.user("q"), Message.assistant("a"));
    assertThat(Preference.fromState(pair.toState())).isEqualTo(pair);
    State kto = unpaired.get(1).toState();
    assertThat(kto.get("label")).isEqualTo(false);
    assertThat(Preference.fromState(kto)).isEqualTo(unpaired.get(1));
    assertThatThrownBy(() -> new Preference(List.of(), List.of(), List.of(), List.of(), Map.of()))
        .isInstanceOf(SchemaException.class);
  }

  @Test
  void rolesAndToolCalls() {
    assertThat(Role.fromWireName("Assistant")).isEqualTo(Role.ASSISTANT);
    assertThat(Role.fromWireName("bot")).isNull();
    assertThat(Role.TOOL).hasToString("tool");
    assertThat(new ToolCall("", "f", "{}").id()).isNull();
    assertThat(Message.user("x").hasContent()).isTrue();
    assertThat(Message.user(" ").hasContent()).isFalse();
  }

  @Test
  void formatParseListsValidNames() {
    assertThat(Format.parse("TRL_DPO")).isEqualTo(Format.TRL_DPO);
    assertThat(Format.parse("sygra-oasst").kind()).isEqualTo(Format.Kind.MIXED);
    assertThatThrownBy(() -> Format.parse("jsonl"))
        .isInstanceOf(io.sygra.core.ConfigurationException.class)
        .hasMessageContaining("unknown format 'jsonl'")
        .hasMessageContaining(
            "oasst, sygra-oasst, trl-sft, trl-prompt-completion, sharegpt, alpaca,"
                + " openai-chat, trl-dpo, openai-preference, hh-rlhf, llamafactory-dpo, kto");
    assertThat(Format.names(false, true)).doesNotContain("hh-rlhf").contains("kto");
    assertThat(SftPaths.parse("best")).isEqualTo(SftPaths.BEST);
    assertThat(DpoPairs.parse("all-pairs")).isEqualTo(DpoPairs.ALL_PAIRS);
    assertThatThrownBy(() -> DpoPairs.parse("worst"))
        .hasMessageContaining("valid values: best-vs-worst, best-vs-rest, all-pairs");
  }
}
