package io.sygra.samples;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class StratifiedSamplerTest {
  @Test
  void balancesStrataAndKeepsSmallOnesWhole() {
    List<String> items = new ArrayList<>();
    for (int i = 0; i < 90; i++) {
      items.add("big-" + i);
    }
    for (int i = 0; i < 5; i++) {
      items.add("mid-" + i);
    }
    items.add("small-0");
    Function<String, String> stratum = s -> s.substring(0, s.indexOf('-'));
    List<String> sample = StratifiedSampler.sample(items, stratum, 12, 42);
    Map<String, Long> counts =
        sample.stream().collect(Collectors.groupingBy(stratum, Collectors.counting()));
    assertThat(sample).hasSize(12).doesNotHaveDuplicates();
    assertThat(counts).containsEntry("small", 1L).containsEntry("mid", 5L).containsEntry("big", 6L);
    assertThat(StratifiedSampler.sample(items, stratum, 12, 42)).isEqualTo(sample);
    assertThat(StratifiedSampler.sample(items, stratum, 1000, 42)).hasSize(items.size());
  }
}
