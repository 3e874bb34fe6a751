package io.sygra.schema.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import io.sygra.schema.Conversation;
import io.sygra.schema.Example;
import io.sygra.schema.Format;
import io.sygra.schema.FormatReader;
import io.sygra.schema.Location;
import io.sygra.schema.Message;
import io.sygra.schema.Preference;
import io.sygra.schema.ReadResult;
import io.sygra.schema.Role;
import io.sygra.schema.SchemaException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * SyGra's flat message rows (its {@code CoreLLMDataFabricFormat}): one message per line with {@code
 * conversation_id, message_id, parent_id, root_message_id, message_level, role, content}, plus
 * language, category, quality, safety, length, tag and {@code metainfo} fields.
 *
 * <p>An SFT conversation is a chain of rows (levels 1..n). A DPO pair is the chain of its prompt
 * plus two sibling assistant rows at the last level, the chosen one first and tagged {@code
 * "chosen"}, the rejected one tagged {@code "rejected"}. Example metadata is stored in {@code
 * metainfo.source_metadata}. A conversation's rows must be adjacent.
 */
public final class SygraOasstCodec {
  private SygraOasstCodec() {}

  static final String CHOSEN = "chosen";
  static final String REJECTED = "rejected";

  /** A reader grouping rows by {@code conversation_id}. */
  public static FormatReader reader(Path path, String source) {
    return new Reader(JsonInput.open(path, source));
  }

  private record Row(
      Location location,
      String conversationId,
      String messageId,
      String parentId,
      Message message,
      Set<String> tags,
      Map<String, Object> sourceMetadata) {}

  private static Row parseRow(JsonNode r, Location loc) {
    Fields.object(r, "$");
    String conversationId = Fields.string(r, "conversation_id", "$");
    String messageId = Fields.string(r, "message_id", "$");
    String parentId = Fields.optString(r, "parent_id", "$");
    String roleName = Fields.string(r, "role", "$");
    Role role = "prompter".equals(roleName) ? Role.USER : Role.fromWireName(roleName);
    if (role == null) {
      throw new SchemaException(
          "$.role", "unknown role '" + roleName + "' (expected system, user, assistant or tool)");
    }
    String content = Fields.string(r, "content", "$");
    Set<String> tags = new HashSet<>();
    JsonNode t = r.get("tags");
    if (t != null && !t.isNull()) {
      if (!t.isArray()) {
        throw new SchemaException("$.tags", "expected an array, found " + Fields.type(t));
      }
      for (JsonNode tag : t) {
        if (tag.isTextual()) {
          tags.add(tag.textValue());
        }
      }
    }
    Map<String, Object> meta = Map.of();
    JsonNode mi = r.get("metainfo");
    if (mi != null && mi.isObject()) {
      JsonNode sm = mi.get("source_metadata");
      if (sm != null && !sm.isNull()) {
        if (!sm.isObject()) {
          throw new SchemaException(
              "$.metainfo.source_metadata", "expected an object, found " + Fields.type(sm));
        }
        meta = Json.toMap(sm);
      }
    }
    return new Row(loc, conversationId, messageId, parentId, Message.of(role, content), tags, meta);
  }

  private static final class Reader implements FormatReader {
    private final JsonInput input;
    private final Deque<ReadResult> pending = new ArrayDeque<>();
    private final Set<String> closed = new HashSet<>();
    private List<Row> group = new ArrayList<>();
    private boolean done;
    private long read;

    Reader(JsonInput input) {
      this.input = input;
    }

    @Override
    public Format format() {
      return Format.SYGRA_OASST;
    }

    @Override
    public long recordsRead() {
      return read;
    }

    @Override
    public boolean hasNext() {
      while (pending.isEmpty() && !done) {
        if (!input.next()) {
          done = true;
          flushGroup();
          break;
        }
        read++;
        Location loc = input.location();
        JsonNode node;
        try {
          node = input.readNode();
        } catch (SchemaException e) {
          pending.add(new ReadResult.Rejected(loc, e.relocate(loc, null), input.rawText()));
          continue;
        }
        Row row;
        try {
          row = parseRow(node, loc);
        } catch (SchemaException e) {
          pending.add(new ReadResult.Rejected(loc, e.relocate(loc, null), Json.write(node)));
          continue;
        }
        if (!group.isEmpty() && !group.get(0).conversationId.equals(row.conversationId)) {
          flushGroup();
        }
        if (closed.contains(row.conversationId)) {
          pending.add(
              new ReadResult.Rejected(
                  loc,
                  new SchemaException(
                      loc,
                      "$.conversation_id",
                      "conversation '"
                          + row.conversationId
                          + "' is not contiguous: the rows of a conversation must be adjacent"),
                  Json.write(node)));
          continue;
        }
        group.add(row);
      }
      return !pending.isEmpty();
    }

