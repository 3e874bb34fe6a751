package io.sygra.samples;

import io.sygra.core.Graph;
import io.sygra.core.Key;
import io.sygra.core.Nodes;
import io.sygra.core.State;
import io.sygra.core.run.OutputMapper;
import io.sygra.core.run.Pipeline;
import io.sygra.core.run.RunReport;
import io.sygra.core.run.Sources;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A data-less tour of the core node kinds, no LLM needed: a seeded weighted sampler picks a persona
 * and a topic, a lambda drafts a greeting, a conditional loop polishes it a few times, a fan-out
 * makes one variant per language, and a filter drops variants that got too long.
 *
 * <pre>
 * START → sample → draft → polish ⟲ (until polished) → translate (fan-out ×3) → keep (filter) → END
 * </pre>
 */
public final class HelloSample implements Sample {
  static final Key<String> PERSONA = Key.string("persona");
  static final Key<String> TOPIC = Key.string("topic");
  static final Key<String> TEXT = Key.string("text");
  static final Key<Integer> ROUNDS = Key.integer("rounds");
  static final Key<String> LANGUAGE = Key.string("language");

  /** Greeting words per language, used by the fan-out. */
  private static final Map<String, String> HELLO =
      Map.of("en", "Hello", "fr", "Bonjour", "de", "Guten Tag");

  /** Longest text kept by the filter. */
  static final int MAX_LENGTH = 50;

  @Override
  public String name() {
    return "hello";
  }

  @Override
  public String description() {
    return "data-less tour of the core nodes: sampler → lambda → loop → fan-out → filter";
  }

  /** The sample's graph. */
  public static Graph graph() {
    return Graph.builder()
        .name("hello")
        .node(
            "sample",
            Nodes.sampler()
                .weighted("persona", List.of("pirate", "poet", "robot"), 1, 2, 1)
                .weighted(
                    "topic",
                    List.of("tea", "the sea", "prime numbers", "a rainy Monday"),
                    3,
                    2,
                    1,
                    1)
                .seed(42)
                .build())
        .node(
            "draft",
            Nodes.lambda(
                s ->
                    s.with(
                            TEXT,
                            "a greeting from a "
                                + s.require(PERSONA)
                                + " about "
                                + s.require(TOPIC))
                        .with(ROUNDS, 0)))
        .node(
            "polish",
            Nodes.lambda(
                s -> {
                  int round = s.require(ROUNDS) + 1;
                  String text = s.require(TEXT);
                  String polished =
                      round == 1 ? capitalize(text) : text + (round == 2 ? "!" : "!!");
                  return s.with(TEXT, polished).with(ROUNDS, round);
                }))
        .node(
            "translate",
            Nodes.fanOut(
                s -> {
                  List<State> out = new ArrayList<>();
                  for (String lang : List.of("en", "fr", "de")) {
                    out.add(
                        s.with(LANGUAGE, lang)
                            .with(TEXT, HELLO.get(lang) + "! " + s.require(TEXT)));
                  }
                  return out;
                }))
        .node(
            "keep",
            Nodes.filter(
                s -> s.require(TEXT).length() <= MAX_LENGTH,
                s -> "text longer than " + MAX_LENGTH + " characters"))
        .edge(Graph.START, "sample")
        .edge("sample", "draft")
        .edge("draft", "polish")
        .conditionalEdge(
            "polish",
            s -> s.require(ROUNDS) < targetRounds(s) ? "polish" : "translate",
            Set.of("polish", "translate"))
        .edge("translate", "keep")
        .edge("keep", Graph.END)
        .build();
  }

  /** Poets polish three times, the others once or twice. */
  static int targetRounds(State s) {
    return switch (s.require(PERSONA)) {
      case "poet" -> 3;
      case "pirate" -> 2;
      default -> 1;
    };
  }

  private static String capitalize(String s) {
    return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }

  @Override
  public RunReport run(SampleContext ctx) {
    Pipeline p =
        Pipeline.builder()
            .graph(graph())
            .source(Sources.generate(ctx.records(20)))
            .runDirectory(ctx.outDir())
            .outputMapper(
                OutputMapper.builder()
                    .pick("persona", "topic", "language", "text", "rounds")
                    .build())
            .options(ctx.runOptions())
            .build();
    return ctx.run(p);
  }
}
