package io.sygra.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ValidatorTest {
  private static final Validator STANDARD = Validator.standard();

  @Test
  void validConversationHasNoErrors() {
    assertThat(
            STANDARD.validate(
                Conversation.of(Message.system("s"), Message.user("q"), Message.assistant("a"))))
        .isEmpty();
  }

  @Test
  void emptyAndMissingContentAreReportedAtTheirPath() {
    Conversation c =
        Conversation.of(
            Message.user("q"), Message.assistant("  "), Message.user(null), Message.assistant("a"));
    assertThat(STANDARD.validate(c))
        .containsExactly(
            new ValidationError("$.messages[1].content", "empty"),
            new ValidationError("$.messages[2].content", "missing"));
    assertThat(new ValidationError("$.messages[1].content", "empty"))
        .hasToString("$.messages[1].content: empty");
    assertThat(
            Validator.builder()
                .allowEmptyContent(true)
                .build()
                .validate(Conversation.of(Message.user("q"), Message.assistant(""))))
        .isEmpty();
  }

  @Test
  void sftNeedsAFinalAssistantTurnUnlessRelaxed() {
    Conversation c = Conversation.of(Message.user("q"), Message.assistant("a"), Message.user("q2"));
    assertThat(STANDARD.validate(c))
        .containsExactly(
            new ValidationError(
                "$.messages[2].role", "the last message must be the assistant's, found user"));
    assertThat(Validator.builder().requireFinalAssistant(false).build().validate(c)).isEmpty();
    assertThat(STANDARD.validate(Conversation.of(Message.user("q"))))
        .containsExactly(new ValidationError("$.messages", "no assistant message to train on"));
    assertThat(STANDARD.validate(Conversation.of(List.of())))
        .containsExactly(new ValidationError("$.messages", "empty"));
  }

  @Test
  void systemOnlyFirstAndAlternationInStrictMode() {
    Conversation c =
        Conversation.of(
            Message.user("q"),
            Message.system("late"),
            Message.user("q2"),
            Message.assistant("a"),
            Message.assistant("a2"));
    assertThat(STANDARD.validate(c))
        .containsExactly(
            new ValidationError("$.messages[1].role", "system message after the first turn"));
    assertThat(Validator.strict().validate(c))
        .contains(new ValidationError("$.messages[4].role", "two assistant messages in a row"));
  }

  @Test
  void toolCallsAreCheckedForShapeAndIds() {
    Conversation c =
        Conversation.of(
            Message.user("q"),
            Message.assistant(null, List.of(new ToolCall(null, "", "[1]"))),
            new Message(Role.USER, "x", null, List.of(ToolCall.of("f", "{}")), "id"),
            Message.tool("nope", "f", "r"),
            Message.assistant("a"));
    assertThat(STANDARD.validate(c))
        .containsExactly(
            new ValidationError("$.messages[1].tool_calls[0].function.name", "empty"),
            new ValidationError(
                "$.messages[1].tool_calls[0].function.arguments", "not a JSON object: '[1]'"),
            new ValidationError("$.messages[2].tool_calls", "only assistant messages call tools"),
            new ValidationError(
                "$.messages[2].tool_call_id", "only tool messages answer a tool call"));
    assertThat(Validator.strict().validate(c))
        .contains(
            new ValidationError("$.messages[1].tool_calls[0].id", "missing"),
            new ValidationError(
                "$.messages[3].tool_call_id", "no earlier unanswered tool call has id 'nope'"));
  }

  @Test
  void dpoRules() {
    Preference ok =
        Preference.pair(List.of(Message.user("q")), Message.assistant("a"), Message.assistant("b"));
    assertThat(STANDARD.validate(ok)).isEmpty();
    Preference bad =
        Preference.pair(
            List.of(Message.user("q"), Message.assistant("x")),
            Message.user("a"),
            Message.user("a"));
    assertThat(STANDARD.validate(bad))
        .containsExactly(
            new ValidationError(
                "$.prompt[1].role",
                "the prompt must end with a user or tool message, found assistant"),
            new ValidationError("$.chosen[0].role", "expected an assistant reply, found user"),
            new ValidationError("$.rejected[0].role", "expected an assistant reply, found user"),
            new ValidationError("$.rejected", "identical to chosen"));
    Preference noPrompt = Preference.pair(List.of(), Message.assistant("a"), Message.assistant(""));
    assertThat(STANDARD.validate(noPrompt))
        .containsExactly(
            new ValidationError("$.prompt", "empty"),
            new ValidationError("$.rejected[0].content", "empty"));
  }

  @Test
  void ktoRules() {
    Preference kto =
        Preference.unpaired(List.of(Message.user("q")), List.of(Message.user("a")), true);
    assertThat(STANDARD.validate(kto))
        .containsExactly(
            new ValidationError("$.completion[0].role", "expected an assistant reply, found user"));
  }

  @Test
  void checkThrowsTheFirstError() {
    assertThatThrownBy(
            () -> STANDARD.check(Conversation.of(Message.user("q"), Message.assistant(""))))
        .isInstanceOf(SchemaException.class)
        .hasMessage("$.messages[1].content: empty")
        .satisfies(
            e -> assertThat(((SchemaException) e).path()).isEqualTo("$.messages[1].content"));
  }
}
