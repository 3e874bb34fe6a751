package io.sygra.schema.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sygra.core.internal.LongHashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ArrayMapTest {
  @Test
  void keepsOrderReplacesDuplicatesAndEqualsOtherMaps() {
    ArrayMap<Integer> m =
        new ArrayMap.Builder<Integer>(1).put("b", 1).put("a", 2).put("b", 3).put("c", 4).build();
    assertThat(m.keySet()).containsExactly("b", "a", "c");
    assertThat(m.get("b")).isEqualTo(3);
    assertThat(m.get("zz")).isNull();
    assertThat(m.containsKey(null)).isFalse();
    Map<String, Integer> same = new LinkedHashMap<>(Map.of("a", 2, "b", 3, "c", 4));
    assertThat(m).isEqualTo(same);
    assertThat(m.hashCode()).isEqualTo(same.hashCode());
    assertThat(ArrayMap.copyOf(m)).isSameAs(m);
    assertThatThrownBy(() -> m.put("d", 1)).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void longHashSetRemembersKeysAcrossGrowth() {
    LongHashSet s = new LongHashSet(16);
    for (long i = 0; i < 10_000; i++) {
      assertThat(s.add(i * 7919)).isTrue();
    }
    assertThat(s.add(0)).isFalse();
    for (long i = 0; i < 10_000; i++) {
      assertThat(s.contains(i * 7919)).isTrue();
    }
    assertThat(s.contains(1)).isFalse();
    assertThat(LongHashSet.hash("tree-a")).isNotEqualTo(LongHashSet.hash("tree-b"));
  }
}
