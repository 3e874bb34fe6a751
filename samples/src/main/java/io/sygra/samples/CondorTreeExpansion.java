package io.sygra.samples;

import io.sygra.core.Graph;
import io.sygra.core.NodeResult;
import io.sygra.core.Nodes;
import io.sygra.core.State;
import io.sygra.core.run.OutputMapper;
import io.sygra.core.run.Pipeline;
import io.sygra.core.run.RunReport;
import io.sygra.core.run.Sources;
import io.sygra.llm.LlmNode;
import io.sygra.llm.ModelClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Condor's tag synthesis: seed domains (a text file, one per line) are expanded by the model into
 * topics, and each topic into leaf tags, with Condor's sub-path prompt. The replies are Python
 * lists, parsed leniently ({@link KnowledgeTree#parseList}) and re-asked with feedback when
 * unusable. Runs as its own resumable pipeline in {@code tree/} and writes {@code
 * knowledge-tree.json}.
 *
 * <pre>
 * START → start → topics ⇄ parse_topics → split (per topic) → reset → tags ⇄ parse_tags → END
 * </pre>
 */
final class CondorTreeExpansion {
  private CondorTreeExpansion() {}

  static final ParseRetry TOPICS_RETRY = ParseRetry.named("topics", 3);
  static final ParseRetry TAGS_RETRY = ParseRetry.named("tags", 3);

  private static final String LIST_FORMAT = "[\"Sub-path 1\", \"Sub-path 2\", \"Sub-path 3\"]";

  private static LlmNode subpaths(ModelClient model, String path, String output, ParseRetry retry) {
    return LlmNode.builder()
        .client(model)
        .user(
            CondorSample.SUBPATH_MARKER
                + ", please provide multiple corresponding sub-paths and return them in Python"
                + " list format. For example, for \"Entertainment Gossip-Celebrity News\", return"
                + " [\"Celebrity Interviews\", \"Celebrity Charity Events\"]. Here is the given"
                + " topic path: "
                + path
                + ". Please provide the corresponding sub-paths.")
        .history(retry.feedbackKey())
        .temperature(0.7)
        .maxTokens(300)
        .output(output)
        .build();
  }

  /** The expansion graph. */
  static Graph graph(ModelClient model) {
    return Graph.builder()
        .name("condor-tree")
        .inputs("domain")
        .node("start", Nodes.lambda(TOPICS_RETRY::reset))
        .node("topics", subpaths(model, "{domain}", "topics_reply", TOPICS_RETRY))
        .node("parse_topics", Nodes.step(s -> parse(s, "topics_reply", "topic_list", TOPICS_RETRY)))
        .node("split", Nodes.expand("topic_list", "topic"))
        .node("reset", Nodes.lambda(s -> TAGS_RETRY.reset(s.without(TOPICS_RETRY.feedbackKey()))))
        .node("tags", subpaths(model, "{domain}-{topic}", "tags_reply", TAGS_RETRY))
        .node("parse_tags", Nodes.step(s -> parse(s, "tags_reply", "tags", TAGS_RETRY)))
        .edge(Graph.START, "start")
        .edge("start", "topics")
        .edge("topics", "parse_topics")
        .conditionalEdge(
            "parse_topics",
            s -> TOPICS_RETRY.retrying(s) ? "topics" : "split",
            Set.of("topics", "split"))
        .edge("split", "reset")
        .edge("reset", "tags")
        .edge("tags", "parse_tags")
        .conditionalEdge(
            "parse_tags",
            s -> TAGS_RETRY.retrying(s) ? "tags" : Graph.END,
            Set.of("tags", Graph.END))
        .build();
  }

  private static NodeResult parse(State s, String replyKey, String outKey, ParseRetry retry) {
    String reply = s.getString(replyKey);
    try {
      return NodeResult.of(retry.succeeded(s).with(outKey, KnowledgeTree.parseList(reply)));
    } catch (IllegalArgumentException e) {
      return retry.retryOrDrop(
          s, reply, e.getMessage(), LIST_FORMAT, replyKey + " unusable after 3 attempts");
    }
  }

  /** Expands the domains in {@code seeds} into a tree, writing {@code knowledge-tree.json}. */
  @SuppressWarnings("unchecked")
  static KnowledgeTree expand(
      SampleContext ctx, ModelClient model, Path seeds, PhaseReports phases) {
    List<Map<String, Object>> domains = new ArrayList<>();
    try {
      for (String line : Files.readAllLines(seeds, StandardCharsets.UTF_8)) {
        String d = line.strip();
        if (!d.isEmpty() && !d.startsWith("#")) {
          domains.add(Map.of("domain", d));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + seeds, e);
    }
    Path dir = ctx.outDir().resolve("tree");
    RunReport r =
        ctx.run(
            Pipeline.builder()
                .graph(graph(model))
                .source(Sources.of(domains))
                .runDirectory(dir)
                .outputMapper(OutputMapper.builder().pick("domain", "topic", "tags").build())
                .options(ctx.runOptions())
                .build());
    phases.add("tree", "tree", r);
    Map<String, Map<String, List<String>>> tree = new LinkedHashMap<>();
    for (Map<String, Object> rec : SampleFiles.readJsonl(dir.resolve("output.jsonl"))) {
      tree.computeIfAbsent((String) rec.get("domain"), k -> new LinkedHashMap<>())
          .put((String) rec.get("topic"), (List<String>) rec.get("tags"));
    }
    SampleFiles.writeJson(ctx.outDir().resolve("knowledge-tree.json"), tree);
    return KnowledgeTree.of(tree);
  }
}
