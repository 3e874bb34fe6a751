package io.sygra.core;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.sygra.core.internal.ArrayMap;
import io.sygra.core.internal.Json;
import io.sygra.core.internal.JsonValues;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The immutable per-record state that flows through a {@link Graph}: an id plus named
 * JSON-compatible values (strings, numbers, booleans, lists, maps, {@code null}).
 *
 * <p>Every update returns a new state and leaves this one untouched. Updating {@value #MESSAGES}
 * appends to the chat message list; every other key is overwritten. Values are deep-copied into
 * immutable structures on the way in, so a state can be shared freely between threads and nodes.
 *
 * <p>Read values either with a typed {@link Key} ({@link #get(Key)}, {@link #require(Key)}) or by
 * name ({@link #get(String)}, {@link #getString(String)}), which suits records read from files.
 */
public final class State {
  /** The chat message list key; updates append rather than overwrite. */
  public static final String MESSAGES = "messages";

  private static final State EMPTY = new State("", ArrayMap.EMPTY);

  private final String id;
  private final ArrayMap values;

  private State(String id, ArrayMap frozenValues) {
    this.id = id;
    this.values = frozenValues;
  }

  /** An empty state with an empty id. */
  public static State empty() {
    return EMPTY;
  }

  /** A state holding a copy of {@code values}, with an empty id. */
  public static State of(Map<String, ?> values) {
    return of("", values);
  }

  /** A state with the given id holding a copy of {@code values}. */
  public static State of(String id, Map<String, ?> values) {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(values, "values");
    try {
      return new State(id, JsonValues.freezeMap(values));
    } catch (IllegalArgumentException e) {
      throw new StateException(pathKey(e.getMessage()), e.getMessage(), e);
    }
  }

  /** The record id: the input's id, or {@code parent/i} for records created by fan-out. */
  public String id() {
    return id;
  }

  /** A copy of this state with another id. */
  public State withId(String newId) {
    Objects.requireNonNull(newId, "id");
    return newId.equals(id) ? this : new State(newId, values);
  }

  /** An unmodifiable view of all values, in insertion order. */
  public Map<String, Object> values() {
    return values;
  }

  /** The names of all values present (a key with a {@code null} value is present). */
  public Set<String> keys() {
    return values.keySet();
  }

  /** True when {@code key} is present, even with a {@code null} value. */
  public boolean has(String key) {
    return values.containsKey(key);
  }

  /** True when {@code key} is present. */
  public boolean has(Key<?> key) {
    return values.containsKey(key.name());
  }

  /** The raw JSON-compatible value, or {@code null} when absent. */
  public Object get(String key) {
    return values.get(key);
  }

  /** The value converted to the key's type, or {@code null} when absent or null. */
  public <T> T get(Key<T> key) {
    return key.read(values.get(key.name()));
  }

  /** The value converted to the key's type, if present and not null. */
  public <T> Optional<T> find(Key<T> key) {
    return Optional.ofNullable(get(key));
  }

  /**
   * The value converted to the key's type.
   *
   * @throws StateException naming the key when it is absent or null
   */
  public <T> T require(Key<T> key) {
    T v = get(key);
    if (v == null) {
      throw new StateException(
          key.name(), has(key) ? "is null" : "is missing (present keys: " + values.keySet() + ")");
    }
    return v;
  }

  /**
   * The value as a string: strings as they are, numbers and booleans in their JSON form, {@code
   * null} when absent or null.
   *
   * @throws StateException when the value is a list or an object
   */
  public String getString(String key) {
    Object v = values.get(key);
    if (v == null || v instanceof String) {
      return (String) v;
    }
    if (v instanceof Number || v instanceof Boolean) {
      return v.toString();
    }
    throw new StateException(key, "expected a string, found " + JsonValues.typeName(v));
  }

  /** The chat messages, each a map with at least {@code role} and {@code content}; never null. */
  @SuppressWarnings("unchecked")
  public List<Map<String, Object>> messages() {
    Object v = values.get(MESSAGES);
    if (v == null) {
      return List.of();
    }
    if (!(v instanceof List<?> l)) {
      throw new StateException(MESSAGES, "expected a list, found " + JsonValues.typeName(v));
    }
    return (List<Map<String, Object>>) l;
  }

  /**
   * Returns a state with {@code key} set to {@code value}; for {@value #MESSAGES} the value (one
   * message map, or a list of them) is appended instead.
   *
   * @throws StateException when the value cannot be represented as JSON
   */
  public State with(String key, Object value) {
    Objects.requireNonNull(key, "key");
    return new State(id, put(values, key, freeze(key, value)));
  }

  /** Returns a state with {@code key} set to {@code value}, converted to JSON. */
  public <T> State with(Key<T> key, T value) {
    return with(key.name(), value);
  }

  /** Applies every entry of {@code updates} as {@link #with(String, Object)} would. */
  public State withAll(Map<String, ?> updates) {
    if (updates.isEmpty()) {
      return this;
    }
    ArrayMap v = values;
    for (Map.Entry<String, ?> e : updates.entrySet()) {
      v = put(v, e.getKey(), freeze(e.getKey(), e.getValue()));
    }
    return new State(id, v);
  }

  /** Appends one chat message with the given role and content. */
  public State withMessage(String role, String content) {
    Map<String, Object> m = new LinkedHashMap<>(4);
    m.put("role", Objects.requireNonNull(role, "role"));
    m.put("content", content);
    return with(MESSAGES, m);
  }

  /** Replaces the whole message list (use {@link #with(String, Object)} to append). */
  public State withMessagesReplaced(List<? extends Map<String, ?>> messages) {
    return new State(id, values.with(MESSAGES, freeze(MESSAGES, messages)));
  }

  /** Returns a state without {@code key}. */
  public State without(String key) {
    ArrayMap v = values.without(key);
    return v == values ? this : new State(id, v);
  }

  /** A mutable deep copy of the values, for code that wants to build on them. */
  @SuppressWarnings("unchecked")
  public Map<String, Object> toMutableMap() {
    return (Map<String, Object>) JsonValues.thaw(values);
  }

  /** Serializes to {@code {"id": ..., "values": {...}}}. */
  public String toJson() {
    Map<String, Object> m = new LinkedHashMap<>(4);
    m.put("id", id);
    m.put("values", values);
    return Json.write(m);
  }

  /**
   * Parses what {@link #toJson()} wrote.
   *
   * @throws StateException when the text is not a serialized state
   */
  public static State fromJson(String json) {
    Map<String, Object> m;
    try {
      m =
          Json.MAPPER.readValue(
              json,
              Json.MAPPER.getTypeFactory().constructMapType(Map.class, String.class, Object.class));
    } catch (JsonProcessingException e) {
      throw new StateException("$", "not a serialized state: " + e.getOriginalMessage(), e);
    }
    Object id = m.get("id");
    Object values = m.get("values");
    if (!(id instanceof String) || !(values instanceof Map<?, ?>)) {
      throw new StateException(
          "$", "a serialized state needs a string 'id' and an object 'values'");
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> v = (Map<String, Object>) values;
    return of((String) id, v);
  }

  private static Object freeze(String key, Object value) {
    try {
      return JsonValues.freeze(value, key);
    } catch (IllegalArgumentException e) {
      throw new StateException(key, e.getMessage(), e);
    }
  }

  /** Sets a frozen value; {@value #MESSAGES} appends instead. */
  private static ArrayMap put(ArrayMap target, String key, Object frozen) {
    if (!MESSAGES.equals(key)) {
      return target.with(key, frozen);
    }
    Object existing = target.get(MESSAGES);
    List<Object> merged = new ArrayList<>();
    if (existing instanceof List<?> l) {
      merged.addAll(l);
    }
    if (frozen instanceof List<?> l) {
      merged.addAll(l);
    } else if (frozen instanceof Map<?, ?>) {
      merged.add(frozen);
    } else if (frozen != null) {
      throw new StateException(
          MESSAGES,
          "append a message object or a list of them, not a " + JsonValues.typeName(frozen));
    }
    return target.with(MESSAGES, JsonValues.frozenList(merged));
  }

  private static String pathKey(String message) {
    if (message == null) {
      return "$";
    }
    int colon = message.indexOf(':');
    return colon > 0 ? message.substring(0, colon) : "$";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof State s && s.id.equals(id) && s.values.equals(values);
  }

  @Override
  public int hashCode() {
    return id.hashCode() * 31 + values.hashCode();
  }

  @Override
  public String toString() {
    return "State[" + id + "] " + Collections.unmodifiableMap(values);
  }
}
