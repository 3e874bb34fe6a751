package io.sygra.llm.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sygra.core.StateException;
import io.sygra.llm.ChatMessage;
import io.sygra.llm.ContentPart;
import io.sygra.llm.ToolCall;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StateMessagesTest {

  @Test
  void roundTripsEveryMessageShape() {
    List<ChatMessage> messages =
        List.of(
            ChatMessage.system("sys"),
            new ChatMessage(
                ChatMessage.Role.USER,
                List.of(
                    new ContentPart.Text("look"),
                    new ContentPart.Image("https://example.com/a.png", "low")),
                "ann",
                null,
                null),
            ChatMessage.assistant(null, List.of(new ToolCall("c1", "f", "{\"a\":1}"))),
            ChatMessage.tool("c1", "f", "done"),
            ChatMessage.assistant("ok"));

    List<Object> state = messages.stream().map(m -> (Object) StateMessages.write(m)).toList();

    assertThat(StateMessages.read(state, "messages", "n")).isEqualTo(messages);
    assertThat(state.get(1).toString()).contains("image_url").contains("name=ann");
  }

  @Test
  void readsOpenAiShapesFromDatasets() {
    List<Object> raw =
        List.of(
            Map.of("role", "user", "content", List.of(Map.of("type", "text", "text", "hi"))),
            Map.of(
                "role",
                "assistant",
                "tool_calls",
                List.of(
                    Map.of(
                        "id", "x",
                        "type", "function",
                        "function", Map.of("name", "f", "arguments", Map.of("k", 1))))));
    List<ChatMessage> read = StateMessages.read(raw, "messages", "n");
    assertThat(read.get(0)).isEqualTo(ChatMessage.user("hi"));
    assertThat(read.get(1).toolCalls()).containsExactly(new ToolCall("x", "f", "{\"k\":1}"));
  }

  @Test
  void malformedMessagesNameKeyNodeAndIndex() {
    assertThatThrownBy(() -> StateMessages.read(List.of(Map.of("content", "x")), "history", "chat"))
        .isInstanceOf(StateException.class)
        .hasMessage("state key 'history': node 'chat': message 0 has no string 'role'");
    assertThatThrownBy(
            () ->
                StateMessages.read(
                    List.of(
                        Map.of("role", "user", "content", "a"),
                        Map.of("role", "bot", "content", "b")),
                    "messages",
                    "chat"))
        .hasMessageContaining("message 1: unknown role 'bot'");
    assertThatThrownBy(() -> StateMessages.read("text", "messages", "chat"))
        .hasMessageContaining("expects a list of chat messages, found a string");
    assertThatThrownBy(
            () -> StateMessages.read(List.of(Map.of("role", "tool", "content", "r")), "m", "n"))
        .hasMessageContaining("toolCallId");
  }
}
