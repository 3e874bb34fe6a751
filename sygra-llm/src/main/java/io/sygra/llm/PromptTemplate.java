package io.sygra.llm;

import io.sygra.core.ConfigurationException;
import io.sygra.core.State;
import io.sygra.llm.internal.NodeJson;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A prompt text with {@code {variable}} placeholders filled from a record's {@link State}.
 *
 * <ul>
 *   <li>{@code {name}} inserts the state value {@code name}; {@code {doc.title}} and {@code
 *       {items[0].text}} walk into objects and lists.
 *   <li><code>&#123;&#123;</code> and <code>&#125;&#125;</code> are literal braces, so a JSON
 *       example is written <code>&#123;&#123;"score": 1&#125;&#125;</code>. Any other brace is a
 *       parse error, reported when the template is parsed (before any record runs), with its
 *       position.
 *   <li>Strings are inserted as they are; numbers, booleans, lists and objects as compact JSON.
 *   <li>Values are substituted once and never evaluated or re-scanned: a value containing {@code
 *       {api_key}} or {@code ${env:HOME}} is written literally.
 *   <li>A variable that is missing or {@code null}, or a path that does not exist, fails rendering
 *       with a {@link TemplateException} naming the node, record and variable.
 * </ul>
 *
 * <p>The text is split into literal and placeholder segments once, at parse time, so rendering is a
 * single pass that appends segments. Instances are immutable and thread-safe.
 */
public final class PromptTemplate {
  private final String source;
  private final Object[] segments; // String literal or Placeholder
  private final Set<String> variables;
  private final List<String> placeholders;
  private final int literalLength;

  private PromptTemplate(String source, List<Object> segments) {
    this.source = source;
    this.segments = segments.toArray();
    Set<String> vars = new LinkedHashSet<>();
    Set<String> paths = new LinkedHashSet<>();
    int literal = 0;
    for (Object s : segments) {
      if (s instanceof Placeholder p) {
        vars.add(p.root);
        paths.add(p.text);
      } else {
        literal += ((String) s).length();
      }
    }
    this.variables = Collections.unmodifiableSet(vars);
    this.placeholders = List.copyOf(paths);
    this.literalLength = literal;
  }

  /**
   * Parses a template.
   *
   * @throws ConfigurationException (field {@code template}) for an unescaped brace or a malformed
   *     placeholder, naming its position
   */
  public static PromptTemplate parse(String source) {
    Objects.requireNonNull(source, "template");
    List<Object> segments = new ArrayList<>();
    StringBuilder literal = new StringBuilder();
    int n = source.length();
    int i = 0;
    while (i < n) {
      char c = source.charAt(i);
      if (c == '{') {
        if (i + 1 < n && source.charAt(i + 1) == '{') {
          literal.append('{');
          i += 2;
          continue;
        }
        int close = source.indexOf('}', i + 1);
        if (close < 0) {
          throw braceError(source, i, "unclosed '{'");
        }
        String inner = source.substring(i + 1, close);
        Placeholder p = Placeholder.parse(inner.strip());
        if (p == null) {
          throw braceError(source, i, "'{" + shorten(inner) + "}' is not a variable name or path");
        }
        if (literal.length() > 0) {
          segments.add(literal.toString());
          literal.setLength(0);
        }
        segments.add(p);
        i = close + 1;
      } else if (c == '}') {
        if (i + 1 < n && source.charAt(i + 1) == '}') {
          literal.append('}');
          i += 2;
          continue;
        }
        throw braceError(source, i, "unmatched '}'");
      } else {
        literal.append(c);
        i++;
      }
    }
    if (literal.length() > 0) {
      segments.add(literal.toString());
    }
    return new PromptTemplate(source, segments);
  }

  /** The template text as given to {@link #parse(String)}. */
  public String source() {
    return source;
  }

  /**
   * The top-level state keys the template reads, in order of first use ({@code {doc.title}}
   * contributes {@code doc}).
   */
  public Set<String> variables() {
    return variables;
  }

  /** Every distinct placeholder as written, e.g. {@code question}, {@code doc.title}. */
  public List<String> placeholders() {
    return placeholders;
  }

  /**
   * Renders the template against a record's state.
   *
   * @param node the node name for error messages (may be null)
   * @throws TemplateException naming the node, the record and the variable when a value is missing,
   *     null, or a path does not exist
   */
  public String render(State state, String node) {
    Objects.requireNonNull(state, "state");
    return render(state.values(), node, state.id());
  }

  /**
   * Renders the template against plain values (outside a graph).
   *
   * @throws TemplateException naming the variable when a value is missing, null, or a path does not
   *     exist
   */
  public String render(Map<String, ?> values) {
    return render(values, null, null);
  }

