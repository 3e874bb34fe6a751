package io.sygra.benchmarks.harness;

import static org.bsc.langgraph4j.action.AsyncNodeAction.node_async;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.Capability;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ResponseFormat;
import dev.langchain4j.model.chat.request.ResponseFormatType;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.request.json.JsonSchema;
import dev.langchain4j.model.openai.OpenAiChatModel;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.bsc.langgraph4j.CompiledGraph;
import org.bsc.langgraph4j.GraphStateException;
import org.bsc.langgraph4j.StateGraph;
import org.bsc.langgraph4j.state.AgentState;

/**
 * The stack a Java user would pick instead of SyGra: a LangGraph4j {@link StateGraph} over {@link
 * AgentState} whose nodes call LangChain4j's {@link OpenAiChatModel} (its default JDK HTTP client),
 * compiled once and invoked per record from a fixed pool of {@code C} platform threads (Java 17 has
 * no virtual threads; {@code CompiledGraph.invoke} and {@code ChatModel.chat} block). Each final
 * state is written as one JSON line to a file, as a user would save results; the structured judge
 * uses LangChain4j's JSON-schema response format and Jackson to read the verdict.
 */
final class LangGraph4jWorkloads {
  private LangGraph4jWorkloads() {}

  private static final ObjectMapper JSON = new ObjectMapper();

  static Workload echo() {
    return new Lg4jWorkload("lg4j-echo", 1) {
      @Override
      CompiledGraph<AgentState> graph(OpenAiChatModel model) throws GraphStateException {
        return new StateGraph<>(AgentState::new)
            .addNode(
                "echo",
                node_async(
                    s -> Map.of("answer", model.chat(s.<String>value("prompt").orElseThrow()))))
            .addEdge(StateGraph.START, "echo")
            .addEdge("echo", StateGraph.END)
            .compile();
      }
    };
  }

  static Workload threeNode() {
    return new Lg4jWorkload("lg4j-3node", 3) {
      @Override
      CompiledGraph<AgentState> graph(OpenAiChatModel model) throws GraphStateException {
        ResponseFormat verdictFormat =
            ResponseFormat.builder()
                .type(ResponseFormatType.JSON)
                .jsonSchema(
                    JsonSchema.builder()
                        .name("Verdict")
                        .rootElement(
                            JsonObjectSchema.builder()
                                .addIntegerProperty("score")
                                .addStringProperty("reason")
                                .required("score", "reason")
                                .build())
                        .build())
                .build();
        return new StateGraph<>(AgentState::new)
            .addNode(
                "question",
                node_async(
                    s ->
                        Map.of(
                            "question",
                            model
                                .chat(
                                    SystemMessage.from(
                                        "You write one clear, self-contained question for a"
                                            + " training set."),
                                    UserMessage.from(
                                        "Write one question a curious learner might ask about "
                                            + s.<String>value("prompt").orElseThrow()
                                            + ". Reply with the question only."))
                                .aiMessage()
                                .text())))
            .addNode(
                "answer",
                node_async(
                    s ->
                        Map.of(
                            "answer",
                            model
                                .chat(
                                    SystemMessage.from(
                                        "You are a helpful, accurate and concise expert."),
                                    UserMessage.from(s.<String>value("question").orElseThrow()))
                                .aiMessage()
                                .text())))
            .addNode(
                "judge",
                node_async(
                    s -> {
                      ChatRequest request =
                          ChatRequest.builder()
                              .messages(
                                  SystemMessage.from(
                                      "You grade answers for a supervised fine-tuning dataset. Be"
                                          + " strict."),
                                  UserMessage.from(
                                      "Question:\n"
                                          + s.<String>value("question").orElseThrow()
                                          + "\n\nAnswer:\n"
                                          + s.<String>value("answer").orElseThrow()
                                          + "\n\nRate the answer from 1 (useless) to 5 (excellent)"
                                          + " and give a one-sentence reason."))
                              .responseFormat(verdictFormat)
                              .build();
                      String text = model.chat(request).aiMessage().text();
                      // LangChain4j's integer schema has no bounds and it checks no reply
                      // against the schema, so the score is taken as it comes.
                      SygraWorkloads.Verdict v = JSON.readValue(text, SygraWorkloads.Verdict.class);
                      return Map.of("verdict", Map.of("score", v.score(), "reason", v.reason()));
                    }))
            .addEdge(StateGraph.START, "question")
            .addEdge("question", "answer")
            .addEdge("answer", "judge")
            .addEdge("judge", StateGraph.END)
            .compile();
      }
    };
  }

  private abstract static class Lg4jWorkload implements Workload {
    private final String name;
    private final int calls;

    Lg4jWorkload(String name, int calls) {
      this.name = name;
      this.calls = calls;
    }

    abstract CompiledGraph<AgentState> graph(OpenAiChatModel model) throws GraphStateException;

    @Override
    public String name() {
      return name;
    }

    @Override
    public int callsPerRecord() {
      return calls;
    }

    @Override
    public Outcome run(String baseUrl, int records, int concurrency) throws Exception {
      OpenAiChatModel model =
          OpenAiChatModel.builder()
              .baseUrl(baseUrl)
              .apiKey("not-needed")
              .modelName(SygraWorkloads.MODEL)
              .supportedCapabilities(Capability.RESPONSE_FORMAT_JSON_SCHEMA)
              .build();
      CompiledGraph<AgentState> app = graph(model);
      Path dir = Files.createTempDirectory("lg4j-bench");
      long[] latencies = new long[records];
      Arrays.fill(latencies, -1);
      AtomicInteger next = new AtomicInteger();
      AtomicInteger errors = new AtomicInteger();
      ExecutorService pool = Executors.newFixedThreadPool(concurrency);
      try (BufferedWriter out =
          Files.newBufferedWriter(dir.resolve("output.jsonl"), StandardCharsets.UTF_8)) {
        List<Future<?>> workers = new ArrayList<>();
        for (int t = 0; t < concurrency; t++) {
          workers.add(
              pool.submit(
                  () -> {
                    for (int i = next.getAndIncrement(); i < records; i = next.getAndIncrement()) {
                      long t0 = System.nanoTime();
                      try {
                        AgentState end =
                            app.invoke(
                                    Map.of("id", Integer.toString(i), "prompt", "Echo record " + i))
                                .orElseThrow();
                        String line = JSON.writeValueAsString(end.data());
                        synchronized (out) {
                          out.write(line);
                          out.write('\n');
                        }
                        latencies[i] = System.nanoTime() - t0;
                      } catch (IOException e) {
                        throw new UncheckedIOException(e);
                      } catch (RuntimeException e) {
                        if (errors.incrementAndGet() == 1) {
                          System.err.println(name + ": first failed record " + i + ": " + e);
                        }
                      }
                    }
                  }));
        }
        for (Future<?> w : workers) {
          w.get();
        }
      } finally {
        pool.shutdownNow();
        SygraWorkloads.deleteTree(dir);
      }
      return Outcome.of(
          records, errors.get(), Arrays.stream(latencies).filter(l -> l >= 0).toArray());
    }
  }
}
