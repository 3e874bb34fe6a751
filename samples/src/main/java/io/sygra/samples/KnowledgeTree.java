package io.sygra.samples;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import io.sygra.core.ConfigurationException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Condor's World Knowledge Tree: domain → topic → leaf tags, as in Condor's published tag JSON
 * ({@code {"Domain": {"Topic": ["Tag", ...], ...}, ...}}). Immutable.
 */
public final class KnowledgeTree {

  /** A leaf tag with its path. */
  public record Leaf(String domain, String topic, String tag) {
    public Leaf {
      Objects.requireNonNull(domain, "domain");
      Objects.requireNonNull(topic, "topic");
      Objects.requireNonNull(tag, "tag");
    }
  }

  private final Map<String, Map<String, List<String>>> tree;

  private KnowledgeTree(Map<String, Map<String, List<String>>> tree) {
    this.tree = tree;
  }

  /** A tree from nested maps (copied). */
  public static KnowledgeTree of(Map<String, Map<String, List<String>>> tree) {
    Map<String, Map<String, List<String>>> copy = new LinkedHashMap<>();
    tree.forEach(
        (d, topics) -> {
          Map<String, List<String>> t = new LinkedHashMap<>();
          topics.forEach((k, v) -> t.put(k, List.copyOf(v)));
          copy.put(d, t);
        });
    return new KnowledgeTree(copy);
  }

  /**
   * Reads a tree file.
   *
   * @throws ConfigurationException naming the file and JSON path of a malformed entry
   */
  public static KnowledgeTree read(Path file) {
    JsonNode root = SampleFiles.readJson(file, new TypeReference<JsonNode>() {});
    if (root == null || !root.isObject()) {
      throw new ConfigurationException("input", file + ": a knowledge tree must be a JSON object");
    }
    Map<String, Map<String, List<String>>> tree = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> d = root.fields(); d.hasNext(); ) {
      Map.Entry<String, JsonNode> domain = d.next();
      if (!domain.getValue().isObject()) {
        throw new ConfigurationException(
            "input", file + ": $." + domain.getKey() + " must be an object of topics");
      }
      Map<String, List<String>> topics = new LinkedHashMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> t = domain.getValue().fields(); t.hasNext(); ) {
        Map.Entry<String, JsonNode> topic = t.next();
        if (!topic.getValue().isArray()) {
          throw new ConfigurationException(
              "input",
              file + ": $." + domain.getKey() + "." + topic.getKey() + " must be a list of tags");
        }
        List<String> tags = new ArrayList<>();
        topic.getValue().forEach(n -> tags.add(n.asText()));
        topics.put(topic.getKey(), tags);
      }
      tree.put(domain.getKey(), topics);
    }
    return new KnowledgeTree(tree);
  }

  /** Every leaf, in file order. */
  public List<Leaf> leaves() {
    List<Leaf> out = new ArrayList<>();
    tree.forEach(
        (d, topics) -> topics.forEach((t, tags) -> tags.forEach(g -> out.add(new Leaf(d, t, g)))));
    return out;
  }

  /** Number of domains. */
  public int domains() {
    return tree.size();
  }

  /** The tree as nested maps. */
  public Map<String, Map<String, List<String>>> toMap() {
    return tree;
  }

  /**
   * Parses a list of strings from a model reply that should be a Python or JSON list ({@code ["a",
   * 'b']}), ignoring prose and code fences around it.
   *
   * @throws IllegalArgumentException when no non-empty list of strings is found
   */
  public static List<String> parseList(String reply) {
    if (reply == null) {
      throw new IllegalArgumentException("the reply is empty");
    }
    int open = reply.indexOf('[');
    int close = reply.lastIndexOf(']');
    if (open < 0 || close < open) {
      throw new IllegalArgumentException("no [...] list in the reply");
    }
    String body = reply.substring(open + 1, close);
    List<String> out = new ArrayList<>();
    int i = 0;
    while (i < body.length()) {
      char c = body.charAt(i);
      if (c == '"' || c == '\'') {
        StringBuilder sb = new StringBuilder();
        int j = i + 1;
        while (j < body.length() && body.charAt(j) != c) {
          if (body.charAt(j) == '\\' && j + 1 < body.length()) {
            j++;
          }
          sb.append(body.charAt(j));
          j++;
        }
        if (j >= body.length()) {
          throw new IllegalArgumentException("unterminated string in the list");
        }
        if (!sb.toString().isBlank()) {
          out.add(sb.toString().strip());
        }
        i = j + 1;
      } else {
        i++;
      }
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException("the list has no strings");
    }
    return out;
  }
}
