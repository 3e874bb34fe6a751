package io.sygra.spark;

import io.sygra.core.Graph;
import io.sygra.core.NodeResult;
import io.sygra.core.Nodes;
import io.sygra.core.State;
import io.sygra.core.run.ReportContributor;
import io.sygra.llm.ChatRequest;
import io.sygra.llm.ChatResponse;
import io.sygra.llm.LlmNode;
import io.sygra.llm.ModelClient;
import io.sygra.llm.OpenAiCompatibleClient;
import io.sygra.llm.ResilientModelClient;
import io.sygra.llm.Secret;
import io.sygra.llm.SimulatedModelClient;
import io.sygra.quality.Heuristics;
import io.sygra.quality.QualityNodes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Serializable graph factories for the tests (static, so they capture no test instance). */
final class TestGraphs {
  private TestGraphs() {}

  /** Model calls per counter name, across all executors of the (local) JVM. */
  static final Map<String, AtomicInteger> CALLS = new ConcurrentHashMap<>();

  static int calls(String counter) {
    AtomicInteger n = CALLS.get(counter);
    return n == null ? 0 : n.get();
  }

  /** Counts calls under {@code counter}, then delegates. */
  static ModelClient counting(String counter, ModelClient delegate) {
    AtomicInteger n = CALLS.computeIfAbsent(counter, k -> new AtomicInteger());
    return new CountingClient(n, delegate);
  }

  /** Counts calls, then delegates; stands for the delegate in reports (so its notices show). */
  private static final class CountingClient implements ModelClient, ReportContributor {
    private final AtomicInteger n;
    private final ModelClient delegate;

    CountingClient(AtomicInteger n, ModelClient delegate) {
      this.n = n;
      this.delegate = delegate;
    }

    @Override
    public void contribute(Map<String, Object> sections) {}

    @Override
    public List<ReportContributor> children() {
      return delegate instanceof ReportContributor c ? List.of(c) : List.of();
    }

    @Override
    public CompletableFuture<ChatResponse> chat(ChatRequest request) {
      n.incrementAndGet();
      return delegate.chat(request);
    }

    @Override
    public String provider() {
      return delegate.provider();
    }

    @Override
    public void close() {
      delegate.close();
    }
  }

  /**
   * Alpaca rows ({@code instruction}, {@code input}) to a TRL conversation: the user turn is the
   * instruction (and input), the assistant turn comes from the simulated model. Adds {@code words}
   * and a {@code tags} object as quality-style columns.
   */
  static GraphFactory alpacaSft(String counter) {
    return ctx -> {
      ModelClient model =
          counting(
              counter, ctx.closeAfterPartition(SimulatedModelClient.builder().seed(11).build()));
      return Graph.builder()
          .name("alpaca-sft")
          .node(
              "prompt",
              Nodes.lambda(
                  s -> {
                    String in = s.has("input") ? s.getString("input") : "";
                    String text = s.getString("instruction") + (in.isBlank() ? "" : "\n\n" + in);
                    return s.withMessage("user", text);
                  }))
          .node(
              "answer",
              LlmNode.builder()
                  .client(model)
                  .history("messages")
                  .temperature(0)
                  .appendMessage()
                  .build())
          .node(
              "tag",
              Nodes.lambda(
                  s -> {
                    List<Map<String, Object>> msgs = s.messages();
                    String reply = String.valueOf(msgs.get(msgs.size() - 1).get("content"));
                    int words = reply.isBlank() ? 0 : reply.trim().split("\\s+").length;
                    return s.with("words", words)
                        .with(
                            "tags",
                            Map.of(
                                "has_input",
                                s.has("input") && !s.getString("input").isBlank(),
                                "length_bucket",
                                words < 40 ? "short" : "long"));
                  }))
          .chain(Graph.START, "prompt", "answer", "tag", Graph.END)
          .build();
    };
  }

  /**
   * Alpaca rows to TRL conversations tagged by {@code sygra-quality}'s heuristic taggers (without
   * language detection), which only tag: the record continues with its {@code quality} object.
   */
  static GraphFactory alpacaWithQualityTags() {
    return ctx -> {
      ModelClient model = ctx.closeAfterPartition(SimulatedModelClient.builder().seed(13).build());
      return Graph.builder()
          .name("alpaca-quality")
          .node("prompt", Nodes.lambda(s -> s.withMessage("user", s.getString("instruction"))))
          .node(
              "answer",
              LlmNode.builder()
                  .client(model)
                  .history("messages")
                  .temperature(0)
                  .appendMessage()
                  .build())
          .node(
              "heuristics",
              QualityNodes.heuristics(
                  Heuristics.builder().defaultTaggers(false).build(), null, false))
          .chain(Graph.START, "prompt", "answer", "heuristics", Graph.END)
          .build();
    };
  }

