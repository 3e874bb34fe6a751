package io.sygra.llm.internal;

import io.sygra.core.State;
import io.sygra.core.StateException;
import io.sygra.llm.ChatMessage;
import io.sygra.llm.PromptTemplate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The ordered prompt of an LLM node: role-tagged templates and history placeholders, rendered into
 * chat messages for one record. Immutable and thread-safe.
 */
public final class PromptSpec {

  /** One entry of a prompt. */
  public sealed interface Entry {}

  /** A message rendered from a template. */
  public record TemplateEntry(ChatMessage.Role role, PromptTemplate template) implements Entry {
    public TemplateEntry {
      Objects.requireNonNull(role, "role");
      Objects.requireNonNull(template, "template");
    }
  }

  /** Messages taken from a state key holding a list of chat messages. */
  public record HistoryEntry(String key) implements Entry {
    public HistoryEntry {
      Objects.requireNonNull(key, "key");
    }
  }

  private final List<Entry> entries;

  public PromptSpec(List<Entry> entries) {
    this.entries = List.copyOf(entries);
  }

  public List<Entry> entries() {
    return entries;
  }

  public boolean hasTemplates() {
    return entries.stream().anyMatch(TemplateEntry.class::isInstance);
  }

  /** The history keys, in order. */
  public List<String> historyKeys() {
    List<String> keys = new ArrayList<>();
    for (Entry e : entries) {
      if (e instanceof HistoryEntry h) {
        keys.add(h.key());
      }
    }
    return keys;
  }

  /** Template variables and history keys. */
  public Set<String> reads() {
    Set<String> r = new LinkedHashSet<>();
    for (Entry e : entries) {
      if (e instanceof TemplateEntry t) {
        r.addAll(t.template().variables());
      } else if (e instanceof HistoryEntry h) {
        r.add(h.key());
      }
    }
    return r;
  }

  /**
   * Renders the prompt for one record. A history key other than {@code messages} must be present;
   * an absent {@code messages} is an empty conversation, as {@link State#messages()} treats it.
   *
   * @throws io.sygra.llm.TemplateException for a missing template variable
   * @throws StateException for a missing or malformed history
   */
  public List<ChatMessage> render(State state, String node) {
    List<ChatMessage> out = new ArrayList<>(entries.size() + 4);
    for (Entry e : entries) {
      if (e instanceof TemplateEntry t) {
        out.add(ChatMessage.of(t.role(), t.template().render(state, node)));
      } else {
        String key = ((HistoryEntry) e).key();
        if (!state.has(key) && !State.MESSAGES.equals(key)) {
          throw new StateException(
              key,
              "node '"
                  + node
                  + "' takes its message history from this key, but it is missing (present keys: "
                  + state.keys()
                  + ")");
        }
        out.addAll(StateMessages.read(state.get(key), key, node));
      }
    }
    return out;
  }

  /** Canonical description for node fingerprints. */
  public String fingerprint() {
    StringBuilder sb = new StringBuilder();
    for (Entry e : entries) {
      if (e instanceof TemplateEntry t) {
        sb.append(t.role().wireName()).append(':').append(NodeJson.write(t.template().source()));
      } else {
        sb.append("history:").append(((HistoryEntry) e).key());
      }
      sb.append('\n');
    }
    return sb.toString();
  }
}
