package io.sygra.samples;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The pieces of AugCon's Context-Split-Tree (CST): parsing the model's "question + two
 * sub-contexts" reply, and the guards that decide which sub-contexts are split further.
 *
 * <p>A tree node is a context. The model derives one question about the whole context and splits it
 * into {@code Context 1} and {@code Context 2}; each sub-context becomes a child node and is split
 * again, until a guard stops it:
 *
 * <ul>
 *   <li>both children must be strictly shorter than their parent (otherwise the split made no
 *       progress and neither child is expanded, so the recursion always terminates);
 *   <li>a child must be longer than {@link Limits#minLength()} characters;
 *   <li>a child's depth must not exceed {@link Limits#maxDepth()};
 *   <li>a question shorter than 5 characters yields neither a question nor children.
 * </ul>
 *
 * <p>Node ids are paths: the root is {@code 0}, its children {@code 0.1} and {@code 0.2}, and so
 * on; a second pass over the same root is {@code p2:0}. Stateless and thread-safe.
 */
public final class ContextSplitTree {
  private ContextSplitTree() {}

  /** Shortest question accepted, as in the AugCon reference implementation. */
  public static final int MIN_QUESTION_LENGTH = 5;

  /**
   * Guards of the recursion.
   *
   * @param minLength a context of at most this many characters is not split (AugCon: 20)
   * @param maxDepth deepest node split (the root has depth 0)
   * @param maxParseAttempts replies tried per node before the node is given up
   */
  public record Limits(int minLength, int maxDepth, int maxParseAttempts) {
    public Limits {
      if (minLength < 1) {
        throw new IllegalArgumentException("minLength must be >= 1, was " + minLength);
      }
      if (maxDepth < 0) {
        throw new IllegalArgumentException("maxDepth must be >= 0, was " + maxDepth);
      }
      if (maxParseAttempts < 1) {
        throw new IllegalArgumentException(
            "maxParseAttempts must be >= 1, was " + maxParseAttempts);
      }
    }

    /** AugCon's defaults: minimum length 20, depth 4, 3 attempts. */
    public static Limits defaults() {
      return new Limits(20, 4, 3);
    }
  }

  /** A tree node waiting to be split. */
  public record Node(String id, String context, int depth, String parent) {
    public Node {
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(context, "context");
    }

    /** As a JSON-compatible map (graph state holds these). */
    public Map<String, Object> toMap() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("id", id);
      m.put("context", context);
      m.put("depth", depth);
      m.put("parent", parent);
      return m;
    }
  }

  /** A parsed reply: the question about the whole context and its two sub-contexts. */
  public record Split(String question, String context1, String context2) {}

  /** What splitting one node produced: its question (if accepted) and the children to expand. */
  public record Outcome(String question, List<Node> children, String stopReason) {}

  /** A reply that does not have the expected shape. */
  public static final class ParseException extends RuntimeException {
    ParseException(String message) {
      super(message);
    }
  }

  private static final Pattern CONTEXT_1 =
      Pattern.compile("(?im)^[\\s*#_]*context\\s*1[\\s*_]*[:：]");
  private static final Pattern CONTEXT_2 =
      Pattern.compile("(?im)^[\\s*#_]*context\\s*2[\\s*_]*[:：]");
  private static final Pattern QUESTION_LABEL =
      Pattern.compile("(?im)^[\\s*#_]*question[\\s*_]*[:：]");
  private static final Pattern DECORATION = Pattern.compile("^[\\s*_]+|[\\s*_]+$");

  /** The reply format, shown to the model again when a reply cannot be parsed. */
  public static final String FORMAT =
      "Question: Regarding the entire context\n\nContext 1: Sub-context 1\n\nContext 2: Sub-context 2";

  /**
   * Parses a reply. The prompt ends with {@code Question: }, so the reply may start with the
   * question directly or repeat the label (and even echo the context first).
   *
   * @throws ParseException naming what is missing
   */
  public static Split parse(String reply) {
    if (reply == null || reply.isBlank()) {
      throw new ParseException("the reply is empty");
    }
    Matcher c1 = CONTEXT_1.matcher(reply);
    if (!c1.find()) {
      throw new ParseException("no 'Context 1:' line");
    }
    Matcher c2 = CONTEXT_2.matcher(reply);
    if (!c2.find(c1.end())) {
      throw new ParseException("no 'Context 2:' line after 'Context 1:'");
    }
    String head = reply.substring(0, c1.start());
    Matcher q = QUESTION_LABEL.matcher(head);
    int qStart = 0;
    while (q.find()) {
      qStart = q.end();
    }
    String question = clean(head.substring(qStart));
    String context1 = clean(reply.substring(c1.end(), c2.start()));
    String context2 = clean(reply.substring(c2.end()));
    int sep = context2.indexOf("\n---");
    if (sep >= 0) {
      context2 = clean(context2.substring(0, sep));
    }
    if (question.isEmpty()) {
      throw new ParseException("the question before 'Context 1:' is empty");
    }
    if (context1.isEmpty() || context2.isEmpty()) {
      throw new ParseException("a sub-context is empty");
    }
    return new Split(question, context1, context2);
  }

  private static String clean(String s) {
    return DECORATION.matcher(s.strip()).replaceAll("").strip();
  }

  /** The root node of a context, for pass {@code pass} (1-based). */
  public static Node root(String context, int pass) {
    return new Node(pass == 1 ? "0" : "p" + pass + ":0", context, 0, null);
  }

  /** Applies the guards to a parsed split of {@code node}. */
  public static Outcome expand(Node node, Split split, Limits limits) {
    if (split.question().length() < MIN_QUESTION_LENGTH) {
      return new Outcome(null, List.of(), "question shorter than " + MIN_QUESTION_LENGTH);
    }
    int len = node.context().length();
    if (split.context1().length() >= len || split.context2().length() >= len) {
      return new Outcome(split.question(), List.of(), "sub-context not shorter than its parent");
    }
    if (node.depth() + 1 > limits.maxDepth()) {
      return new Outcome(split.question(), List.of(), "depth cap");
    }
    List<Node> children = new ArrayList<>(2);
    String[] parts = {split.context1(), split.context2()};
    for (int i = 0; i < 2; i++) {
      if (parts[i].length() > limits.minLength()) {
        children.add(new Node(node.id() + "." + (i + 1), parts[i], node.depth() + 1, node.id()));
      }
    }
    return new Outcome(split.question(), children, children.size() == 2 ? null : "minimum length");
  }

  /** True when {@code node} is long enough to be split at all. */
  public static boolean splittable(Node node, Limits limits) {
    return node.context().length() > limits.minLength();
  }

  /** Reads a node back from graph state. */
  public static Node nodeOf(Object value) {
    if (!(value instanceof Map<?, ?> m)) {
      throw new IllegalArgumentException("a CST node must be an object, was " + value);
    }
    Object depth = m.get("depth");
    return new Node(
        String.valueOf(m.get("id")),
        String.valueOf(m.get("context")),
        depth instanceof Number n ? n.intValue() : Integer.parseInt(String.valueOf(depth)),
        m.get("parent") == null ? null : String.valueOf(m.get("parent")));
  }

  /** AugCon's per-chunk quota: one question per 35 characters, rounded down. */
  public static int quota(String chunk) {
    return chunk.length() / 35;
  }
}
