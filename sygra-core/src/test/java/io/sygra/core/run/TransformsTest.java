package io.sygra.core.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class TransformsTest {
  static List<Map<String, Object>> apply(Transform t, int n) {
    List<Map<String, Object>> in = new ArrayList<>();
    IntStream.range(0, n).forEach(i -> in.add(Map.of("i", i, "name", "n" + i)));
    List<Map<String, Object>> out = new ArrayList<>();
    try (RecordReader r = t.apply(Sources.of(in).open())) {
      while (r.hasNext()) {
        out.add(r.next().values());
      }
    }
    return out;
  }

  static List<Object> is(List<Map<String, Object>> rows) {
    return rows.stream().map(m -> m.get("i")).toList();
  }

  @Test
  void renameAddMapAndFilter() {
    assertThat(apply(Transforms.rename("name", "title"), 1).get(0)).containsOnlyKeys("i", "title");
    assertThat(apply(Transforms.rename(Map.of("i", "index")), 1).get(0)).containsKey("index");
    assertThat(apply(Transforms.add("src", "x"), 2))
        .allSatisfy(m -> assertThat(m).containsEntry("src", "x"));
    assertThat(apply(Transforms.add("twice", m -> (Integer) m.get("i") * 2), 3).get(2))
        .containsEntry("twice", 4);
    assertThat(is(apply(Transforms.filter(m -> (Integer) m.get("i") % 2 == 0), 5)))
        .containsExactly(0, 2, 4);
  }

  @Test
  void skipsAndRanges() {
    assertThat(is(apply(Transforms.skipFirst(2), 5))).containsExactly(2, 3, 4);
    assertThat(is(apply(Transforms.skipLast(2), 5))).containsExactly(0, 1, 2);
    assertThat(is(apply(Transforms.skipLast(9), 5))).isEmpty();
    assertThat(is(apply(Transforms.range(1, 3), 5))).containsExactly(1, 2);
    assertThat(is(apply(Transforms.skipRange(1, 3), 5))).containsExactly(0, 3, 4);
    assertThat(is(apply(Transforms.limit(2), 5))).containsExactly(0, 1);
    assertThat(
            is(apply(Transforms.chain(List.of(Transforms.skipFirst(1), Transforms.limit(2))), 5)))
        .containsExactly(1, 2);
  }

  @Test
  void windowsCombineRecordsByField() {
    List<Map<String, Object>> w = apply(Transforms.window(2, 2), 5);
    assertThat(w).hasSize(3);
    assertThat(w.get(0)).containsEntry("i", List.of(0, 1));
    assertThat(w.get(2)).containsEntry("i", List.of(4));
    List<Map<String, Object>> sliding = apply(Transforms.window(3, 1), 5);
    assertThat(sliding)
        .extracting(m -> m.get("i"))
        .containsExactly(List.of(0, 1, 2), List.of(1, 2, 3), List.of(2, 3, 4));
    List<Map<String, Object>> gaps = apply(Transforms.window(1, 2), 5);
    assertThat(gaps)
        .extracting(m -> m.get("i"))
        .containsExactly(List.of(0), List.of(2), List.of(4));
    List<Map<String, Object>> custom =
        apply(Transforms.window(2, 2, rows -> Map.of("n", rows.size())), 4);
    assertThat(custom).containsExactly(Map.of("n", 2), Map.of("n", 2));
  }
}
