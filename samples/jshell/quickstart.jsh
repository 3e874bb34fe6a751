// The quickstart as a JShell script: topics → question → answer → LLM judge → TRL SFT records.
//
//   jshell --class-path "$(./sygra classpath)" samples/jshell/quickstart.jsh
//
// Offline (simulated model) unless OPENAI_API_KEY or SYGRA_BASE_URL (and SYGRA_MODEL) are set.
// Writes its run directory to $SYGRA_OUT (default runs/jshell-quickstart); run it again to resume.
// Exits 0 when the run completed and its counts reconcile, 1 otherwise.

import io.sygra.core.*;
import io.sygra.core.run.*;
import io.sygra.llm.*;
import java.nio.file.*;
import java.util.*;

/** The judge's structured verdict: a 1-5 score and a one-sentence reason. */
record Verdict(
    @jakarta.validation.constraints.Min(1) @jakarta.validation.constraints.Max(5) int score,
    String reason) {}

int runQuickstart() {
  try {
    Key<Verdict> verdict = Key.of("verdict", Verdict.class);
    Path out = Path.of(Objects.requireNonNullElse(System.getenv("SYGRA_OUT"), "runs/jshell-quickstart"));
    int records = Integer.parseInt(Objects.requireNonNullElse(System.getenv("SYGRA_RECORDS"), "8"));
    try (ModelClient model =
        ModelClients.fromEnv().orElseGet(() -> SimulatedModelClient.builder().seed(42).build())) {
      Graph graph =
          Graph.builder()
              .name("quickstart-jshell")
              .node("topic", Nodes.sampler()
                  .sequential("topic", List.of("photosynthesis", "binary search", "plate tectonics",
                      "the French Revolution", "compound interest"))
                  .build())
              .node("question", LlmNode.builder().client(model)
                  .system("You write one clear, self-contained question for a training set.")
                  .user("Write one question a curious learner might ask about {topic}."
                      + " Reply with the question only.")
                  .temperature(0.8).maxTokens(120).output("question").build())
              .node("answer", LlmNode.builder().client(model)
                  .system("You are a helpful, accurate and concise expert.")
                  .user("{question}").temperature(0.3).maxTokens(400).output("answer").build())
              .node("judge", LlmNode.builder().client(model)
                  .system("You grade answers for a supervised fine-tuning dataset. Be strict.")
                  .user("Question:\n{question}\n\nAnswer:\n{answer}\n\nRate the answer from 1 to 5"
                      + " and give a one-sentence reason.")
                  .temperature(0.0).structuredOutput(verdict).build())
              .node("keep", Nodes.filter(s -> s.require(verdict).score() >= 3,
                  s -> "judge score " + s.require(verdict).score() + " < 3"))
              .chain(Graph.START, "topic", "question", "answer", "judge", "keep", Graph.END)
              .build();
      Pipeline pipeline =
          Pipeline.builder()
              .graph(graph)
              .source(Sources.generate(records))
              .runDirectory(out)
              .outputMapper(OutputMapper.builder()
                  .computed("messages", s -> List.of(
                      Map.of("role", "user", "content", s.getString("question")),
                      Map.of("role", "assistant", "content", s.getString("answer"))))
                  .computed("provenance", s -> Map.of("topic", s.getString("topic"),
                      "judge", s.get("verdict")))
                  .build())
              .options(RunOptions.builder().progress(RunOptions.ProgressMode.NEVER).build())
              .build();
      pipeline.notices().forEach(System.out::println);
      RunReport report = pipeline.run();
      System.out.print(report.summary());
      System.out.println("output: " + out.resolve("output.jsonl"));
      return "completed".equals(report.status()) && report.reconciles() ? 0 : 1;
    }
  } catch (Throwable t) {
    t.printStackTrace();
    return 1;
  }
}

/exit runQuickstart()
// Reached only if the line above could not run (e.g. a class was not on the class path).
/exit 1
