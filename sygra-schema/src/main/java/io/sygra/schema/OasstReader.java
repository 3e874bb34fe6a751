package io.sygra.schema;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.exc.StreamReadException;
import io.sygra.core.internal.LongHashSet;
import io.sygra.schema.internal.FlatRowParser;
import io.sygra.schema.internal.JsonInput;
import io.sygra.schema.internal.OasstParser;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Reads OpenAssistant data and yields it tree by tree.
 *
 * <p>Each input record (JSONL line or JSON-array element) may be a tree export ({@code
 * message_tree_id} + {@code prompt}), a thread ({@code thread_id} + {@code thread}), a bare message
 * node with nested {@code replies}, or a Hugging Face flat row (trees rebuilt from {@code
 * parent_id}; {@code emojis}/{@code labels} as parallel arrays). Null fields may be present or
 * omitted; unknown keys are ignored; duplicate messages are merged by {@code message_id}. Records
 * that cannot be read go to the reject callback with their location and JSON path.
 *
 * <p>{@link Grouping#STREAMING} keeps one tree in memory: consecutive records of the same tree
 * (same {@code message_tree_id}, or linked by {@code parent_id} when rows have no tree id) form it,
 * so memory is bounded by the largest tree. When a tree's records turn out not to be contiguous,
 * {@link #next()} throws {@link NotContiguousException}; reopen with {@link Grouping#IN_MEMORY},
 * which reads the whole input first and groups messages by their root. (The converter does this on
 * its own and says so in its summary.) Not thread-safe.
 */
public final class OasstReader implements Iterator<OasstTree>, Closeable {
  /** How messages are grouped into trees. */
  public enum Grouping {
    /** One tree in memory at a time; requires each tree's records to be contiguous. */
    STREAMING,
    /** Reads everything, then groups; for inputs whose trees are interleaved. */
    IN_MEMORY
  }

  /** Which message fields are read. */
  public enum Detail {
    /** Every field of the export. */
    FULL,
    /**
     * Only what tree rules, filters and metadata use: ids, parent, tree id, role, text, lang,
     * created_date, review_result, deleted, rank, synthetic and labels. {@code user_id}, {@code
     * review_count}, {@code model_name}, {@code emojis} and {@code detoxify} are skipped undecoded
     * (null in the messages), which makes large conversions markedly faster.
     */
    CORE
  }

  /** The input's trees are not contiguous, so {@link Grouping#STREAMING} cannot group them. */
  public static final class NotContiguousException extends SchemaException {
    private static final long serialVersionUID = 1L;

    NotContiguousException(Location location, String reason) {
      super(location, "$", reason);
    }
  }

  private final JsonInput input;
  private final Grouping grouping;
  private final Consumer<ReadResult.Rejected> onReject;
  private final boolean full;
  private final FlatRowParser fast;
  private boolean keepRaw;
  private long read;

  // STREAMING
  private final LongHashSet closed = new LongHashSet(1024);
  private String groupKey;
  private Location groupStart;
  private List<OasstMessage> group = new ArrayList<>();
  private Map<String, byte[]> groupRaw = new IdentityHashMap<>();
  private OasstParser.Parsed carried;
  private Location carriedAt;
  private boolean eof;

  // IN_MEMORY
  private Iterator<OasstTree> memory;

  private OasstTree pending;

  private OasstReader(
      JsonInput input, Grouping grouping, Detail detail, Consumer<ReadResult.Rejected> onReject) {
    this.input = input;
    this.grouping = grouping;
    this.full = detail == Detail.FULL;
    this.onReject = onReject;
    // The byte-level fast path covers flat JSONL rows read for conversion.
    this.fast = !full && input.shape() == JsonInput.Shape.JSONL ? new FlatRowParser() : null;
  }

  /**
   * Keeps the raw JSON bytes of message texts read by the fast path with each streamed tree, so the
   * converter's writer can copy them instead of encoding the texts again.
   */
  void keepRawTexts(boolean keep) {
    this.keepRaw = keep && grouping == Grouping.STREAMING;
  }

  /**
   * Opens {@code path}, reading every field ({@link Detail#FULL}).
   *
   * @param onReject receives each record that cannot be read
   * @throws UncheckedIOException when the file cannot be opened
   */
  public static OasstReader open(
      Path path, Grouping grouping, Consumer<ReadResult.Rejected> onReject) {
    return open(path, grouping, Detail.FULL, onReject);
  }

  /**
   * Opens {@code path}.
   *
   * @param detail which message fields to read
   * @param onReject receives each record that cannot be read
   * @throws UncheckedIOException when the file cannot be opened
   */
  public static OasstReader open(
      Path path, Grouping grouping, Detail detail, Consumer<ReadResult.Rejected> onReject) {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(grouping, "grouping");
    Objects.requireNonNull(detail, "detail");
    Objects.requireNonNull(onReject, "onReject");
    String source = path.getFileName() == null ? path.toString() : path.getFileName().toString();
    return new OasstReader(JsonInput.open(path, source), grouping, detail, onReject);
  }

  /** The grouping in use. */
  public Grouping grouping() {
    return grouping;
  }

  /** Input records consumed so far (lines or array elements). */
  public long recordsRead() {
    return read;
  }

  /**
   * True when another tree follows.
   *
   * @throws NotContiguousException in {@link Grouping#STREAMING} when a tree's records are not
   *     contiguous
   * @throws SchemaException when the input cannot be parsed further (a broken JSON array)
   */
  @Override
  public boolean hasNext() {
    if (pending == null) {
      pending = grouping == Grouping.STREAMING ? nextStreaming() : nextInMemory();
    }
    return pending != null;
  }

  @Override
  public OasstTree next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    OasstTree t = pending;
    pending = null;
    return t;
  }

  /** Reads the next record; returns null at the end. Rejected records go to the callback. */
  private OasstParser.Parsed readRecord() {
    while (input.next()) {
      read++;
      Location loc = input.location();
      if (fast != null) {
        FlatRowParser.Result r =
            fast.parse(input.lineBuffer(), input.lineStart(), input.lineEnd(), keepRaw);
        if (r != null) {
          carriedAt = loc;
          return new OasstParser.Parsed(
              OasstParser.Kind.FLAT, r.message().treeId(), List.of(r.message()), r.rawText());
        }
      }
      try {
        JsonParser p = input.parser();
        OasstParser.Parsed parsed = OasstParser.parse(p, full);
        input.requireEndOfLine();
        carriedAt = loc;
        return parsed;
      } catch (SchemaException e) {
        onReject.accept(new ReadResult.Rejected(loc, e.relocate(loc, null), raw()));
      } catch (StreamReadException e) {
        onReject.accept(
            new ReadResult.Rejected(
                loc,
                new SchemaException(loc, "$", "malformed JSON: " + e.getOriginalMessage()),
                raw()));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return null;
  }

  private String raw() {
    return input.rawText();
  }

  private OasstTree nextStreaming() {
    while (true) {
      OasstParser.Parsed rec = carried != null ? carried : eof ? null : readRecord();
      Location at = carriedAt;
      carried = null;
      if (rec == null) {
        eof = true;
        return finishGroup();
      }
      String key = keyOf(rec);
      if (key == null) {
        OasstMessage m = rec.messages().get(0);
        throw new NotContiguousException(
            at,
            "message '"
                + m.messageId()
                + "' has no message_tree_id and its parent '"
                + m.parentId()
                + "' is not among the rows just before it");
      }
      if (groupKey != null && !groupKey.equals(key)) {
        carried = rec;
        carriedAt = at;
        return finishGroup();
      }
      if (groupKey == null) {
        if (closed.contains(LongHashSet.hash(key))) {
          throw new NotContiguousException(
              at, "tree '" + key + "' appears again after other trees");
        }
        groupKey = key;
        groupStart = at;
      }
      group.addAll(rec.messages());
      if (rec.rawText() != null) {
        groupRaw.put(rec.messages().get(0).text(), rec.rawText());
      }
    }
  }

  private String keyOf(OasstParser.Parsed rec) {
    if (rec.treeId() != null) {
      return rec.treeId();
    }
    OasstMessage first = rec.messages().get(0);
    if (first.parentId() == null) {
      return first.messageId();
    }
    // Rows without a tree id join the current tree when their parent is in it (rare path).
    for (OasstMessage m : group) {
      if (m.messageId().equals(first.parentId())) {
        return groupKey;
      }
    }
    return null;
  }

  private OasstTree finishGroup() {
    if (groupKey == null) {
      return null;
    }
    OasstTree tree = OasstTree.of(groupKey, groupStart, group, groupRaw);
    closed.add(LongHashSet.hash(groupKey));
    groupKey = null;
    group = new ArrayList<>();
    groupRaw = groupRaw.isEmpty() ? groupRaw : new IdentityHashMap<>();
    return tree;
  }

  private OasstTree nextInMemory() {
    if (memory == null) {
      memory = readAll().iterator();
    }
    return memory.hasNext() ? memory.next() : null;
  }

  private List<OasstTree> readAll() {
    LinkedHashMap<String, OasstMessage> all = new LinkedHashMap<>();
    Map<String, Location> firstSeen = new HashMap<>();
    OasstParser.Parsed rec;
    while ((rec = readRecord()) != null) {
      for (OasstMessage m : rec.messages()) {
        all.merge(m.messageId(), m, OasstMessage::merge);
        firstSeen.putIfAbsent(m.messageId(), carriedAt);
      }
    }
    Map<String, String> top = new HashMap<>(all.size() * 2);
    LinkedHashMap<String, List<OasstMessage>> groups = new LinkedHashMap<>();
    Map<String, Location> groupStarts = new HashMap<>();
    for (OasstMessage m : all.values()) {
      String key = keyOfTop(topmost(m, all, top), all);
      groups.computeIfAbsent(key, k -> new ArrayList<>()).add(m);
      groupStarts.putIfAbsent(key, firstSeen.get(m.messageId()));
    }
    List<OasstTree> trees = new ArrayList<>(groups.size());
    for (Map.Entry<String, List<OasstMessage>> e : groups.entrySet()) {
      trees.add(OasstTree.of(e.getKey(), groupStarts.get(e.getKey()), e.getValue()));
    }
    return trees;
  }

  /** The id of the topmost ancestor of {@code m} present in the input (memoized, cycle-safe). */
  private static String topmost(
      OasstMessage m, Map<String, OasstMessage> all, Map<String, String> memo) {
    List<String> chain = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    OasstMessage cur = m;
    String result;
    while (true) {
      String known = memo.get(cur.messageId());
      if (known != null) {
        result = known;
        break;
      }
      chain.add(cur.messageId());
      seen.add(cur.messageId());
      OasstMessage parent = cur.parentId() == null ? null : all.get(cur.parentId());
      if (parent == null || seen.contains(parent.messageId())) {
        result = cur.messageId();
        break;
      }
      cur = parent;
    }
    for (String id : chain) {
      memo.put(id, result);
    }
    return result;
  }

  private static String keyOfTop(String topId, Map<String, OasstMessage> all) {
    OasstMessage t = all.get(topId);
    return t.treeId() != null ? t.treeId() : t.messageId();
  }

  @Override
  public void close() {
    input.close();
  }
}
