package io.sygra.schema;

import io.sygra.schema.internal.JsonValues;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One OpenAssistant message tree: its messages (duplicates merged by {@code message_id}) linked by
 * {@code parent_id}. A tree read from a flat export can lack its root: messages whose parent is not
 * in the tree are orphans.
 *
 * <p>{@link #select(OasstFilter)} applies a filter and gives the SFT conversations and DPO pairs of
 * the kept messages, following these rules:
 *
 * <ul>
 *   <li>A message is kept when it and all its ancestors pass the filter; orphans and their
 *       descendants are excluded.
 *   <li>Roles: {@code prompter} → user, {@code assistant} → assistant; they need not alternate.
 *   <li>SFT {@link SftPaths#ALL}: one conversation per kept assistant message without a kept
 *       assistant descendant, the path from the root; {@link SftPaths#BEST}: see there.
 *   <li>DPO: for each kept prompter message with at least two kept assistant children whose rank is
 *       not null, those children sorted by rank (ties by {@code message_id}) are paired per {@link
 *       DpoPairs}; the prompt is the path from the root to the prompter message. Unranked replies
 *       are never paired, so they are never treated as worst; rank gaps are normal.
 * </ul>
 *
 * <p>Output order is deterministic: pre-order over the tree, children in input order. Each example
 * carries metadata: {@code tree_id} and message ids, ranks and labels (see {@link
 * Selection#sftConversations} and {@link Selection#dpoPairs}). Immutable and thread-safe.
 */
public final class OasstTree {
  private static final int ROOT = -1;
  private static final int ORPHAN = -2;
  private static final int[] NONE = new int[0];

  private final String id;
  private final Location location;
  private final List<OasstMessage> messages;
  private final Map<String, Integer> index;
  private final int[] parent;
  private final int[][] children;
  private final Map<String, byte[]> rawTexts;

  private OasstTree(
      String id,
      Location location,
      List<OasstMessage> messages,
      Map<String, Integer> index,
      Map<String, byte[]> rawTexts) {
    this.rawTexts = rawTexts;
    this.id = id;
    this.location = location;
    this.messages = messages;
    this.index = index;
    int n = messages.size();
    this.parent = new int[n];
    int[] childCount = new int[n];
    for (int i = 0; i < n; i++) {
      String p = messages.get(i).parentId();
      if (p == null) {
        parent[i] = ROOT;
      } else {
        Integer pi = index.get(p);
        parent[i] = pi == null || pi == i ? ORPHAN : pi;
        if (parent[i] >= 0) {
          childCount[parent[i]]++;
        }
      }
    }
    this.children = new int[n][];
    for (int i = 0; i < n; i++) {
      children[i] = childCount[i] == 0 ? NONE : new int[childCount[i]];
    }
    int[] fill = new int[n];
    for (int i = 0; i < n; i++) {
      if (parent[i] >= 0) {
        children[parent[i]][fill[parent[i]]++] = i;
      }
    }
  }

  /**
   * A tree of {@code messages}; duplicates are merged by {@code message_id} (see {@link
   * OasstMessage#merge}), keeping the order of first appearance.
   *
   * @param id the tree id ({@code message_tree_id}, or the root's id)
   * @param location where the tree starts in the input ({@link Location#UNKNOWN} when none)
   */
  public static OasstTree of(String id, Location location, Collection<OasstMessage> messages) {
    return of(id, location, messages, Map.of());
  }

  /** As {@link #of(String, Location, Collection)}, keeping raw text bytes for the writer. */
  static OasstTree of(
      String id,
      Location location,
      Collection<OasstMessage> messages,
      Map<String, byte[]> rawTexts) {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(location, "location");
    HashMap<String, Integer> index = new HashMap<>(messages.size() * 2);
    List<OasstMessage> merged = new ArrayList<>(messages.size());
    for (OasstMessage m : messages) {
      Integer at = index.putIfAbsent(m.messageId(), merged.size());
      if (at == null) {
        merged.add(m);
      } else {
        merged.set(at, merged.get(at).merge(m));
      }
    }
    return new OasstTree(id, location, Collections.unmodifiableList(merged), index, rawTexts);
  }

  /** Raw JSON bytes of message texts by text identity (empty unless read by the fast path). */
  Map<String, byte[]> rawTexts() {
    return rawTexts;
  }

  /** The tree id. */
  public String id() {
    return id;
  }

  /** Where the tree starts in the input. */
  public Location location() {
    return location;
  }

  /** All messages, in order of first appearance. */
  public List<OasstMessage> messages() {
    return messages;
  }

  /** The number of (distinct) messages. */
  public int size() {
    return messages.size();
  }

  /** The message with id {@code messageId}, or {@code null}. */
  public OasstMessage message(String messageId) {
    Integer i = index.get(messageId);
    return i == null ? null : messages.get(i);
  }

  /** The replies to {@code messageId}, in input order (empty when unknown). */
  public List<OasstMessage> children(String messageId) {
    Integer i = index.get(messageId);
    if (i == null) {
      return List.of();
    }
    List<OasstMessage> out = new ArrayList<>(children[i].length);
    for (int c : children[i]) {
      out.add(messages.get(c));
    }
    return out;
  }

  /** The messages without a parent. */
  public List<OasstMessage> roots() {
    List<OasstMessage> out = new ArrayList<>(1);
    for (int i = 0; i < parent.length; i++) {
      if (parent[i] == ROOT) {
        out.add(messages.get(i));
      }
    }
    return out;
  }

  /** The messages whose parent is not in the tree. */
  public List<OasstMessage> orphans() {
    List<OasstMessage> out = new ArrayList<>(0);
    for (int i = 0; i < parent.length; i++) {
      if (parent[i] == ORPHAN) {
        out.add(messages.get(i));
      }
    }
    return out;
  }

  /** Applies {@code filter}: the kept messages, and the SFT conversations and DPO pairs of them. */
  public Selection select(OasstFilter filter) {
    return new Selection(Objects.requireNonNull(filter, "filter"));
  }

  private List<Integer> pathTo(int i) {
    List<Integer> path = new ArrayList<>();
    for (int k = i; k >= 0; k = parent[k]) {
      path.add(k);
      if (path.size() > messages.size()) {
        throw new IllegalStateException("cycle in tree " + id);
      }
    }
    Collections.reverse(path);
    return path;
  }

  /** Pre-order over the messages reachable from roots, children in input order. */
  private int[] preorder() {
    int[] order = new int[messages.size()];
    int n = 0;
    Deque<Integer> stack = new ArrayDeque<>();
    for (int i = parent.length - 1; i >= 0; i--) {
      if (parent[i] == ROOT) {
        stack.push(i);
      }
    }
    while (!stack.isEmpty()) {
      int i = stack.pop();
      order[n++] = i;
      for (int c = children[i].length - 1; c >= 0; c--) {
        stack.push(children[i][c]);
      }
    }
    return Arrays.copyOf(order, n);
  }

  private static Message toMessage(OasstMessage m) {
    return Message.of(m.role(), m.text());
  }

  /** The messages of a tree kept by one filter. Immutable. */
  public final class Selection {
    private final boolean[] kept;
    private final int[] order;
    private final int keptCount;

    private Selection(OasstFilter filter) {
      int n = messages.size();
      kept = new boolean[n];
      order = preorder();
      int k = 0;
      for (int i : order) {
        boolean parentKept = parent[i] == ROOT || kept[parent[i]];
        kept[i] = parentKept && filter.passes(messages.get(i));
        if (kept[i]) {
          k++;
        }
      }
      keptCount = k;
    }

    /** The tree this selection belongs to. */
    public OasstTree tree() {
      return OasstTree.this;
    }

    /** True when the message is kept. */
    public boolean isKept(String messageId) {
      Integer i = index.get(messageId);
      return i != null && kept[i];
    }

    /** The number of kept messages. */
    public int kept() {
      return keptCount;
    }

    /** The number of messages not kept (including orphans and their descendants). */
    public int excluded() {
      return messages.size() - keptCount;
    }

    /** The number of orphans (messages whose parent is absent). */
    public int orphans() {
      int n = 0;
      for (int p : parent) {
        if (p == ORPHAN) {
          n++;
        }
      }
      return n;
    }

    /**
     * The SFT conversations. Metadata: {@code source: "oasst"}, {@code tree_id}, {@code
     * message_ids} and {@code ranks} (aligned with the messages; null for unranked), and the {@code
     * labels} (name → value) of the last message when it has any.
     */
    public List<Conversation> sftConversations(SftPaths paths) {
      return paths == SftPaths.BEST ? best() : all();
    }

    private List<Conversation> all() {
      int n = messages.size();
      boolean[] assistantBelow = new boolean[n];
      for (int o = order.length - 1; o >= 0; o--) {
        int i = order[o];
        if (!kept[i]) {
          continue;
        }
        for (int c : children[i]) {
          if (kept[c] && (messages.get(c).role() == Role.ASSISTANT || assistantBelow[c])) {
            assistantBelow[i] = true;
            break;
          }
        }
      }
      List<Conversation> out = new ArrayList<>();
      for (int i : order) {
        if (kept[i] && messages.get(i).role() == Role.ASSISTANT && !assistantBelow[i]) {
          out.add(conversation(pathTo(i)));
        }
      }
      return out;
    }

    private List<Conversation> best() {
      List<Conversation> out = new ArrayList<>(1);
      for (int r = 0; r < parent.length; r++) {
        if (parent[r] != ROOT || !kept[r]) {
          continue;
        }
        List<Integer> path = new ArrayList<>();
        int node = r;
        path.add(node);
        while (true) {
          int next = -1;
          for (int c : children[node]) {
            if (kept[c]
                && (next < 0 || BEST_ORDER.compare(messages.get(c), messages.get(next)) < 0)) {
              next = c;
            }
          }
          if (next < 0) {
            break;
          }
          path.add(next);
          node = next;
        }
        // Non-alternating trees can end in several user turns; none of them is a target.
        while (!path.isEmpty() && messages.get(path.get(path.size() - 1)).role() == Role.USER) {
          path.remove(path.size() - 1);
        }
        boolean anyAssistant = false;
        for (int i : path) {
          anyAssistant |= messages.get(i).role() == Role.ASSISTANT;
        }
        if (anyAssistant) {
          out.add(conversation(path));
        }
      }
      return out;
    }

    /**
     * The DPO pairs. Metadata: {@code source: "oasst"}, {@code tree_id}, {@code prompt_ids}, {@code
     * chosen_id}, {@code rejected_id}, {@code chosen_rank}, {@code rejected_rank}, and {@code
     * chosen_labels} / {@code rejected_labels} when the replies have labels.
     */
    public List<Preference> dpoPairs(DpoPairs mode) {
      List<Preference> out = new ArrayList<>();
      for (int p : order) {
        OasstMessage pm = messages.get(p);
        if (!kept[p] || pm.role() != Role.USER) {
          continue;
        }
        List<OasstMessage> ranked = new ArrayList<>(children[p].length);
        for (int c : children[p]) {
          OasstMessage cm = messages.get(c);
          if (kept[c] && cm.role() == Role.ASSISTANT && cm.rank() != null) {
            ranked.add(cm);
          }
        }
        if (ranked.size() < 2) {
          continue;
        }
        ranked.sort(RANK_ORDER);
        List<Integer> promptPath = pathTo(p);
        List<Message> prompt = new ArrayList<>(promptPath.size());
        List<String> promptIds = new ArrayList<>(promptPath.size());
        for (int i : promptPath) {
          prompt.add(toMessage(messages.get(i)));
          promptIds.add(messages.get(i).messageId());
        }
        int last = ranked.size() - 1;
        switch (mode) {
          case BEST_VS_WORST -> out.add(pair(prompt, promptIds, ranked.get(0), ranked.get(last)));
          case BEST_VS_REST -> {
            for (int j = 1; j <= last; j++) {
              out.add(pair(prompt, promptIds, ranked.get(0), ranked.get(j)));
            }
          }
          case ALL_PAIRS -> {
            for (int i = 0; i < last; i++) {
              for (int j = i + 1; j <= last; j++) {
                if (ranked.get(i).rank() < ranked.get(j).rank()) {
                  out.add(pair(prompt, promptIds, ranked.get(i), ranked.get(j)));
                }
              }
            }
          }
          default -> throw new IllegalStateException(String.valueOf(mode));
        }
      }
      return out;
    }

    private Preference pair(
        List<Message> prompt, List<String> promptIds, OasstMessage chosen, OasstMessage rejected) {
      LinkedHashMap<String, Object> meta = new LinkedHashMap<>(16);
      meta.put("source", "oasst");
      meta.put("tree_id", id);
      meta.put("prompt_ids", JsonValues.trustedList(promptIds));
      meta.put("chosen_id", chosen.messageId());
      meta.put("rejected_id", rejected.messageId());
      meta.put("chosen_rank", chosen.rank());
      meta.put("rejected_rank", rejected.rank());
      putLabels(meta, "chosen_labels", chosen);
      putLabels(meta, "rejected_labels", rejected);
      return new Preference(
          prompt,
          List.of(toMessage(chosen)),
          List.of(toMessage(rejected)),
          List.of(),
          JsonValues.trustedMap(meta));
    }

    private Conversation conversation(List<Integer> path) {
      List<Message> msgs = new ArrayList<>(path.size());
      List<String> ids = new ArrayList<>(path.size());
      List<Integer> ranks = new ArrayList<>(path.size());
      for (int i : path) {
        OasstMessage m = messages.get(i);
        msgs.add(toMessage(m));
        ids.add(m.messageId());
        ranks.add(m.rank());
      }
      LinkedHashMap<String, Object> meta = new LinkedHashMap<>(8);
      meta.put("source", "oasst");
      meta.put("tree_id", id);
      meta.put("message_ids", JsonValues.trustedList(ids));
      meta.put("ranks", JsonValues.trustedList(ranks));
      putLabels(meta, "labels", messages.get(path.get(path.size() - 1)));
      return new Conversation(msgs, List.of(), JsonValues.trustedMap(meta));
    }
  }

  private static void putLabels(Map<String, Object> meta, String key, OasstMessage m) {
    if (m.labels() == null || m.labels().isEmpty()) {
      return;
    }
    LinkedHashMap<String, Object> values = new LinkedHashMap<>(m.labels().size() * 2);
    m.labels().forEach((k, v) -> values.put(k, v.value()));
    meta.put(key, JsonValues.trustedMap(values));
  }

  /** Rank ascending (null last), then created_date (null last), then message_id. */
  private static final Comparator<OasstMessage> BEST_ORDER =
      Comparator.comparing(OasstMessage::rank, Comparator.nullsLast(Comparator.naturalOrder()))
          .thenComparing(OasstMessage::createdDate, Comparator.nullsLast(Comparator.naturalOrder()))
          .thenComparing(OasstMessage::messageId);

  /** Rank ascending, ties by message_id (ranks are non-null here). */
  private static final Comparator<OasstMessage> RANK_ORDER =
      Comparator.comparing(OasstMessage::rank).thenComparing(OasstMessage::messageId);

  @Override
  public String toString() {
    return "OasstTree[" + id + ", " + messages.size() + " messages]";
  }
}
