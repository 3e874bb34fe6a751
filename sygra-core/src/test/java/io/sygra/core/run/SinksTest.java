package io.sygra.core.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SinksTest {
  @TempDir Path tmp;

  @Test
  void jsonlJsonAndCsvRoundTripThroughTheirSources() throws Exception {
    List<Map<String, Object>> rows =
        List.of(
            Map.of("id", "1", "q", "a, \"b\"", "n", 1),
            Map.of("id", "2", "q", "line\nbreak", "n", 2));
    Path jl = tmp.resolve("o.jsonl");
    Path js = tmp.resolve("sub/o.json");
    Path csv = tmp.resolve("o.csv");
    for (Sink s : List.of(Sinks.jsonl(jl), Sinks.json(js), Sinks.csv(csv, List.of("id", "q")))) {
      try (s) {
        rows.forEach(s::write);
      }
    }
    assertThat(SourcesTest.drain(Sources.jsonl(jl)))
        .extracting(o -> ((SourceRecord) o).values())
        .containsExactlyElementsOf(rows);
    assertThat(SourcesTest.drain(Sources.json(js)))
        .extracting(o -> ((SourceRecord) o).values())
        .containsExactlyElementsOf(rows);
    assertThat(SourcesTest.drain(Sources.csv(csv)))
        .extracting(o -> ((SourceRecord) o).values())
        .containsExactly(Map.of("id", "1", "q", "a, \"b\""), Map.of("id", "2", "q", "line\nbreak"));
    assertThat(Files.readString(js)).startsWith("[");
  }

  @Test
  void csvWritesNestedValuesAsJsonAndTakesColumnsFromTheFirstRecord() throws Exception {
    Path csv = tmp.resolve("n.csv");
    try (Sink s = Sinks.csv(csv, List.of())) {
      Map<String, Object> row = new java.util.LinkedHashMap<>();
      row.put("id", "1");
      row.put("tags", List.of("x", "y"));
      s.write(row);
    }
    assertThat(Files.readAllLines(csv)).containsExactly("id,tags", "1,\"[\"\"x\"\",\"\"y\"\"]\"");
  }
}
