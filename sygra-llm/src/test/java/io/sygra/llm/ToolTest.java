package io.sygra.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.sygra.core.ConfigurationException;
import jakarta.validation.constraints.Min;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ToolTest {

  record Search(@JsonPropertyDescription("what to look for") String query, @Min(1) int limit) {}

  record Hit(String title, double score) {}

  private final Tool search =
      Tool.of(
          "search",
          "Searches the library",
          Search.class,
          s -> List.of(new Hit(s.query() + " #1", 0.9)).subList(0, Math.min(1, s.limit())));

  @Test
  void definitionCarriesTheGeneratedSchema() {
    ToolDefinition d = search.definition();
    assertThat(d.name()).isEqualTo("search");
    assertThat(d.description()).isEqualTo("Searches the library");
    assertThat(d.strict()).isTrue();
    assertThat(d.parameters().get("required")).isEqualTo(List.of("query", "limit"));
    assertThat(d.parameters().toString()).contains("what to look for");
  }

  @Test
  void invokesWithConvertedArgumentsAndReturnsJsonText() {
    assertThat(search.invoke("{\"query\": \"tides\", \"limit\": 3}"))
        .isEqualTo("[{\"title\":\"tides #1\",\"score\":0.9}]");
  }

  @Test
  void stringResultsAreReturnedAsIs() {
    Tool echo = Tool.of("echo", "Echoes", Map.of("type", "object"), m -> "said " + m.get("x"));
    assertThat(echo.invoke("{\"x\": 1}")).isEqualTo("said 1");
    assertThat(echo.invoke("")).isEqualTo("said null");
  }

  @Test
  void invalidArgumentsAreReportedForTheModel() {
    assertThatThrownBy(() -> search.invoke("{\"query\": \"x\", \"limit\": 0}"))
        .isInstanceOfSatisfying(
            ToolException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(ToolException.Kind.ARGUMENTS);
              assertThat(e.tool()).isEqualTo("search");
              assertThat(e.detail())
                  .isEqualTo("invalid arguments: $.limit: 0 is less than the minimum 1");
            });
    assertThatThrownBy(() -> search.invoke("{\"query\": "))
        .isInstanceOf(ToolException.class)
        .hasMessageContaining("never closed");
    assertThatThrownBy(() -> search.invoke("[1]")).hasMessageContaining("no JSON object was found");
  }

  @Test
  void throwingFunctionsAreExecutionErrors() {
    Tool broken =
        Tool.of(
            "broken",
            "Always fails",
            Map.of("type", "object"),
            m -> {
              throw new IllegalArgumentException("disk full");
            });
    assertThatThrownBy(() -> broken.invoke("{}"))
        .isInstanceOfSatisfying(
            ToolException.class, e -> assertThat(e.kind()).isEqualTo(ToolException.Kind.EXECUTION))
        .hasMessage("tool 'broken': failed: disk full")
        .hasCauseInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void constructionIsValidated() {
    assertThatThrownBy(() -> Tool.of("bad name", "d", Search.class, s -> 1))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("tool.name");
    assertThatThrownBy(() -> Tool.of("t", " ", Search.class, s -> 1))
        .hasMessageContaining("needs a description");
    assertThatThrownBy(() -> Tool.of("t", "d", Map.of("type", "string"), s -> 1))
        .hasMessageContaining("JSON object schema");
  }

  @Test
  void registryKeepsOrderAndRejectsDuplicates() {
    Tool other = Tool.of("other", "Other", Map.of("type", "object"), m -> "");
    ToolRegistry r = ToolRegistry.of(search, other);
    assertThat(r.names()).containsExactly("search", "other");
    assertThat(r.definitions()).extracting(ToolDefinition::name).containsExactly("search", "other");
    assertThat(r.find("other")).containsSame(other);
    assertThat(r.find("nope")).isEmpty();
    assertThatThrownBy(() -> r.with(search))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("'search' is already registered");
    assertThat(ToolRegistry.empty().isEmpty()).isTrue();
  }
}
