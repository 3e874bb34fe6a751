package io.sygra.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sygra.core.ConfigurationException;
import io.sygra.core.State;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PromptTemplateTest {

  @Test
  void substitutesVariablesInOrder() {
    PromptTemplate t = PromptTemplate.parse("Q: {question}\nTopic: {topic}. Again: {question}");
    State s = State.of(Map.of("question", "Why is the sky blue?", "topic", "physics"));

    assertThat(t.render(s, "ask"))
        .isEqualTo("Q: Why is the sky blue?\nTopic: physics. Again: Why is the sky blue?");
    assertThat(t.variables()).containsExactly("question", "topic");
  }

  @Test
  void doubledBracesAreLiteral() {
    PromptTemplate t = PromptTemplate.parse("Reply as {{\"score\": <1-10>}} about {topic}. }}{{");

    assertThat(t.render(State.of(Map.of("topic", "tea")), "n"))
        .isEqualTo("Reply as {\"score\": <1-10>} about tea. }{");
    assertThat(t.variables()).containsExactly("topic");
  }

  @Test
  void templateWithoutPlaceholdersRendersAsIs() {
    PromptTemplate t = PromptTemplate.parse("Say hello.");
    assertThat(t.render(State.empty(), "n")).isEqualTo("Say hello.");
    assertThat(t.variables()).isEmpty();
  }

  @Test
  void walksObjectsAndLists() {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("title", "Tides");
    doc.put("sections", List.of(Map.of("text", "The moon pulls."), Map.of("text", "Water rises.")));
    State s = State.of(Map.of("doc", doc));

    PromptTemplate t = PromptTemplate.parse("{doc.title}: {doc.sections[1].text} { doc.title }");

    assertThat(t.render(s, "n")).isEqualTo("Tides: Water rises. Tides");
    assertThat(t.variables()).containsExactly("doc");
    assertThat(t.placeholders()).containsExactly("doc.title", "doc.sections[1].text");
  }

  @Test
  void nonStringValuesRenderAsJson() {
    Map<String, Object> values = new LinkedHashMap<>();
    values.put("n", 3);
    values.put("x", 2.5);
    values.put("ok", true);
    values.put("tags", List.of("a", "b"));
    values.put("obj", Map.of("k", 1));
    PromptTemplate t = PromptTemplate.parse("{n} {x} {ok} {tags} {obj}");

    assertThat(t.render(State.of(values), "n")).isEqualTo("3 2.5 true [\"a\",\"b\"] {\"k\":1}");
  }

  @Test
  void valuesAreNeverEvaluatedOrRescanned() {
    // A value that looks like a placeholder, an env lookup or an escape is written literally, even
    // when a state key of that name exists.
    Map<String, Object> values = new LinkedHashMap<>();
    values.put("input", "{api_key} ${env:HOME} {{question}} #{1+1} %s");
    values.put("api_key", "sk-secret");
    values.put("question", "q");
    PromptTemplate t = PromptTemplate.parse("User said: {input}");

    String out = t.render(State.of(values), "n");

    assertThat(out).isEqualTo("User said: {api_key} ${env:HOME} {{question}} #{1+1} %s");
    assertThat(out).doesNotContain("sk-secret");
  }

  @Test
  void missingVariableNamesNodeRecordAndVariableButNoValues() {
    PromptTemplate t = PromptTemplate.parse("Q: {question}");
    State s = State.of("rec-7", Map.of("quesiton", "typo", "secret", "sk-123"));

    assertThatThrownBy(() -> t.render(s, "answer"))
        .isInstanceOfSatisfying(
            TemplateException.class,
            e -> {
              assertThat(e.node()).isEqualTo("answer");
              assertThat(e.recordId()).isEqualTo("rec-7");
              assertThat(e.variable()).isEqualTo("question");
            })
        .hasMessageContaining("node 'answer'")
        .hasMessageContaining("record 'rec-7'")
        .hasMessageContaining("'question' is missing")
        .hasMessageContaining("quesiton")
        .hasMessageNotContaining("sk-123");
  }

  @Test
  void nullValueIsAnError() {
    Map<String, Object> values = new LinkedHashMap<>();
    values.put("context", null);
    assertThatThrownBy(() -> PromptTemplate.parse("{context}").render(State.of(values), "n"))
        .isInstanceOf(TemplateException.class)
        .hasMessageContaining("'context' is null");
  }

  @Test
  void badPathsNameTheVariableAndWhere() {
    State s = State.of(Map.of("doc", Map.of("title", "T"), "items", List.of("a"), "n", 1));

    assertThatThrownBy(() -> PromptTemplate.parse("{doc.author}").render(s, "n"))
        .isInstanceOf(TemplateException.class)
        .hasMessageContaining("'doc.author' has no field 'author' in doc")
        .hasMessageContaining("[title]");
    assertThatThrownBy(() -> PromptTemplate.parse("{items[3]}").render(s, "n"))
        .hasMessageContaining("index 3 is out of range for items (size 1)");
    assertThatThrownBy(() -> PromptTemplate.parse("{n.x}").render(s, "n"))
        .hasMessageContaining("cannot read field 'x' of number n");
    assertThatThrownBy(() -> PromptTemplate.parse("{doc[0]}").render(s, "n"))
        .hasMessageContaining("cannot index object doc with [0]");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "Reply as {\"score\": 1}",
        "unclosed {question",
        "stray } brace",
        "{}",
        "{1abc}",
        "{a..b}",
        "{a[x]}",
        "{a b}"
      })
  void malformedTemplatesFailAtParseTimeWithPosition(String source) {
    assertThatThrownBy(() -> PromptTemplate.parse(source))
        .isInstanceOfSatisfying(
            ConfigurationException.class, e -> assertThat(e.field()).isEqualTo("template"))
        .hasMessageContaining("at position")
        .hasMessageContaining("{{");
  }

  @Test
  void rendersPlainMapsOutsideAGraph() {
    PromptTemplate t = PromptTemplate.parse("Hi {name}");
    assertThat(t.render(Map.of("name", "Ada"))).isEqualTo("Hi Ada");
    assertThatThrownBy(() -> t.render(Map.of()))
        .isInstanceOf(TemplateException.class)
        .hasMessageStartingWith("template: template variable 'name' is missing");
  }

  @Test
  void equalityFollowsSource() {
    assertThat(PromptTemplate.parse("{a}")).isEqualTo(PromptTemplate.parse("{a}"));
    assertThat(PromptTemplate.parse("{a}")).isNotEqualTo(PromptTemplate.parse("{b}"));
    assertThat(PromptTemplate.parse("{a} x").source()).isEqualTo("{a} x");
  }
}
