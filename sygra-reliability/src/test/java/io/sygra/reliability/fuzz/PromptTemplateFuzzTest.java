package io.sygra.reliability.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.sygra.core.ConfigurationException;
import io.sygra.llm.PromptTemplate;
import io.sygra.llm.TemplateException;
import io.sygra.reliability.Figures;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;

/**
 * Fuzzes the prompt template engine two ways.
 *
 * <ol>
 *   <li>Any text: {@link PromptTemplate#parse} either succeeds or throws {@link
 *       ConfigurationException}; a parsed template rendered against fuzzed values (strings,
 *       numbers, nested maps and lists, nulls) either succeeds or throws {@link TemplateException},
 *       whose message never contains a value.
 *   <li>Generated templates: literal text with escaped braces and {@code {name}} placeholders bound
 *       to fuzzed strings must render to exactly the literal text with each value inserted once,
 *       verbatim: values that look like placeholders ({@code {api_key}}, {@code ${env:HOME}}) are
 *       never evaluated or re-scanned.
 * </ol>
 */
class PromptTemplateFuzzTest {
  /** Put into every fuzzed value, so a value leaking into an error message is noticed. */
  static final String MARK = "VALUE\u00a7MARK";

  private static final AtomicLong EXECUTIONS = new AtomicLong();
  private static final AtomicLong PARSED = new AtomicLong();
  private static final AtomicLong RENDERED = new AtomicLong();
  private static final AtomicLong TEMPLATE_ERRORS = new AtomicLong();
  private static final AtomicLong EXACT_CHECKS = new AtomicLong();

  @FuzzTest(maxDuration = "5s")
  void promptTemplates(FuzzedDataProvider data) {
    EXECUTIONS.incrementAndGet();
    if (data.consumeBoolean()) {
      arbitraryText(data);
    } else {
      generated(data);
    }
  }

  private static void arbitraryText(FuzzedDataProvider data) {
    String source = data.consumeString(400);
    PromptTemplate t;
    try {
      t = PromptTemplate.parse(source);
    } catch (ConfigurationException documented) {
      assertThat(documented.getMessage()).contains("position");
      return;
    }
    PARSED.incrementAndGet();
    assertThat(t.source()).isEqualTo(source);
    Map<String, Object> values = new HashMap<>();
    for (String root : t.variables()) {
      if (data.consumeInt(0, 9) > 0) {
        values.put(root, value(data, 3));
      }
    }
    try {
      String out = t.render(values);
      RENDERED.incrementAndGet();
      assertThat(out).isNotNull();
    } catch (TemplateException documented) {
      TEMPLATE_ERRORS.incrementAndGet();
      assertThat(documented.getMessage()).doesNotContain(MARK);
      assertThat(t.placeholders()).contains(documented.variable());
    }
  }

  private static void generated(FuzzedDataProvider data) {
    StringBuilder source = new StringBuilder();
    StringBuilder expected = new StringBuilder();
    Map<String, Object> values = new LinkedHashMap<>();
    int parts = data.consumeInt(0, 12);
    for (int i = 0; i < parts; i++) {
      if (data.consumeBoolean()) {
        String literal = data.consumeString(40);
        source.append(literal.replace("{", "{{").replace("}", "}}"));
        expected.append(literal);
      } else {
        String name = "v" + data.consumeInt(0, 5);
        Object v = values.computeIfAbsent(name, n -> data.consumeString(60) + MARK);
        source.append('{').append(name).append('}');
        expected.append(v);
      }
    }
    PromptTemplate t = PromptTemplate.parse(source.toString());
    assertThat(t.render(values)).isEqualTo(expected.toString());
    EXACT_CHECKS.incrementAndGet();
  }

  private static Object value(FuzzedDataProvider data, int depth) {
    int kind = data.consumeInt(0, depth <= 0 ? 3 : 5);
    return switch (kind) {
      case 0 -> data.consumeString(30) + MARK;
      case 1 -> data.consumeLong();
      case 2 -> data.consumeBoolean();
      case 3 -> null;
      case 4 -> {
        List<Object> list = new ArrayList<>();
        int n = data.consumeInt(0, 4);
        for (int i = 0; i < n; i++) {
          list.add(value(data, depth - 1));
        }
        yield list;
      }
      default -> {
        Map<String, Object> map = new LinkedHashMap<>();
        int n = data.consumeInt(0, 4);
        for (int i = 0; i < n; i++) {
          map.put(data.consumeString(8), value(data, depth - 1));
        }
        yield map;
      }
    };
  }

  @AfterAll
  static void figures() {
    Figures.write(
        "fuzz-prompt-template",
        Map.of(
            "executions", EXECUTIONS.get(),
            "parsed", PARSED.get(),
            "rendered", RENDERED.get(),
            "templateErrors", TEMPLATE_ERRORS.get(),
            "exactRenderChecks", EXACT_CHECKS.get()));
  }
}