  /**
   * {@code n} → drops odd numbers, fails multiples of 5 (that are even), answers the rest with one
   * model call.
   */
  static GraphFactory dropsAndFailures(String counter) {
    return ctx -> {
      ModelClient model =
          counting(
              counter, ctx.closeAfterPartition(SimulatedModelClient.builder().seed(3).build()));
      return Graph.builder()
          .name("drops-and-failures")
          .node(
              "even",
              Nodes.filter(
                  s -> ((Number) s.get("n")).longValue() % 2 == 0, s -> "odd: " + s.get("n")))
          .node(
              "check",
              Nodes.lambda(
                  s -> {
                    long n = ((Number) s.get("n")).longValue();
                    if (n % 5 == 0) {
                      throw new IllegalStateException("multiple of five: " + n);
                    }
                    return s.with("topic", "the number " + n);
                  }))
          .node(
              "answer",
              LlmNode.builder()
                  .client(model)
                  .user("Say something about {topic}.")
                  .temperature(0)
                  .output("answer")
                  .build())
          .chain(Graph.START, "even", "check", "answer", Graph.END)
          .build();
    };
  }

  /** Each record fans out into {@code k} children (field {@code k}), each numbered. */
  static GraphFactory fanOut() {
    return ctx ->
        Graph.builder()
            .name("fan-out")
            .node(
                "split",
                Nodes.fanOut(
                    s -> {
                      long k = ((Number) s.get("k")).longValue();
                      List<State> out = new ArrayList<>();
                      for (int i = 0; i < k; i++) {
                        out.add(s.with("child", i));
                      }
                      return out;
                    }))
            .chain(Graph.START, "split", Graph.END)
            .build();
  }

  /**
   * LLaMA-Factory ShareGPT preference rows to a TRL DPO pair whose rejected side is a fresh
   * (simulated) model reply to the same prompt.
   */
  static GraphFactory shareGptToDpo(String counter) {
    return ctx -> {
      ModelClient model =
          counting(
              counter, ctx.closeAfterPartition(SimulatedModelClient.builder().seed(5).build()));
      return Graph.builder()
          .name("sharegpt-dpo")
          .node(
              "pair",
              Nodes.lambda(
                  s -> {
                    List<Map<String, Object>> prompt = new ArrayList<>();
                    for (Object o : (List<?>) s.get("conversations")) {
                      Map<?, ?> turn = (Map<?, ?>) o;
                      prompt.add(
                          Map.of("role", role(turn.get("from")), "content", turn.get("value")));
                    }
                    Map<?, ?> chosen = (Map<?, ?>) s.get("chosen");
                    return s.with("prompt", prompt)
                        .with(
                            "chosen",
                            List.of(Map.of("role", "assistant", "content", chosen.get("value"))));
                  }))
          .node(
              "rival",
              LlmNode.builder()
                  .client(model)
                  .history("prompt")
                  .temperature(0)
                  .output("draft")
                  .build())
          .node(
              "reject",
              Nodes.lambda(
                  s ->
                      s.with(
                          "rejected",
                          List.of(Map.of("role", "assistant", "content", s.getString("draft"))))))
          .chain(Graph.START, "pair", "rival", "reject", Graph.END)
          .build();
    };
  }

  private static String role(Object from) {
    return switch (String.valueOf(from)) {
      case "human", "user" -> "user";
      case "gpt", "assistant" -> "assistant";
      case "system" -> "system";
      default -> throw new IllegalArgumentException("unknown ShareGPT role " + from);
    };
  }

  /** Copies the input through unchanged (no model). */
  static GraphFactory identity() {
    return ctx ->
        Graph.builder()
            .name("identity")
            .node("copy", Nodes.step(NodeResult::of))
            .chain(Graph.START, "copy", Graph.END)
            .build();
  }

  /**
   * Answers {@code question} with an OpenAI-compatible endpoint at {@code baseUrl}, its key read on
   * the executor from {@link SparkTests#SECRET_VAR}. One attempt per call, so request counts are
   * exact.
   */
  static GraphFactory remote(String baseUrl) {
    return ctx -> {
      String key =
          ctx.env(SparkTests.SECRET_VAR)
              .orElseThrow(() -> new IllegalStateException(SparkTests.SECRET_VAR + " is not set"));
      OpenAiCompatibleClient endpoint =
          OpenAiCompatibleClient.builder()
              .baseUrl(baseUrl)
              .model("test-model")
              .apiKey(Secret.of(key))
              .build();
      ModelClient client =
          ctx.closeAfterPartition(
              ResilientModelClient.builder()
                  .endpoint(endpoint)
                  .config(ctx.resilience().newBuilder().maxAttempts(1).build())
                  .build());
      return Graph.builder()
          .name("remote")
          .node(
              "answer",
              LlmNode.builder()
                  .client(client)
                  .user("Answer briefly: {question}")
                  .temperature(0)
                  .timeout(Duration.ofSeconds(20))
                  .output("answer")
                  .build())
          .chain(Graph.START, "answer", Graph.END)
          .build();
    };
  }
}