  private String render(Map<String, ?> values, String node, String recordId) {
    StringBuilder sb = new StringBuilder(literalLength + 32 * (segments.length / 2 + 1));
    for (Object s : segments) {
      if (s instanceof String lit) {
        sb.append(lit);
      } else {
        Placeholder p = (Placeholder) s;
        Object v = p.resolve(values, node, recordId);
        if (v instanceof String str) {
          sb.append(str);
        } else {
          sb.append(NodeJson.write(v));
        }
      }
    }
    return sb.toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PromptTemplate t && t.source.equals(source);
  }

  @Override
  public int hashCode() {
    return source.hashCode();
  }

  @Override
  public String toString() {
    return "PromptTemplate[" + shorten(source) + "]";
  }

  private static ConfigurationException braceError(String source, int pos, String what) {
    int from = Math.max(0, pos - 20);
    int to = Math.min(source.length(), pos + 20);
    String near =
        (from > 0 ? "..." : "")
            + source.substring(from, to).replace("\n", "\\n")
            + (to < source.length() ? "..." : "");
    return new ConfigurationException(
        "template",
        what
            + " at position "
            + pos
            + " near \""
            + near
            + "\"; write {{ and }} for literal braces, or {name} for a state variable");
  }

  private static String shorten(String s) {
    String t = s.replace("\n", "\\n");
    return t.length() <= 40 ? t : t.substring(0, 37) + "...";
  }

  /** A parsed {@code {root.path[0]}} placeholder. */
  private static final class Placeholder {
    final String text;
    final String root;
    final Object[] path; // String field names and Integer list indexes

    private Placeholder(String text, String root, Object[] path) {
      this.text = text;
      this.root = root;
      this.path = path;
    }

    /** Parses {@code ident(.ident|[digits])*}; null when malformed. */
    static Placeholder parse(String s) {
      int n = s.length();
      int i = identEnd(s, 0);
      if (i == 0) {
        return null;
      }
      String root = s.substring(0, i);
      List<Object> path = new ArrayList<>();
      while (i < n) {
        char c = s.charAt(i);
        if (c == '.') {
          int end = identEnd(s, i + 1);
          if (end == i + 1) {
            return null;
          }
          path.add(s.substring(i + 1, end));
          i = end;
        } else if (c == '[') {
          int j = i + 1;
          while (j < n && s.charAt(j) >= '0' && s.charAt(j) <= '9') {
            j++;
          }
          if (j == i + 1 || j >= n || s.charAt(j) != ']' || j - i - 1 > 9) {
            return null;
          }
          path.add(Integer.parseInt(s.substring(i + 1, j)));
          i = j + 1;
        } else {
          return null;
        }
      }
      return new Placeholder(s, root, path.toArray());
    }

    private static int identEnd(String s, int from) {
      int n = s.length();
      if (from >= n) {
        return from;
      }
      char c = s.charAt(from);
      if (!(Character.isLetter(c) || c == '_')) {
        return from;
      }
      int i = from + 1;
      while (i < n) {
        c = s.charAt(i);
        if (Character.isLetterOrDigit(c) || c == '_' || c == '-') {
          i++;
        } else {
          break;
        }
      }
      return i;
    }

    Object resolve(Map<String, ?> values, String node, String recordId) {
      if (!values.containsKey(root)) {
        throw new TemplateException(
            node,
            recordId,
            text,
            "is missing from the state (present keys: " + new ArrayList<>(values.keySet()) + ")");
      }
      Object v = values.get(root);
      if (v == null) {
        throw new TemplateException(node, recordId, text, "is null in the state");
      }
      StringBuilder at = new StringBuilder(root);
      for (Object step : path) {
        if (step instanceof String field) {
          if (!(v instanceof Map<?, ?> m)) {
            throw new TemplateException(
                node, recordId, text, "cannot read field '" + field + "' of " + kind(v) + " " + at);
          }
          if (!m.containsKey(field)) {
            throw new TemplateException(
                node,
                recordId,
                text,
                "has no field '"
                    + field
                    + "' in "
                    + at
                    + " (fields: "
                    + new ArrayList<>(m.keySet())
                    + ")");
          }
          v = m.get(field);
          at.append('.').append(field);
        } else {
          int index = (Integer) step;
          if (!(v instanceof List<?> l)) {
            throw new TemplateException(
                node,
                recordId,
                text,
                "cannot index " + kind(v) + " " + at + " with [" + index + "]");
          }
          if (index >= l.size()) {
            throw new TemplateException(
                node,
                recordId,
                text,
                "index " + index + " is out of range for " + at + " (size " + l.size() + ")");
          }
          v = l.get(index);
          at.append('[').append(index).append(']');
        }
        if (v == null) {
          throw new TemplateException(node, recordId, text, "is null at " + at);
        }
      }
      return v;
    }

    private static String kind(Object v) {
      if (v instanceof String) {
        return "string";
      }
      if (v instanceof Number) {
        return "number";
      }
      if (v instanceof Boolean) {
        return "boolean";
      }
      if (v instanceof List<?>) {
        return "array";
      }
      return v instanceof Map<?, ?> ? "object" : v.getClass().getSimpleName();
    }
  }
}
