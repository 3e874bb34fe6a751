package io.sygra.llm.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sygra.core.ConfigurationException;
import io.sygra.llm.ChatMessage;
import io.sygra.llm.ChatRequest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RequestParametersTest {

  @Test
  void appliesKnownNamesAndAliasesAndPassesOthersThrough() {
    RequestParameters p =
        RequestParameters.empty()
            .with("temperature", 0.7)
            .with("maxTokens", 128)
            .with("top_p", 0.9f)
            .with("seed", 11)
            .with("stop", "END")
            .with("tool_choice", "auto")
            .with("timeout", Duration.ofSeconds(3))
            .with("chat_template_kwargs", Map.of("enable_thinking", false));

    ChatRequest r = p.applyTo(ChatRequest.builder().addMessage(ChatMessage.user("x"))).build();

    assertThat(r.temperature()).isEqualTo(0.7);
    assertThat(r.maxTokens()).isEqualTo(128);
    assertThat(r.topP()).isCloseTo(0.9, org.assertj.core.data.Offset.offset(1e-6));
    assertThat(r.seed()).isEqualTo(11L);
    assertThat(r.stop()).isEqualTo(List.of("END"));
    assertThat(r.toolChoice()).isEqualTo("auto");
    assertThat(r.timeout()).isEqualTo(Duration.ofSeconds(3));
    assertThat(r.extraBody())
        .isEqualTo(Map.of("chat_template_kwargs", Map.of("enable_thinking", false)));
    assertThat(p.values().keySet())
        .containsExactly(
            "temperature",
            "max_tokens",
            "top_p",
            "seed",
            "stop",
            "tool_choice",
            "timeout",
            "chat_template_kwargs");
  }

  @Test
  void invalidValuesNameTheParameter() {
    assertThatThrownBy(() -> RequestParameters.empty().with("top_p", 0))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("parameters.top_p: topP must be in (0, 1], was 0.0");
    assertThatThrownBy(() -> RequestParameters.empty().with("seed", 1.5))
        .hasMessage("parameters.seed: seed must be a whole number, was 1.5");
    assertThatThrownBy(() -> RequestParameters.empty().with("temperature", "hot"))
        .hasMessage("parameters.temperature: temperature must be a number, was hot");
    assertThatThrownBy(() -> RequestParameters.empty().with("logprobs", "yes"))
        .hasMessageContaining("parameters.logprobs");
  }

  @Test
  void nullRemovesAndFingerprintIgnoresTimeout() {
    RequestParameters p =
        RequestParameters.empty().with("temperature", 1).with("timeout", Duration.ofSeconds(1));
    assertThat(p.with("temperature", null).values()).doesNotContainKey("temperature");
    assertThat(p.fingerprint()).isEqualTo("{\"temperature\":1}");
    assertThat(p.with("timeout", Duration.ofSeconds(9)).fingerprint()).isEqualTo(p.fingerprint());
  }
}
