package io.sygra.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.type.TypeReference;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StateTest {
  record Verdict(int score, String reason) {}

  enum Tone {
    CALM,
    LOUD
  }

  static final Key<String> NAME = Key.string("name");
  static final Key<Integer> COUNT = Key.integer("count");
  static final Key<Verdict> VERDICT = Key.of("verdict", Verdict.class);
  static final Key<List<String>> TAGS = Key.listOf("tags", String.class);

  @Test
  void updatesReturnNewStatesAndLeaveTheOldOneUntouched() {
    State a = State.of("r1", Map.of("name", "x"));
    State b = a.with(NAME, "y").with(COUNT, 3);
    assertThat(a.get(NAME)).isEqualTo("x");
    assertThat(a.has("count")).isFalse();
    assertThat(b.get(NAME)).isEqualTo("y");
    assertThat(b.get(COUNT)).isEqualTo(3);
    assertThat(b.id()).isEqualTo("r1");
  }

  @Test
  void messagesAppendWhileOtherKeysOverwrite() {
    State s =
        State.empty()
            .withMessage("user", "hi")
            .with(State.MESSAGES, Map.of("role", "assistant", "content", "hello"))
            .with(
                State.MESSAGES,
                List.of(
                    Map.of("role", "user", "content", "a"),
                    Map.of("role", "user", "content", "b")));
    assertThat(s.messages())
        .extracting(m -> m.get("content"))
        .containsExactly("hi", "hello", "a", "b");
    assertThat(s.withMessagesReplaced(List.of(Map.of("role", "system", "content", "s"))).messages())
        .hasSize(1);
  }

  @Test
  void valuesAreDeepCopiedAndImmutable() {
    List<Object> list = new ArrayList<>(List.of("a"));
    Map<String, Object> nested = new HashMap<>(Map.of("k", list));
    State s = State.empty().with("n", nested);
    list.add("b");
    nested.put("z", 1);
    assertThat(s.get("n")).isEqualTo(Map.of("k", List.of("a")));
    @SuppressWarnings("unchecked")
    Map<String, Object> view = (Map<String, Object>) s.get("n");
    assertThatThrownBy(() -> view.put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void typedKeysConvertRecordsEnumsAndNumbers() {
    State s =
        State.empty()
            .with(VERDICT, new Verdict(4, "good"))
            .with("tone", Tone.LOUD)
            .with("big", 5L)
            .with(TAGS, List.of("x", "y"));
    assertThat(s.get("verdict")).isEqualTo(Map.of("score", 4, "reason", "good"));
    assertThat(s.require(VERDICT)).isEqualTo(new Verdict(4, "good"));
    assertThat(s.get(Key.of("tone", Tone.class))).isEqualTo(Tone.LOUD);
    assertThat(s.get(Key.integer("big"))).isEqualTo(5);
    assertThat(s.get(Key.number("big"))).isEqualTo(5.0);
    assertThat(s.require(TAGS)).containsExactly("x", "y");
    assertThat(s.get(Key.of("tags", new TypeReference<List<String>>() {}))).hasSize(2);
  }

  @Test
  void wrongTypesAndMissingKeysNameTheKey() {
    State s =
        State.empty()
            .with("count", "three")
            .with("n", 2.5)
            .with("huge", new BigInteger("99999999999999999999"));
    assertThatThrownBy(() -> s.get(COUNT))
        .isInstanceOf(StateException.class)
        .hasMessageContaining("'count'");
    assertThatThrownBy(() -> s.get(Key.integer("n")))
        .isInstanceOf(StateException.class)
        .hasMessageContaining("'n'")
        .hasMessageContaining("does not fit Integer");
    assertThatThrownBy(() -> s.get(Key.longKey("huge"))).isInstanceOf(StateException.class);
    assertThatThrownBy(() -> s.require(NAME))
        .isInstanceOf(StateException.class)
        .hasMessageContaining("'name'")
        .hasMessageContaining("missing");
    assertThat(s.get(VERDICT)).isNull();
    assertThatThrownBy(() -> State.empty().with("verdict", "x").get(VERDICT))
        .isInstanceOf(StateException.class)
        .hasMessageContaining("'verdict'");
    assertThatThrownBy(() -> State.empty().with("m", Map.of("a", List.of())).getString("m"))
        .isInstanceOf(StateException.class)
        .hasMessageContaining("expected a string");
  }

  @Test
  void nonJsonValuesAreRejectedWithTheirPath() {
    Map<Object, Object> badKeys = new LinkedHashMap<>();
    badKeys.put(1, "x");
    assertThatThrownBy(() -> State.empty().with("m", badKeys))
        .isInstanceOf(StateException.class)
        .hasMessageContaining("map keys must be strings");
    assertThatThrownBy(() -> State.empty().with("x", Double.NaN))
        .isInstanceOf(StateException.class)
        .hasMessageContaining("not a JSON number");
    assertThatThrownBy(
            () -> State.empty().with("l", List.of(1, Map.of("z", Double.POSITIVE_INFINITY))))
        .isInstanceOf(StateException.class)
        .hasMessageContaining("l[1].z");
  }

  @Test
  void roundTripsThroughJson() {
    State s =
        State.of("a/1", Map.of("n", 1, "f", 1.5, "t", true, "l", List.of("x")))
            .with("nul", null)
            .withMessage("user", "hé 😀");
    State back = State.fromJson(s.toJson());
    assertThat(back).isEqualTo(s);
    assertThat(back.has("nul")).isTrue();
    assertThatThrownBy(() -> State.fromJson("[1]")).isInstanceOf(StateException.class);
  }

  @Test
  void getStringRendersScalars() {
    State s = State.empty().with("n", 3).with("b", false);
    assertThat(s.getString("n")).isEqualTo("3");
    assertThat(s.getString("b")).isEqualTo("false");
    assertThat(s.getString("absent")).isNull();
  }
}
