package io.sygra.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sygra.core.ConfigurationException;
import io.sygra.llm.Embedder;
import io.sygra.schema.Format;
import io.sygra.schema.OasstFilter;
import io.sygra.schema.OasstReader;
import io.sygra.schema.OasstTree;
import io.sygra.schema.SftPaths;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class DeduplicatorTest {

  @Test
  void exactDuplicatesInTheAlpacaFixture() {
    List<QualityPipeline.Item> items =
        Fixtures.read(Format.ALPACA, "sft/llamafactory_alpaca_en_demo.json");
    Deduplicator d = Deduplicator.builder().exact().build();
    List<String> ids = new ArrayList<>();
    List<String> texts = new ArrayList<>();
    for (QualityPipeline.Item it : items) {
      ids.add(it.id());
      texts.add(QualitySample.of(it.id(), it.example()).fullText());
    }
    List<Optional<Deduplicator.Duplicate>> r = d.checkAll(ids, texts);
    List<Deduplicator.Duplicate> dups = r.stream().flatMap(Optional::stream).toList();
    // Six rows of the fixture repeat an earlier row exactly.
    assertThat(dups).hasSize(6);
    assertThat(dups).allSatisfy(x -> assertThat(x.similarity()).isEqualTo(1.0));
    for (int i = 0; i < r.size(); i++) {
      if (r.get(i).isPresent()) {
        int first = ids.indexOf(r.get(i).get().duplicateOf());
        assertThat(first).isLessThan(i);
        assertThat(texts.get(first)).isEqualTo(texts.get(i));
      }
    }
    assertThat(d.size()).isEqualTo(items.size() - 6);
  }

  private static List<String> oasstConversations(String file) {
    List<String> out = new ArrayList<>();
    try (OasstReader r =
        OasstReader.open(Fixtures.file(file), OasstReader.Grouping.IN_MEMORY, x -> {})) {
      while (r.hasNext()) {
        OasstTree t = r.next();
        t.select(OasstFilter.defaults())
            .sftConversations(SftPaths.ALL)
            .forEach(c -> out.add(QualitySample.of("", c).fullText()));
      }
    }
    return out;
  }

  @Test
  void theSameOasstTreesInTwoSerializationsAreDuplicates() {
    List<String> trees = oasstConversations("oasst/oasst_en100_trees_nulls_omitted.jsonl");
    List<String> nodes = oasstConversations("oasst/oasst_en100_prompt_nodes_nulls_explicit.jsonl");
    assertThat(nodes).hasSameSizeAs(trees);
    Deduplicator d = Deduplicator.builder().exact().near().build();
    List<String> ids = new ArrayList<>();
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < trees.size(); i++) {
      ids.add("T" + i);
      texts.add(trees.get(i));
    }
    for (int i = 0; i < nodes.size(); i++) {
      ids.add("N" + i);
      texts.add(nodes.get(i));
    }
    List<Optional<Deduplicator.Duplicate>> r = d.checkAll(ids, texts);
    long inT = r.subList(0, trees.size()).stream().filter(Optional::isPresent).count();
    List<Optional<Deduplicator.Duplicate>> inN = r.subList(trees.size(), r.size());
    // Within one file, conversations sharing a long prefix may be near duplicates; across
    // files, every conversation has an exact twin.
    assertThat(inN).allSatisfy(x -> assertThat(x).isPresent());
    assertThat(inN.stream().filter(x -> x.get().method() == Deduplicator.Method.EXACT).count())
        .isEqualTo(nodes.size() - inT);
    assertThat(inN).allSatisfy(x -> assertThat(x.get().duplicateOf()).startsWith("T"));
  }

  private static String edit(String text, SplittableRandom rng, int edits) {
    String[] words = text.split(" ");
    for (int e = 0; e < edits; e++) {
      int i = rng.nextInt(words.length);
      words[i] = words[i].toUpperCase() + (rng.nextBoolean() ? "s" : "");
    }
    return String.join(" ", words);
  }

  @Test
  void nearDuplicatesNameTheRecordAndTheSimilarity() {
    List<QualityPipeline.Item> items =
        Fixtures.read(Format.ALPACA, "sft/llamafactory_alpaca_en_demo.json");
    List<String> base = new ArrayList<>();
    for (QualityPipeline.Item it : items) {
      String t = QualitySample.of(it.id(), it.example()).fullText();
      if (t.split(" ").length > 120 && base.size() < 20) {
        base.add(t);
      }
    }
    assertThat(base).hasSize(20);
    Deduplicator d = Deduplicator.builder().near(0.7).build();
    SplittableRandom rng = new SplittableRandom(7);
    for (int i = 0; i < base.size(); i++) {
      assertThat(d.check("orig-" + i, base.get(i))).isEmpty();
    }
    int found = 0;
    for (int i = 0; i < base.size(); i++) {
      Optional<Deduplicator.Duplicate> dup = d.check("copy-" + i, edit(base.get(i), rng, 2));
      if (dup.isPresent()) {
        found++;
        assertThat(dup.get().duplicateOf()).isEqualTo("orig-" + i);
        assertThat(dup.get().method()).isEqualTo(Deduplicator.Method.NEAR);
        assertThat(dup.get().similarity()).isBetween(0.7, 1.0);
        assertThat(dup.get().toMap()).containsEntry("duplicate_of", "orig-" + i);
      }
    }
    assertThat(found).isGreaterThanOrEqualTo(18);
    assertThat(d.check("other", "An entirely different text about sailing boats and wind."))
        .isEmpty();
  }

  @Test
  void keepLastKeepsTheLastCopy() {
    Deduplicator d = Deduplicator.builder().exact().build();
    List<Optional<Deduplicator.Duplicate>> r =
        d.checkAll(
            List.of("a", "b", "c"),
            List.of("same text", "other", "Same   TEXT"),
            Deduplicator.Keep.LAST);
    assertThat(r.get(0)).hasValueSatisfying(x -> assertThat(x.duplicateOf()).isEqualTo("c"));
    assertThat(r.get(1)).isEmpty();
    assertThat(r.get(2)).isEmpty();
  }

  /** Bag-of-words vectors: texts with the same words in any order embed identically. */
  static final class BagOfWordsEmbedder implements Embedder {
    final AtomicInteger calls = new AtomicInteger();

    @Override
    public CompletableFuture<float[][]> embed(List<String> texts) {
      calls.incrementAndGet();
      float[][] out = new float[texts.size()][64];
      for (int i = 0; i < texts.size(); i++) {
        for (String w : texts.get(i).toLowerCase().split("\\W+")) {
          if (!w.isEmpty()) {
            out[i][Math.floorMod(w.hashCode(), 64)] += 1;
          }
        }
      }
      return CompletableFuture.completedFuture(out);
    }

    @Override
    public int dimensions() {
      return 64;
    }

    @Override
    public String model() {
      return "bag-of-words";
    }

    @Override
    public String provider() {
      return "test";
    }
  }

  @Test
  void semanticDuplicatesByCosine() {
    BagOfWordsEmbedder e = new BagOfWordsEmbedder();
    Deduplicator d = Deduplicator.builder().semantic(e, 0.99).embeddingBatchSize(2).build();
    List<Optional<Deduplicator.Duplicate>> r =
        d.checkAll(
            List.of("a", "b", "c", "d"),
            List.of(
                "the quick brown fox jumps",
                "jumps the fox brown quick",
                "a completely different sentence here",
                "the quick brown fox"));
    assertThat(r.get(1))
        .hasValueSatisfying(
            x -> {
              assertThat(x.method()).isEqualTo(Deduplicator.Method.SEMANTIC);
              assertThat(x.duplicateOf()).isEqualTo("a");
              assertThat(x.similarity()).isGreaterThan(0.99);
            });
    assertThat(r.get(2)).isEmpty();
    assertThat(r.get(3)).isEmpty(); // cosine below 0.99
    assertThat(e.calls.get()).isEqualTo(2); // batches of 2
  }

  @Test
  void concurrentChecksKeepExactlyOneCopyPerGroup() throws Exception {
    Deduplicator d = Deduplicator.builder().exact().near().build();
    int groups = 50;
    int copies = 8;
    ConcurrentHashMap<String, Integer> kept = new ConcurrentHashMap<>();
    AtomicInteger duplicates = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<CompletableFuture<Void>> fs = new ArrayList<>();
      for (int c = 0; c < copies; c++) {
        for (int g = 0; g < groups; g++) {
          String group = "g" + g;
          String id = group + "-c" + c;
          String text =
              "group " + g + " talks about topic number " + g + " in some detail " + "x".repeat(g);
          fs.add(
              d.checkAsync(id, text, pool)
                  .thenAccept(
                      r -> {
                        if (r.isEmpty()) {
                          kept.merge(group, 1, Integer::sum);
                        } else {
                          duplicates.incrementAndGet();
                          assertThat(r.get().duplicateOf()).startsWith(group + "-");
                        }
                      }));
        }
      }
      CompletableFuture.allOf(fs.toArray(new CompletableFuture<?>[0])).get();
    } finally {
      pool.shutdownNow();
    }
    assertThat(kept).hasSize(groups).allSatisfy((k, v) -> assertThat(v).isEqualTo(1));
    assertThat(duplicates.get()).isEqualTo(groups * (copies - 1));
  }

  @Test
  void configurationIsValidated() {
    assertThatThrownBy(() -> Deduplicator.builder().build())
        .isInstanceOf(ConfigurationException.class);
    assertThatThrownBy(() -> Deduplicator.builder().near(1.5))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("1.5");
    assertThat(Deduplicator.Method.parse(" Near ")).isEqualTo(Deduplicator.Method.NEAR);
    assertThatThrownBy(() -> Deduplicator.Method.parse("fuzzy")).hasMessageContaining("fuzzy");
    int[] br = Deduplicator.builder().near(0.8).build().lshBands();
    assertThat(br[0] * br[1]).isLessThanOrEqualTo(128);
  }
}
