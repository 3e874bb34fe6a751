package io.sygra.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayDeque;
import java.util.Deque;
import org.junit.jupiter.api.Test;

class ContextSplitTreeTest {
  private static final ContextSplitTree.Limits LIMITS = new ContextSplitTree.Limits(20, 4, 3);

  @Test
  void parsesTheReplyWithOrWithoutTheQuestionLabel() {
    ContextSplitTree.Split s =
        ContextSplitTree.parse(
            "How do cells cope with size?\n\nContext 1: Volume grows faster.\n\nContext 2: Big"
                + " cells grow more nuclei.");
    assertThat(s.question()).isEqualTo("How do cells cope with size?");
    assertThat(s.context1()).isEqualTo("Volume grows faster.");
    assertThat(s.context2()).isEqualTo("Big cells grow more nuclei.");
    ContextSplitTree.Split labelled =
        ContextSplitTree.parse(
            "Context: whole text\n\n**Question:** Why?\n\n**Context 1:** A part.\n\nContext 2: B"
                + " part.\n\n---\n\nContext: next example");
    assertThat(labelled.question()).isEqualTo("Why?");
    assertThat(labelled.context1()).isEqualTo("A part.");
    assertThat(labelled.context2()).isEqualTo("B part.");
  }

  @Test
  void malformedRepliesNameWhatIsMissing() {
    assertThatThrownBy(() -> ContextSplitTree.parse("Q?\n\nContext 1: all of it"))
        .isInstanceOf(ContextSplitTree.ParseException.class)
        .hasMessageContaining("Context 2");
    assertThatThrownBy(() -> ContextSplitTree.parse("just prose"))
        .hasMessageContaining("Context 1");
    assertThatThrownBy(() -> ContextSplitTree.parse("Context 1: a\nContext 2: b"))
        .hasMessageContaining("question");
  }

  @Test
  void guardsStopSplitsThatMakeNoProgress() {
    ContextSplitTree.Node root = ContextSplitTree.root("x".repeat(100), 1);
    ContextSplitTree.Outcome same =
        ContextSplitTree.expand(
            root,
            new ContextSplitTree.Split("What is x?", "x".repeat(100), "x".repeat(30)),
            LIMITS);
    assertThat(same.question()).isEqualTo("What is x?");
    assertThat(same.children()).isEmpty();
    assertThat(same.stopReason()).contains("not shorter");
    ContextSplitTree.Outcome tiny =
        ContextSplitTree.expand(
            root, new ContextSplitTree.Split("Why?", "x".repeat(40), "x".repeat(10)), LIMITS);
    assertThat(tiny.question()).isNull();
    ContextSplitTree.Outcome ok =
        ContextSplitTree.expand(
            root, new ContextSplitTree.Split("What is x?", "x".repeat(60), "x".repeat(15)), LIMITS);
    assertThat(ok.children()).extracting(ContextSplitTree.Node::id).containsExactly("0.1");
    assertThat(ok.children().get(0).parent()).isEqualTo("0");
    ContextSplitTree.Node deep =
        new ContextSplitTree.Node("0.1.1.1.1", "y".repeat(50), 4, "0.1.1.1");
    assertThat(
            ContextSplitTree.expand(
                    deep,
                    new ContextSplitTree.Split("What is y?", "y".repeat(25), "y".repeat(24)),
                    LIMITS)
                .stopReason())
        .isEqualTo("depth cap");
  }

  @Test
  void anySplitterTerminatesBecauseChildrenAreStrictlyShorter() {
    // An adversarial splitter that keeps children as long as allowed (parent length - 1).
    Deque<ContextSplitTree.Node> queue = new ArrayDeque<>();
    queue.add(ContextSplitTree.root("z".repeat(300), 1));
    int splits = 0;
    while (!queue.isEmpty()) {
      ContextSplitTree.Node n = queue.poll();
      int len = n.context().length();
      ContextSplitTree.Outcome o =
          ContextSplitTree.expand(
              n,
              new ContextSplitTree.Split("Question?", "z".repeat(len - 1), "z".repeat(len / 2)),
              new ContextSplitTree.Limits(20, 50, 1));
      for (ContextSplitTree.Node c : o.children()) {
        assertThat(c.context().length()).isLessThan(len);
        queue.add(c);
      }
      splits++;
      assertThat(splits).isLessThan(1_000_000);
    }
    assertThat(splits).isPositive();
  }

  @Test
  void quotaIsOnePer35Characters() {
    assertThat(ContextSplitTree.quota("a".repeat(34))).isZero();
    assertThat(ContextSplitTree.quota("a".repeat(35))).isEqualTo(1);
    assertThat(ContextSplitTree.quota("a".repeat(224))).isEqualTo(6);
  }
}
