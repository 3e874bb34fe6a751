package io.sygra.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class CallContextTest {
  /** Records the node of each request it sees. */
  private static final class Spy extends FixedModelClient {
    final List<String> nodes = new ArrayList<>();
    boolean closed;

    Spy() {
      super(false);
    }

    @Override
    public CompletableFuture<ChatResponse> chat(ChatRequest request) {
      CallContext c = CallContext.of(request);
      nodes.add(c == null ? null : c.node());
      return super.chat(request);
    }

    @Override
    public void close() {
      closed = true;
    }
  }

  private static ChatRequest ask() {
    return ChatRequest.builder().addMessage(ChatMessage.user("x")).build();
  }

  @Test
  void viewsTagRequestsWithTheirNode() {
    Spy spy = new Spy();
    spy.chatBlocking(ask());
    spy.forNode("gen").chatBlocking(ask());
    spy.forNode("gen").forNode("judge").chatBlocking(ask());
    spy.forNode("gen")
        .chatBlocking(
            ask().newBuilder().tag(CallContext.class, CallContext.forNode("explicit")).build());
    assertThat(spy.nodes).containsExactly(null, "gen", "judge", "explicit");
  }

  @Test
  void tagsStayOutOfEqualityAndViewsDoNotCloseTheClient() {
    ChatRequest tagged =
        ask().newBuilder().tag(CallContext.class, CallContext.forNode("n")).build();
    assertThat(tagged).isEqualTo(ask()).hasSameHashCodeAs(ask());
    assertThat(tagged.tag(CallContext.class)).isEqualTo(new CallContext("n"));
    assertThat(tagged.newBuilder().tag(CallContext.class, null).build().tag(CallContext.class))
        .isNull();
    Spy spy = new Spy();
    spy.forNode("n").close();
    assertThat(spy.closed).isFalse();
    assertThat(spy.forNode("n").provider()).isEqualTo("fixed");
  }

  @Test
  void blankNodesAreRejected() {
    assertThatThrownBy(() -> new Spy().forNode(" ")).hasMessageContaining("node");
  }
}
