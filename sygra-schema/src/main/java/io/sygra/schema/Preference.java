package io.sygra.schema;

import io.sygra.core.State;
import io.sygra.schema.internal.JsonValues;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Preference data: a DPO pair or a KTO (unpaired) example, in TRL's conversational explicit-prompt
 * model.
 *
 * <ul>
 *   <li><b>Pair</b> ({@link #isPaired()}): {@code prompt} is the conversation so far; {@code
 *       chosen} and {@code rejected} are the two continuations (normally one assistant message
 *       each).
 *   <li><b>Unpaired</b> (KTO): exactly one of {@code chosen} / {@code rejected} is non-empty. A
 *       desirable completion ({@code label: true}) sits in {@code chosen}, an undesirable one
 *       ({@code label: false}) in {@code rejected}; {@link #completion()} and {@link #label()} read
 *       it back either way.
 * </ul>
 *
 * <p>Immutable and structurally comparable. Training rules (prompt non-empty, chosen ≠ rejected,
 * assistant replies) are checked by {@link Validator}, not here.
 *
 * @param prompt the messages before the reply; never null
 * @param chosen the preferred continuation; empty only for an undesirable KTO example
 * @param rejected the dispreferred continuation; empty only for a desirable KTO example
 * @param tools JSON-schema function definitions available to the model; never null
 * @param metadata JSON-compatible extra data (source ids, ranks, labels, scores); never null
 */
public record Preference(
    List<Message> prompt,
    List<Message> chosen,
    List<Message> rejected,
    List<Map<String, Object>> tools,
    Map<String, Object> metadata)
    implements Example {

  /** Validates and deep-copies; see the record description. */
  public Preference {
    prompt = List.copyOf(Objects.requireNonNull(prompt, "prompt"));
    chosen = List.copyOf(Objects.requireNonNull(chosen, "chosen"));
    rejected = List.copyOf(Objects.requireNonNull(rejected, "rejected"));
    if (chosen.isEmpty() && rejected.isEmpty()) {
      throw new SchemaException("$", "a preference needs a chosen or a rejected continuation");
    }
    try {
      tools = JsonValues.freezeObjectList(tools, "$.tools");
      metadata = JsonValues.freezeMap(metadata, "$.metadata");
    } catch (IllegalArgumentException e) {
      throw new SchemaException("$", e.getMessage());
    }
  }

  /** A DPO pair with one reply message on each side. */
  public static Preference pair(List<Message> prompt, Message chosen, Message rejected) {
    return new Preference(prompt, List.of(chosen), List.of(rejected), List.of(), Map.of());
  }

  /** A DPO pair. */
  public static Preference pair(
      List<Message> prompt, List<Message> chosen, List<Message> rejected) {
    return new Preference(prompt, chosen, rejected, List.of(), Map.of());
  }

  /** A KTO example: {@code completion} is desirable when {@code label} is true. */
  public static Preference unpaired(List<Message> prompt, List<Message> completion, boolean label) {
    return label
        ? new Preference(prompt, completion, List.of(), List.of(), Map.of())
        : new Preference(prompt, List.of(), completion, List.of(), Map.of());
  }

  /** True for a DPO pair (both sides present). */
  public boolean isPaired() {
    return !chosen.isEmpty() && !rejected.isEmpty();
  }

  /**
   * The KTO label: true when the single completion is desirable.
   *
   * @throws IllegalStateException for a pair, which has no single label
   */
  public boolean label() {
    if (isPaired()) {
      throw new IllegalStateException("a DPO pair has no KTO label; use chosen() and rejected()");
    }
    return !chosen.isEmpty();
  }

  /**
   * The KTO completion (whichever side is present).
   *
   * @throws IllegalStateException for a pair
   */
  public List<Message> completion() {
    if (isPaired()) {
      throw new IllegalStateException("a DPO pair has no single completion");
    }
    return chosen.isEmpty() ? rejected : chosen;
  }

  /**
   * The two KTO examples of a pair: {@code (prompt, chosen, true)} and {@code (prompt, rejected,
   * false)}, both with this metadata. An unpaired example returns itself.
   */
  public List<Preference> unpair() {
    if (!isPaired()) {
      return List.of(this);
    }
    return List.of(
        new Preference(prompt, chosen, List.of(), tools, metadata),
        new Preference(prompt, List.of(), rejected, tools, metadata));
  }

  /** The SFT conversation {@code prompt + chosen}; requires a chosen side. */
  public Conversation chosenConversation() {
    if (chosen.isEmpty()) {
      throw new IllegalStateException("an undesirable KTO example has no chosen continuation");
    }
    List<Message> all = new ArrayList<>(prompt.size() + chosen.size());
    all.addAll(prompt);
    all.addAll(chosen);
    return new Conversation(all, tools, metadata);
  }

  @Override
  public Preference withMetadata(Map<String, ?> newMetadata) {
    @SuppressWarnings("unchecked")
    Map<String, Object> m = (Map<String, Object>) newMetadata;
    return new Preference(prompt, chosen, rejected, tools, m);
  }

  /** A copy with one metadata entry added or replaced. */
  public Preference withMetadata(String key, Object value) {
    Map<String, Object> m = new LinkedHashMap<>(metadata);
    m.put(Objects.requireNonNull(key, "key"), value);
    return new Preference(prompt, chosen, rejected, tools, m);
  }

  /**
   * The example as a graph {@link State}. A pair gives {@code prompt}, {@code chosen} and {@code
   * rejected} (lists of {@link Message#toMap()} maps); a KTO example gives {@code prompt}, {@code
   * completion} and {@code label}. {@code tools} appears when there are some; metadata entries
   * become top-level values.
   *
   * @throws SchemaException when a metadata key clashes with one of those keys
   */
  public State toState() {
    Map<String, Object> values = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : metadata.entrySet()) {
      if (RESERVED.contains(e.getKey())) {
        throw new SchemaException(
            "$.metadata." + e.getKey(), "clashes with the state key of the same name");
      }
      values.put(e.getKey(), e.getValue());
    }
    values.put("prompt", maps(prompt));
    if (isPaired()) {
      values.put("chosen", maps(chosen));
      values.put("rejected", maps(rejected));
    } else {
      values.put("completion", maps(completion()));
      values.put("label", label());
    }
    if (!tools.isEmpty()) {
      values.put("tools", tools);
    }
    return State.of(values);
  }

  /**
   * Reads what {@link #toState()} writes: {@code prompt} plus either {@code chosen} and {@code
   * rejected} or {@code completion} and {@code label}; other values become metadata.
   *
   * @throws SchemaException naming the path of a missing or malformed value
   */
  public static Preference fromState(State state) {
    Objects.requireNonNull(state, "state");
    List<Message> prompt = messages(state.get("prompt"), "$.prompt");
    Object label = state.get("label");
    List<Message> chosen;
    List<Message> rejected;
    if (state.has("completion") || label != null) {
      if (!(label instanceof Boolean b)) {
        throw new SchemaException("$.label", label == null ? "missing" : "expected a boolean");
      }
      List<Message> completion = messages(state.get("completion"), "$.completion");
      chosen = b ? completion : List.of();
      rejected = b ? List.of() : completion;
    } else {
      chosen = messages(state.get("chosen"), "$.chosen");
      rejected = messages(state.get("rejected"), "$.rejected");
    }
    Map<String, Object> metadata = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : state.values().entrySet()) {
      if (!RESERVED.contains(e.getKey())) {
        metadata.put(e.getKey(), e.getValue());
      }
    }
    return new Preference(
        prompt, chosen, rejected, Conversation.toolsFrom(state.get("tools")), metadata);
  }

  private static final java.util.Set<String> RESERVED =
      java.util.Set.of("prompt", "chosen", "rejected", "completion", "label", "tools");

  private static List<Map<String, Object>> maps(List<Message> messages) {
    List<Map<String, Object>> out = new ArrayList<>(messages.size());
    for (Message m : messages) {
      out.add(m.toMap());
    }
    return out;
  }

  private static List<Message> messages(Object v, String path) {
    if (!(v instanceof List<?> list)) {
      throw new SchemaException(path, v == null ? "missing" : "expected a list of messages");
    }
    List<Message> out = new ArrayList<>(list.size());
    for (int i = 0; i < list.size(); i++) {
      if (!(list.get(i) instanceof Map<?, ?> m)) {
        throw new SchemaException(path + "[" + i + "]", "expected a message object");
      }
      @SuppressWarnings("unchecked")
      Map<String, ?> mm = (Map<String, ?>) m;
      out.add(Message.fromMap(mm, path + "[" + i + "]"));
    }
    return out;
  }
}
