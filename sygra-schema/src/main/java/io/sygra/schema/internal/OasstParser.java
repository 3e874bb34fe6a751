package io.sygra.schema.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.sygra.schema.OasstMessage;
import io.sygra.schema.Role;
import io.sygra.schema.SchemaException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Streaming parser for one OASST record: a tree export ({@code prompt}), a thread ({@code
 * thread_id}, {@code thread}), a bare message node with nested {@code replies}, or a flat row.
 * Reads fields straight from the token stream (no intermediate tree), skips unknown keys, treats
 * absent keys like null, and accepts {@code emojis}/{@code labels} both as maps and as Hugging Face
 * parallel arrays.
 */
public final class OasstParser {
  private OasstParser() {}

  /** What a record was. */
  public enum Kind {
    /** {@code {message_tree_id, tree_state?, prompt}}. */
    TREE,
    /** {@code {thread_id, thread: [...]}}. */
    THREAD,
    /** A message node with nested {@code replies}. */
    NODE,
    /** A flat row (no {@code replies}). */
    FLAT
  }

  /**
   * A parsed record.
   *
   * @param kind the variant
   * @param treeId the wrapper's {@code message_tree_id}, or the first message's; may be null
   * @param messages the messages in pre-order
   * @param rawText for a flat row read by the fast path, the raw JSON bytes of its text; else null
   */
  public record Parsed(Kind kind, String treeId, List<OasstMessage> messages, byte[] rawText) {
    /** A record without raw text. */
    public Parsed(Kind kind, String treeId, List<OasstMessage> messages) {
      this(kind, treeId, messages, null);
    }
  }

  private static final class Node {
    String messageId;
    String parentId;
    String userId;
    String createdDate;
    String text;
    String role;
    String lang;
    String modelName;
    String treeId;
    Integer reviewCount;
    Integer rank;
    Boolean reviewResult;
    Boolean deleted;
    Boolean synthetic;
    Map<String, Integer> emojis;
    Map<String, OasstMessage.Label> labels;
    Map<String, Double> detoxify;
    boolean hasReplies;
    boolean hasPrompt;
    boolean hasThread;
    boolean hasThreadId;
    List<Integer> childSlots;
  }

  /**
   * Parses the record on whose first token ({@code START_OBJECT}) the parser is positioned.
   *
   * @throws SchemaException with the JSON path of a malformed field
   * @throws IOException on malformed JSON
   */
  public static Parsed parse(JsonParser p) throws IOException {
    return parse(p, true);
  }

  /**
   * As {@link #parse(JsonParser)}; with {@code full == false} the fields that neither the tree
   * rules, the filters nor the metadata use ({@code user_id}, {@code review_count}, {@code
   * model_name}, {@code emojis}, {@code detoxify}) are skipped without being decoded.
   */
  public static Parsed parse(JsonParser p, boolean full) throws IOException {
    JsonToken t = p.currentToken();
    if (t != JsonToken.START_OBJECT) {
      throw new SchemaException("$", "expected an object, found " + token(t));
    }
    List<OasstMessage> out = new ArrayList<>();
    Node top = object(p, "$", out, full);
    Kind kind;
    String treeId;
    if (top.hasPrompt) {
      kind = Kind.TREE;
      treeId = top.treeId;
    } else if (top.hasThread || top.hasThreadId) {
      if (!top.hasThread) {
        throw new SchemaException("$.thread", "missing");
      }
      kind = Kind.THREAD;
      treeId = top.treeId;
    } else if (top.messageId != null || top.text != null || top.role != null) {
      kind = top.hasReplies ? Kind.NODE : Kind.FLAT;
      treeId = null;
    } else {
      throw new SchemaException(
          "$", "not an OASST record: expected prompt, thread_id or message_id");
    }
    List<OasstMessage> messages = new ArrayList<>(out.size());
    for (OasstMessage m : out) {
      if (m != null) {
        messages.add(treeId != null && m.treeId() == null ? m.withTreeId(treeId) : m);
      }
    }
    if (messages.isEmpty()) {
      throw new SchemaException("$", "no messages");
    }
    if (treeId == null) {
      treeId = messages.get(0).treeId();
    }
    return new Parsed(kind, treeId, messages);
  }

