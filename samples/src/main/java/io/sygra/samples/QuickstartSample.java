package io.sygra.samples;

import io.sygra.core.Graph;
import io.sygra.core.Key;
import io.sygra.core.Nodes;
import io.sygra.core.run.OutputMapper;
import io.sygra.core.run.Pipeline;
import io.sygra.core.run.RunReport;
import io.sygra.core.run.Sources;
import io.sygra.llm.LlmNode;
import io.sygra.llm.ModelClient;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * The README's main job: topics → question → answer → structured judge (score 1–5 with a reason) →
 * keep score ≥ 4 → TRL {@code messages} SFT records with the judge's verdict as provenance.
 *
 * <p>Offline by default (simulated model); {@code --base-url}, {@code --model}, {@code
 * OPENAI_API_KEY}, {@code SYGRA_BASE_URL} and {@code SYGRA_MODEL} select a real endpoint. Three LLM
 * calls per input record.
 */
public final class QuickstartSample implements Sample {

  /** The judge's structured verdict. */
  public record Verdict(
      @jakarta.validation.constraints.Min(1) @jakarta.validation.constraints.Max(5) int score,
      String reason) {}

  static final Key<Verdict> VERDICT = Key.of("verdict", Verdict.class);

  static final String QUESTION_MARKER = "Write one question a curious learner might ask about";

  private static final List<String> QUESTION_SHAPES =
      List.of(
          "What is %s, and why does it matter?",
          "How does %s work, step by step?",
          "What are the most common misconceptions about %s?",
          "How would you explain %s to a twelve-year-old?",
          "What is a real-world example of %s?");

  /** Offline only: a plausible question about the topic named in the prompt. */
  static String simulatedQuestion(io.sygra.llm.ChatRequest request) {
    String prompt = request.messages().get(request.messages().size() - 1).text();
    int from = prompt.indexOf(QUESTION_MARKER) + QUESTION_MARKER.length();
    int to = prompt.indexOf(". Reply", from);
    String topic = prompt.substring(from, to < 0 ? prompt.length() : to).strip();
    return String.format(
        QUESTION_SHAPES.get(Math.floorMod(topic.hashCode(), QUESTION_SHAPES.size())), topic);
  }

  /** Lowest judge score kept. */
  public static final int MIN_SCORE = 4;

  @Override
  public String name() {
    return "quickstart";
  }

  @Override
  public String description() {
    return "topics → question → answer → structured judge → keep score ≥ 4 → TRL SFT messages";
  }

  /** The quickstart graph against {@code model}. */
  public static Graph graph(ModelClient model) {
    return Graph.builder()
        .name("quickstart")
        .node("topic", Nodes.sampler().sequential("topic", topics()).build())
        .node(
            "question",
            LlmNode.builder()
                .client(model)
                .system("You write one clear, self-contained question for a training set.")
                .user(QUESTION_MARKER + " {topic}. Reply with the question only.")
                .temperature(0.8)
                .seed(7L)
                .maxTokens(120)
                .output("question")
                .build())
        .node(
            "answer",
            LlmNode.builder()
                .client(model)
                .system("You are a helpful, accurate and concise expert.")
                .user("{question}")
                .temperature(0.3)
                .seed(7L)
                .maxTokens(400)
                .output("answer")
                .build())
        .node(
            "judge",
            LlmNode.builder()
                .client(model)
                .system("You grade answers for a supervised fine-tuning dataset. Be strict.")
                .user(
                    "Question:\n{question}\n\nAnswer:\n{answer}\n\nRate the answer from 1 (useless)"
                        + " to 5 (excellent) for accuracy, helpfulness and clarity, and give a"
                        + " one-sentence reason.")
                .temperature(0.0)
                .structuredOutput(VERDICT)
                .build())
        .node(
            "keep",
            Nodes.filter(
                s -> s.require(VERDICT).score() >= MIN_SCORE,
                s -> "judge score " + s.require(VERDICT).score() + " < " + MIN_SCORE))
        .chain(Graph.START, "topic", "question", "answer", "judge", "keep", Graph.END)
        .build();
  }

  /** Maps a final state to a TRL conversational SFT record plus provenance. */
  public static OutputMapper output() {
    return OutputMapper.builder()
        .computed(
            "messages",
            s ->
                List.of(
                    SampleRecords.message("user", s.getString("question")),
                    SampleRecords.message("assistant", s.getString("answer"))))
        .computed(
            "provenance",
            s ->
                Map.of(
                    "sample", "quickstart",
                    "topic", s.getString("topic"),
                    "judge", s.get("verdict")))
        .build();
  }

  @Override
  public RunReport run(SampleContext ctx) {
    try (ModelClient model =
        SampleModels.create(
            ctx,
            sim ->
                sim.respondWhenPromptContains(
                    QUESTION_MARKER, QuickstartSample::simulatedQuestion))) {
      Pipeline p =
          Pipeline.builder()
              .graph(graph(model))
              .source(Sources.generate(ctx.records(20)))
              .runDirectory(ctx.outDir())
              .outputMapper(output())
              .options(ctx.runOptions())
              .build();
      return ctx.run(p);
    }
  }

  /** The bundled topic list (one per line). */
  static List<String> topics() {
    try (InputStream in = QuickstartSample.class.getResourceAsStream("quickstart-topics.txt");
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      return r.lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
