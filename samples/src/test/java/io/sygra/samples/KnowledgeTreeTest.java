package io.sygra.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sygra.core.ConfigurationException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KnowledgeTreeTest {
  @TempDir Path tmp;

  @Test
  void readsCondorsPublishedTree() {
    KnowledgeTree tree =
        KnowledgeTree.read(
            SampleTestSupport.fixtures().resolve("seeds/condor_knowledge_tree_en.json"));
    assertThat(tree.domains()).isEqualTo(45);
    assertThat(tree.leaves()).hasSize(811);
    assertThat(tree.leaves().get(0))
        .isEqualTo(
            new KnowledgeTree.Leaf(
                "Marriage and Relationships", "Dating and Friendship", "Dating Platforms"));
  }

  @Test
  void malformedTreeNamesTheJsonPath() throws Exception {
    Path f = tmp.resolve("t.json");
    Files.writeString(f, "{\"A\": {\"B\": \"not a list\"}}");
    assertThatThrownBy(() -> KnowledgeTree.read(f))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("$.A.B");
  }

  @Test
  void parsesPythonAndJsonLists() {
    assertThat(KnowledgeTree.parseList("Sure! ['Celebrity Interviews', \"Charity Events\"]"))
        .containsExactly("Celebrity Interviews", "Charity Events");
    assertThat(KnowledgeTree.parseList("```python\n[\"It's fine\"]\n```"))
        .containsExactly("It's fine");
    assertThatThrownBy(() -> KnowledgeTree.parseList("no list"))
        .hasMessageContaining("no [...] list");
    assertThatThrownBy(() -> KnowledgeTree.parseList("[1, 2]")).hasMessageContaining("no strings");
  }
}