  /** Parses an object; appends it (when it is a message) and its nested messages to {@code out}. */
  private static Node object(JsonParser p, String path, List<OasstMessage> out, boolean full)
      throws IOException {
    int slot = out.size();
    out.add(null);
    Node n = new Node();
    JsonToken t;
    while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
      String f = p.currentName();
      p.nextToken();
      switch (f) {
        case "message_id" -> n.messageId = string(p, path, f);
        case "parent_id" -> n.parentId = string(p, path, f);
        case "user_id" -> n.userId = full ? string(p, path, f) : null;
        case "created_date" -> n.createdDate = string(p, path, f);
        case "text" -> n.text = string(p, path, f);
        case "role" -> n.role = string(p, path, f);
        case "lang" -> n.lang = string(p, path, f);
        case "model_name" -> n.modelName = full ? string(p, path, f) : null;
        case "message_tree_id" -> n.treeId = string(p, path, f);
        case "review_count" -> n.reviewCount = full ? integer(p, path, f) : null;
        case "rank" -> n.rank = integer(p, path, f);
        case "review_result" -> n.reviewResult = bool(p, path, f);
        case "deleted" -> n.deleted = bool(p, path, f);
        case "synthetic" -> n.synthetic = bool(p, path, f);
        case "emojis" -> {
          if (full) {
            n.emojis = emojis(p, path + ".emojis");
          } else {
            p.skipChildren();
          }
        }
        case "labels" -> n.labels = labels(p, path + ".labels");
        case "detoxify" -> {
          if (full) {
            n.detoxify = detoxify(p, path + ".detoxify");
          } else {
            p.skipChildren();
          }
        }
        case "thread_id" -> {
          n.hasThreadId = true;
          string(p, path, f);
        }
        case "replies" -> {
          if (p.currentToken() == JsonToken.VALUE_NULL) {
            break;
          }
          expect(p, JsonToken.START_ARRAY, path + ".replies", "an array");
          n.hasReplies = true;
          n.childSlots = new ArrayList<>();
          int i = 0;
          while (p.nextToken() != JsonToken.END_ARRAY) {
            String cp = path + ".replies[" + i++ + "]";
            expect(p, JsonToken.START_OBJECT, cp, "an object");
            n.childSlots.add(out.size());
            object(p, cp, out, full);
          }
        }
        case "prompt" -> {
          if (p.currentToken() == JsonToken.VALUE_NULL) {
            break;
          }
          expect(p, JsonToken.START_OBJECT, path + ".prompt", "an object");
          n.hasPrompt = true;
          Node root = object(p, path + ".prompt", out, full);
          if (root.messageId == null) {
            throw new SchemaException(path + ".prompt.message_id", "missing");
          }
        }
        case "thread" -> {
          if (p.currentToken() == JsonToken.VALUE_NULL) {
            break;
          }
          expect(p, JsonToken.START_ARRAY, path + ".thread", "an array");
          n.hasThread = true;
          int i = 0;
          while (p.nextToken() != JsonToken.END_ARRAY) {
            String cp = path + ".thread[" + i++ + "]";
            expect(p, JsonToken.START_OBJECT, cp, "an object");
            object(p, cp, out, full);
          }
        }
        default -> p.skipChildren();
      }
    }
    if (t != JsonToken.END_OBJECT) {
      throw new SchemaException(path, "unexpected " + token(t));
    }
    if (n.hasPrompt || n.hasThread || n.hasThreadId) {
      return n; // a wrapper, not a message: its slot stays empty
    }
    if (n.messageId == null) {
      throw new SchemaException(path + ".message_id", "missing");
    }
    if (n.text == null) {
      throw new SchemaException(path + ".text", "missing");
    }
    if (n.role == null) {
      throw new SchemaException(path + ".role", "missing");
    }
    Role role =
        switch (n.role) {
          case "prompter" -> Role.USER;
          case "assistant" -> Role.ASSISTANT;
          default ->
              throw new SchemaException(
                  path + ".role", "unknown role '" + n.role + "' (expected prompter or assistant)");
        };
    out.set(
        slot,
        new OasstMessage(
            n.messageId,
            n.parentId,
            n.treeId,
            role,
            n.text,
            n.lang,
            n.createdDate,
            n.userId,
            n.reviewCount,
            n.reviewResult,
            n.deleted,
            n.rank,
            n.synthetic,
            n.modelName,
            n.emojis,
            n.labels,
            n.detoxify));
    if (n.childSlots != null) {
      for (int i = 0; i < n.childSlots.size(); i++) {
        int s = n.childSlots.get(i);
        OasstMessage c = out.get(s);
        if (c.parentId() == null) {
          out.set(s, c.withParentId(n.messageId));
        } else if (!c.parentId().equals(n.messageId)) {
          throw new SchemaException(
              path + ".replies[" + i + "].parent_id",
              "'" + c.parentId() + "' differs from the enclosing message '" + n.messageId + "'");
        }
      }
    }
    return n;
  }

  private static String string(JsonParser p, String path, String field) throws IOException {
    JsonToken t = p.currentToken();
    if (t == JsonToken.VALUE_STRING) {
      return p.getText();
    }
    if (t == JsonToken.VALUE_NULL) {
      return null;
    }
    throw new SchemaException(path + "." + field, "expected a string, found " + token(t));
  }

  private static Integer integer(JsonParser p, String path, String field) throws IOException {
    JsonToken t = p.currentToken();
    if (t == JsonToken.VALUE_NUMBER_INT) {
      return p.getIntValue();
    }
    if (t == JsonToken.VALUE_NULL) {
      return null;
    }
    throw new SchemaException(path + "." + field, "expected an integer, found " + token(t));
  }

  private static Boolean bool(JsonParser p, String path, String field) throws IOException {
    JsonToken t = p.currentToken();
    if (t == JsonToken.VALUE_TRUE) {
      return Boolean.TRUE;
    }
    if (t == JsonToken.VALUE_FALSE) {
      return Boolean.FALSE;
    }
    if (t == JsonToken.VALUE_NULL) {
      return null;
    }
    throw new SchemaException(path + "." + field, "expected a boolean, found " + token(t));
  }

  private static Double number(JsonParser p, String path) throws IOException {
    JsonToken t = p.currentToken();
    if (t == JsonToken.VALUE_NUMBER_FLOAT) {
      double d = fastDouble(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
      return Double.isNaN(d) ? p.getDoubleValue() : d;
    }
    if (t == JsonToken.VALUE_NUMBER_INT) {
      return p.getDoubleValue();
    }
    if (t == JsonToken.VALUE_NULL) {
      return null;
    }
    throw new SchemaException(path, "expected a number, found " + token(t));
  }

  private static void expect(JsonParser p, JsonToken t, String path, String what) {
    if (p.currentToken() != t) {
      throw new SchemaException(path, "expected " + what + ", found " + token(p.currentToken()));
    }
  }

  /** {@code {"+1": 7}} or {@code {"name": [...], "count": [...]}}. */
  private static Map<String, Integer> emojis(JsonParser p, String path) throws IOException {
    if (p.currentToken() == JsonToken.VALUE_NULL) {
      return null;
    }
    expect(p, JsonToken.START_OBJECT, path, "an object");
    ArrayMap.Builder<Integer> map = new ArrayMap.Builder<>(6);
    List<String> names = null;
    List<Integer> counts = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String f = p.currentName();
      JsonToken t = p.nextToken();
      if (t == JsonToken.START_ARRAY && f.equals("name")) {
        names = strings(p, path + ".name");
      } else if (t == JsonToken.START_ARRAY && f.equals("count")) {
        counts = ints(p, path + ".count");
      } else if (t == JsonToken.VALUE_NUMBER_INT) {
        map.put(f, p.getIntValue());
      } else {
        throw new SchemaException(path + "." + f, "expected a count, found " + token(t));
      }
    }
    if (names != null || counts != null) {
      if (names == null || counts == null || names.size() != counts.size()) {
        throw new SchemaException(path, "name and count arrays differ in length");
      }
      for (int i = 0; i < names.size(); i++) {
        Integer c = counts.get(i);
        map.put(names.get(i), c == null ? 0 : c);
      }
    }
    return map.build();
  }

  /** {@code {"spam": {"value", "count"}}} or parallel {@code {name, value, count}} arrays. */
  private static Map<String, OasstMessage.Label> labels(JsonParser p, String path)
      throws IOException {
    if (p.currentToken() == JsonToken.VALUE_NULL) {
      return null;
    }
    expect(p, JsonToken.START_OBJECT, path, "an object");
    ArrayMap.Builder<OasstMessage.Label> map = new ArrayMap.Builder<>(14);
    List<String> names = null;
    List<Double> values = null;
    List<Integer> counts = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String f = p.currentName();
      JsonToken t = p.nextToken();
      if (t == JsonToken.START_ARRAY && f.equals("name")) {
        names = strings(p, path + ".name");
      } else if (t == JsonToken.START_ARRAY && f.equals("value")) {
        values = numbers(p, path + ".value");
      } else if (t == JsonToken.START_ARRAY && f.equals("count")) {
        counts = ints(p, path + ".count");
      } else if (t == JsonToken.START_OBJECT) {
        Double value = null;
        int count = 0;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String k = p.currentName();
          p.nextToken();
          if (k.equals("value")) {
            value = number(p, path + "." + f + ".value");
          } else if (k.equals("count")) {
            Double c = number(p, path + "." + f + ".count");
            count = c == null ? 0 : c.intValue();
          } else {
            p.skipChildren();
          }
        }
        map.put(f, new OasstMessage.Label(value, count));
      } else if (t == JsonToken.VALUE_NUMBER_FLOAT || t == JsonToken.VALUE_NUMBER_INT) {
        map.put(f, new OasstMessage.Label(p.getDoubleValue(), 0));
      } else {
        throw new SchemaException(path + "." + f, "expected a label, found " + token(t));
      }
    }
    if (names != null || values != null || counts != null) {
      if (names == null
          || values == null
          || names.size() != values.size()
          || (counts != null && counts.size() != names.size())) {
        throw new SchemaException(path, "name, value and count arrays differ in length");
      }
      // Parallel arrays list each name once; later map-form entries cannot coexist with them.
      for (int i = 0; i < names.size(); i++) {
        Integer c = counts == null ? null : counts.get(i);
        map.add(names.get(i), new OasstMessage.Label(values.get(i), c == null ? 0 : c));
      }
    }
    return map.build();
  }

  private static Map<String, Double> detoxify(JsonParser p, String path) throws IOException {
    if (p.currentToken() == JsonToken.VALUE_NULL) {
      return null;
    }
    expect(p, JsonToken.START_OBJECT, path, "an object");
    ArrayMap.Builder<Double> map = new ArrayMap.Builder<>(8);
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String f = p.currentName();
      p.nextToken();
      map.put(f, number(p, path + "." + f));
    }
    return map.build();
  }

  /**
   * Parses plain decimals such as {@code 0.5833333333333334} exactly (Clinger's fast path: an
   * integer mantissa below 2^53 scaled by a power of ten up to 10^22 rounds correctly). Labels
   * carry a dozen such values per row. Returns NaN when the text needs the general parser.
   */
  static double fastDouble(char[] c, int off, int len) {
    // Number tokens are short; narrow them to bytes and share the byte parser's fast path.
    byte[] ascii = new byte[len];
    for (int i = 0; i < len; i++) {
      char ch = c[off + i];
      if (ch > 0x7F) {
        return Double.NaN;
      }
      ascii[i] = (byte) ch;
    }
    return FlatRowParser.fastDouble(ascii, 0, len);
  }

  private static List<Integer> ints(JsonParser p, String path) throws IOException {
    List<Integer> out = new ArrayList<>(16);
    int i = 0;
    while (p.nextToken() != JsonToken.END_ARRAY) {
      JsonToken t = p.currentToken();
      if (t == JsonToken.VALUE_NUMBER_INT) {
        out.add(p.getIntValue());
      } else if (t == JsonToken.VALUE_NUMBER_FLOAT) {
        out.add((int) p.getDoubleValue());
      } else if (t == JsonToken.VALUE_NULL) {
        out.add(null);
      } else {
        throw new SchemaException(path + "[" + i + "]", "expected a count, found " + token(t));
      }
      i++;
    }
    return out;
  }

  private static List<String> strings(JsonParser p, String path) throws IOException {
    List<String> out = new ArrayList<>(16);
    int i = 0;
    while (p.nextToken() != JsonToken.END_ARRAY) {
      if (p.currentToken() != JsonToken.VALUE_STRING) {
        throw new SchemaException(
            path + "[" + i + "]", "expected a string, found " + token(p.currentToken()));
      }
      out.add(p.getText());
      i++;
    }
    return out;
  }

  private static List<Double> numbers(JsonParser p, String path) throws IOException {
    List<Double> out = new ArrayList<>(16);
    int i = 0;
    while (p.nextToken() != JsonToken.END_ARRAY) {
      out.add(number(p, path + "[" + i++ + "]"));
    }
    return out;
  }

  private static String token(JsonToken t) {
    if (t == null) {
      return "the end of the input";
    }
    return switch (t) {
      case VALUE_STRING -> "a string";
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
      case VALUE_TRUE, VALUE_FALSE -> "a boolean";
      case VALUE_NULL -> "null";
      case START_ARRAY -> "an array";
      case START_OBJECT -> "an object";
      default -> t.toString();
    };
  }
}
