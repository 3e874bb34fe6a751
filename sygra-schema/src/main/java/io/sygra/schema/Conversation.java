package io.sygra.schema;

import io.sygra.core.State;
import io.sygra.core.StateException;
import io.sygra.schema.internal.JsonValues;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An SFT conversation: an ordered list of messages, the tools they may call, and metadata.
 *
 * <p>Immutable; the lists and map are deep-copied on construction. Equality is structural, so a
 * conversation read back from its own output equals the original. The record does not enforce
 * training rules (final assistant turn, non-empty content): {@link Validator} checks those and
 * names the JSON path of each problem.
 *
 * <pre>{@code
 * Conversation c = Conversation.of(Message.user("Hi"), Message.assistant("Hello!"))
 *     .withMetadata(Map.of("source", "demo"));
 * State s = c.toState();
 * }</pre>
 *
 * @param messages the turns in order; never null
 * @param tools JSON-schema function definitions ({@code name, description, parameters}); never null
 * @param metadata JSON-compatible extra data (strings, numbers, booleans, lists, maps); never null
 */
public record Conversation(
    List<Message> messages, List<Map<String, Object>> tools, Map<String, Object> metadata)
    implements Example {

  /** Validates and deep-copies; see the record description. */
  public Conversation {
    messages = List.copyOf(Objects.requireNonNull(messages, "messages"));
    try {
      tools = JsonValues.freezeObjectList(tools, "$.tools");
      metadata = JsonValues.freezeMap(metadata, "$.metadata");
    } catch (IllegalArgumentException e) {
      throw new SchemaException("$", e.getMessage());
    }
  }

  /** A conversation of {@code messages} with no tools and no metadata. */
  public static Conversation of(List<Message> messages) {
    return new Conversation(messages, List.of(), Map.of());
  }

  /** A conversation of {@code messages} with no tools and no metadata. */
  public static Conversation of(Message... messages) {
    return of(List.of(messages));
  }

  /** A copy with other metadata. */
  @Override
  public Conversation withMetadata(Map<String, ?> newMetadata) {
    @SuppressWarnings("unchecked")
    Map<String, Object> m = (Map<String, Object>) newMetadata;
    return new Conversation(messages, tools, m);
  }

  /** A copy with one metadata entry added or replaced. */
  public Conversation withMetadata(String key, Object value) {
    Map<String, Object> m = new LinkedHashMap<>(metadata);
    m.put(Objects.requireNonNull(key, "key"), value);
    return new Conversation(messages, tools, m);
  }

  /** A copy with other tools. */
  public Conversation withTools(List<? extends Map<String, ?>> newTools) {
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> t = (List<Map<String, Object>>) (List<?>) newTools;
    return new Conversation(messages, t, metadata);
  }

  /** A copy with {@code message} appended. */
  public Conversation append(Message message) {
    List<Message> m = new ArrayList<>(messages.size() + 1);
    m.addAll(messages);
    m.add(Objects.requireNonNull(message, "message"));
    return new Conversation(m, tools, metadata);
  }

  /** The last message, or {@code null} when there are none. */
  public Message last() {
    return messages.isEmpty() ? null : messages.get(messages.size() - 1);
  }

  /**
   * The conversation as a graph {@link State}: {@code messages} holds the messages as {@link
   * Message#toMap()} maps, {@code tools} the tool definitions (only when there are some), and each
   * metadata entry becomes a top-level value.
   *
   * @throws SchemaException when a metadata key is {@code messages} or {@code tools}
   */
  public State toState() {
    return toState("");
  }

  /** As {@link #toState()}, with the given state id. */
  public State toState(String id) {
    Map<String, Object> values = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : metadata.entrySet()) {
      if (e.getKey().equals(State.MESSAGES) || e.getKey().equals("tools")) {
        throw new SchemaException(
            "$.metadata." + e.getKey(), "clashes with the state key of the same name");
      }
      values.put(e.getKey(), e.getValue());
    }
    List<Map<String, Object>> maps = new ArrayList<>(messages.size());
    for (Message m : messages) {
      maps.add(m.toMap());
    }
    values.put(State.MESSAGES, maps);
    if (!tools.isEmpty()) {
      values.put("tools", tools);
    }
    return State.of(id, values);
  }

  /**
   * Reads a conversation from a graph state: {@code messages} (maps as {@link Message#fromMap}
   * reads them), {@code tools} when present (a list of function objects), and every other value as
   * metadata.
   *
   * @throws SchemaException naming the path of a malformed message or tool list
   */
  public static Conversation fromState(State state) {
    Objects.requireNonNull(state, "state");
    List<Map<String, Object>> raw;
    try {
      raw = state.messages();
    } catch (StateException e) {
      throw new SchemaException("$.messages", "expected a list of message objects");
    }
    List<Message> messages = new ArrayList<>(raw.size());
    for (int i = 0; i < raw.size(); i++) {
      Object m = raw.get(i);
      if (!(m instanceof Map<?, ?>)) {
        throw new SchemaException("$.messages[" + i + "]", "expected a message object");
      }
      @SuppressWarnings("unchecked")
      Map<String, ?> mm = (Map<String, ?>) m;
      messages.add(Message.fromMap(mm, "$.messages[" + i + "]"));
    }
    List<Map<String, Object>> tools = toolsFrom(state.get("tools"));
    Map<String, Object> metadata = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : state.values().entrySet()) {
      if (!e.getKey().equals(State.MESSAGES) && !e.getKey().equals("tools")) {
        metadata.put(e.getKey(), e.getValue());
      }
    }
    return new Conversation(messages, tools, metadata);
  }

  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> toolsFrom(Object t) {
    if (t == null) {
      return List.of();
    }
    if (!(t instanceof List<?> list)) {
      throw new SchemaException("$.tools", "expected a list of function objects");
    }
    for (int i = 0; i < list.size(); i++) {
      if (!(list.get(i) instanceof Map<?, ?>)) {
        throw new SchemaException("$.tools[" + i + "]", "expected a function object");
      }
    }
    return (List<Map<String, Object>>) list;
  }
}