    private void flushGroup() {
      if (group.isEmpty()) {
        return;
      }
      List<Row> rows = group;
      group = new ArrayList<>();
      closed.add(rows.get(0).conversationId);
      Row first = rows.get(0);
      try {
        pending.add(new ReadResult.Ok(first.location, assemble(rows)));
      } catch (SchemaException e) {
        // The group spans many rows; the reject names the conversation rather than one raw row.
        pending.add(
            new ReadResult.Rejected(
                first.location,
                e.relocate(first.location, null),
                Json.write(Map.of("conversation_id", first.conversationId))));
      }
    }

    @Override
    public ReadResult next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      return pending.poll();
    }

    @Override
    public void close() {
      input.close();
    }
  }

  private static Example assemble(List<Row> rows) {
    String cid = rows.get(0).conversationId;
    Map<String, Row> byId = new HashMap<>();
    Map<String, List<Row>> children = new HashMap<>();
    Row root = null;
    for (Row r : rows) {
      if (byId.put(r.messageId, r) != null) {
        throw new SchemaException(
            "$.message_id",
            "message '" + r.messageId + "' appears twice in conversation '" + cid + "'");
      }
      if (r.parentId == null) {
        if (root != null) {
          throw new SchemaException(
              "$.parent_id", "conversation '" + cid + "' has more than one root message");
        }
        root = r;
      } else {
        children.computeIfAbsent(r.parentId, k -> new ArrayList<>(2)).add(r);
      }
    }
    for (Row r : rows) {
      if (r.parentId != null && !byId.containsKey(r.parentId)) {
        throw new SchemaException(
            "$.parent_id",
            "message '"
                + r.messageId
                + "' has parent '"
                + r.parentId
                + "', which is not in conversation '"
                + cid
                + "'");
      }
    }
    if (root == null) {
      throw new SchemaException("$.parent_id", "conversation '" + cid + "' has no root message");
    }
    List<Message> chain = new ArrayList<>();
    Row node = root;
    chain.add(node.message);
    List<Row> kids = children.getOrDefault(node.messageId, List.of());
    while (kids.size() == 1) {
      node = kids.get(0);
      chain.add(node.message);
      kids = children.getOrDefault(node.messageId, List.of());
    }
    Map<String, Object> meta = root.sourceMetadata;
    if (kids.isEmpty()) {
      return new Conversation(chain, List.of(), meta);
    }
    if (kids.size() == 2
        && !children.containsKey(kids.get(0).messageId)
        && !children.containsKey(kids.get(1).messageId)
        && kids.get(0).message.role() == Role.ASSISTANT
        && kids.get(1).message.role() == Role.ASSISTANT) {
      Row a = kids.get(0);
      Row b = kids.get(1);
      boolean swap = a.tags.contains(REJECTED) || b.tags.contains(CHOSEN);
      Row chosen = swap ? b : a;
      Row rejected = swap ? a : b;
      return new Preference(
          chain, List.of(chosen.message), List.of(rejected.message), List.of(), meta);
    }
    throw new SchemaException(
        "$.parent_id",
        "conversation '"
            + cid
            + "' branches at message '"
            + node.messageId
            + "' into "
            + kids.size()
            + " replies; a sygra-oasst conversation is a chain, optionally ending in one"
            + " chosen/rejected pair of assistant replies");
  }

  /** Writes conversations as row chains and DPO pairs as chains ending in two sibling rows. */
  static final class Writer implements JsonlWriter.RecordWriter {
    private long counter;

    @Override
    public int write(Example e, JsonGenerator g, boolean metadata) throws IOException {
      List<Message> chain;
      Message chosen = null;
      Message rejected = null;
      if (e instanceof Conversation c) {
        chain = c.messages();
      } else {
        Preference p = (Preference) e;
        if (!p.isPaired()) {
          throw new SchemaException(
              "$", "a KTO example cannot be written as sygra-oasst, which holds SFT and DPO rows");
        }
        if (p.chosen().size() != 1 || p.rejected().size() != 1) {
          throw new SchemaException(
              "$.chosen", "sygra-oasst holds a single chosen and a single rejected reply");
        }
        chain = p.prompt();
        chosen = p.chosen().get(0);
        rejected = p.rejected().get(0);
      }
      if (!e.tools().isEmpty()) {
        throw new SchemaException("$.tools", "sygra-oasst rows cannot hold tool definitions");
      }
      if (chain.isEmpty()) {
        throw new SchemaException("$.messages", "empty");
      }
      Map<String, Object> meta = metadata ? e.metadata() : Map.of();
      counter++;
      String cid =
          meta.get("conversation_id") instanceof String s && !s.isEmpty() ? s : "conv_" + counter;
      String rootId = cid + "_1";
      String parent = null;
      int rows = 0;
      for (int i = 0; i < chain.size(); i++) {
        String id = cid + "_" + (i + 1);
        row(g, cid, id, parent, rootId, i + 1, chain.get(i), null, meta, "$.messages[" + i + "]");
        parent = id;
        rows++;
      }
      if (chosen != null) {
        int level = chain.size() + 1;
        row(
            g,
            cid,
            cid + "_" + level + "_" + CHOSEN,
            parent,
            rootId,
            level,
            chosen,
            CHOSEN,
            meta,
            "$.chosen[0]");
        row(
            g,
            cid,
            cid + "_" + level + "_" + REJECTED,
            parent,
            rootId,
            level,
            rejected,
            REJECTED,
            meta,
            "$.rejected[0]");
        rows += 2;
      }
      return rows;
    }

    private static void row(
        JsonGenerator g,
        String cid,
        String id,
        String parent,
        String rootId,
        int level,
        Message m,
        String tag,
        Map<String, Object> meta,
        String path)
        throws IOException {
      if (!m.toolCalls().isEmpty() || m.toolCallId() != null) {
        throw new SchemaException(path, "sygra-oasst rows cannot hold tool calls");
      }
      if (m.content() == null) {
        throw new SchemaException(path + ".content", "missing");
      }
      g.writeStartObject();
      g.writeStringField("conversation_id", cid);
      g.writeStringField("message_id", id);
      if (parent == null) {
        g.writeNullField("parent_id");
      } else {
        g.writeStringField("parent_id", parent);
      }
      g.writeStringField("root_message_id", rootId);
      g.writeNumberField("message_level", level);
      g.writeStringField("role", m.role().wireName());
      g.writeFieldName("content");
      Messages.writeText(g, m.content());
      g.writeFieldName("languages");
      Json.writeValue(g, stringList(meta, "languages", meta.get("lang")));
      g.writeFieldName("categories");
      Json.writeValue(g, stringList(meta, "categories", null));
      g.writeFieldName("subcategories");
      Json.writeValue(g, stringList(meta, "subcategories", null));
      g.writeStringField("generated_by", "sygra");
      g.writeFieldName("quality");
      Object quality = tag == null ? meta.get("quality") : meta.get(tag + "_quality");
      Json.writeValue(
          g, quality instanceof Map<?, ?> q && !q.isEmpty() ? q : Map.of("__default__", true));
      g.writeFieldName("safety");
      Json.writeValue(g, Map.of("__default__", true));
      g.writeObjectFieldStart("length");
      g.writeNumberField("char_count", m.content().codePointCount(0, m.content().length()));
      g.writeNumberField("word_count", wordCount(m.content()));
      g.writeEndObject();
      g.writeArrayFieldStart("instruction_tags");
      g.writeEndArray();
      g.writeFieldName("data_characteristics");
      Json.writeValue(g, Map.of("__default__", true));
      g.writeArrayFieldStart("tags");
      if (tag != null) {
        g.writeString(tag);
      }
      g.writeEndArray();
      g.writeObjectFieldStart("metainfo");
      Object sid = meta.get("source_id");
      g.writeStringField("source_id", sid instanceof String s ? s : cid);
      g.writeFieldName("source_metadata");
      Json.writeValue(g, meta);
      g.writeEndObject();
      g.writeBooleanField("active", true);
      g.writeEndObject();
      g.writeRaw('\n');
    }

    private static List<Object> stringList(Map<String, Object> meta, String key, Object single) {
      Object v = meta.get(key);
      if (v instanceof List<?> l) {
        List<Object> out = new ArrayList<>();
        for (Object o : l) {
          if (o instanceof String) {
            out.add(o);
          }
        }
        return out;
      }
      return single instanceof String s ? List.of(s) : List.of();
    }

    /** Words as Python's {@code str.split()} counts them: runs of non-whitespace. */
    static int wordCount(String s) {
      int n = 0;
      boolean in = false;
      for (int i = 0; i < s.length(); i++) {
        boolean ws = Character.isWhitespace(s.charAt(i)) || Character.isSpaceChar(s.charAt(i));
        if (!ws && !in) {
          n++;
        }
        in = !ws;
      }
      return n;
    }
  }
}
