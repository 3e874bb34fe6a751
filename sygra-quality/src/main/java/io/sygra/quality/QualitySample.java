package io.sygra.quality;

import io.sygra.core.State;
import io.sygra.schema.Conversation;
import io.sygra.schema.Example;
import io.sygra.schema.Message;
import io.sygra.schema.Preference;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * What the quality taggers look at: the turns of one record, plus the facts about it that data sets
 * carry alongside the text (declared language, finish reason, human labels, detoxify scores).
 *
 * <p>Built from an SFT {@link Conversation}, a {@link Preference} (DPO pair or KTO example) or a
 * graph {@link State} holding either shape. For preferences, {@link #turns()} is the training
 * target ({@code prompt + chosen}, or {@code prompt + completion} for KTO) and {@link #rejected()}
 * holds the rejected continuation of a pair.
 *
 * <p>Metadata keys read (all optional): {@code lang} (declared language of every turn), {@code
 * message_langs} (one per turn, e.g. from OASST messages), {@code finish_reason}, {@code labels} or
 * {@code chosen_labels} (human label name → value in [0, 1], as OASST exports them), {@code
 * detoxify} (score name → value). Immutable.
 *
 * @param id the record id, used to name duplicates; never null (may be empty)
 * @param kind what the record is
 * @param turns the turns in order (for preferences: prompt, then the chosen or KTO completion)
 * @param rejected the rejected continuation of a DPO pair; empty otherwise
 * @param declaredLang the record-level declared language, lower-case, or null
 * @param finishReason how generation of the last turn ended ({@code stop}, {@code length}), or null
 * @param labels human labels (name → value), empty when none
 * @param detoxify detoxify scores (name → value), empty when none
 */
public record QualitySample(
    String id,
    Kind kind,
    List<Turn> turns,
    List<Turn> rejected,
    String declaredLang,
    String finishReason,
    Map<String, Double> labels,
    Map<String, Double> detoxify) {

  /** What a sample is. */
  public enum Kind {
    /** An SFT conversation. */
    CONVERSATION,
    /**
     * A DPO pair: prompt + chosen in {@link #turns()}, the rejected reply in {@link #rejected()}.
     */
    PAIR,
    /** A KTO example: prompt + completion in {@link #turns()}. */
    UNPAIRED
  }

  /**
   * One turn.
   *
   * @param role {@code system}, {@code user}, {@code assistant} or {@code tool}
   * @param content the text; never null (absent content is the empty string)
   * @param lang the turn's declared language, lower-case, or null
   */
  public record Turn(String role, String content, String lang) {
    /** Validates; see the record description. */
    public Turn {
      Objects.requireNonNull(role, "role");
      content = content == null ? "" : content;
      lang = lang == null || lang.isBlank() ? null : lang.trim().toLowerCase(Locale.ROOT);
    }

    /** True for assistant turns. */
    public boolean isAssistant() {
      return role.equals("assistant");
    }
  }

  /** Validates and copies; see the record description. */
  public QualitySample {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(kind, "kind");
    turns = List.copyOf(turns);
    rejected = List.copyOf(rejected);
    declaredLang =
        declaredLang == null || declaredLang.isBlank()
            ? null
            : declaredLang.trim().toLowerCase(Locale.ROOT);
    labels = Collections.unmodifiableMap(new LinkedHashMap<>(labels));
    detoxify = Collections.unmodifiableMap(new LinkedHashMap<>(detoxify));
  }

  /** A conversation sample from plain turns, without metadata. */
  public static QualitySample of(String id, List<Turn> turns) {
    return new QualitySample(
        id, Kind.CONVERSATION, turns, List.of(), null, null, Map.of(), Map.of());
  }

  /** The sample of an SFT conversation or a preference, reading its metadata. */
  public static QualitySample of(String id, Example example) {
    Objects.requireNonNull(example, "example");
    Map<String, Object> meta = example.metadata();
    List<String> langs = stringList(meta.get("message_langs"));
    if (example instanceof Conversation c) {
      return build(id, Kind.CONVERSATION, c.messages(), List.of(), langs, meta);
    }
    Preference p = (Preference) example;
    List<Message> target = new ArrayList<>(p.prompt());
    if (p.isPaired()) {
      target.addAll(p.chosen());
      return build(id, Kind.PAIR, target, p.rejected(), langs, meta);
    }
    target.addAll(p.completion());
    return build(id, Kind.UNPAIRED, target, List.of(), langs, meta);
  }

  /**
   * The sample of a graph state: a preference when it holds {@code prompt} with {@code chosen} or
   * {@code completion}, otherwise a conversation from {@code messages}. Other values are read as
   * metadata (see the class description).
   *
   * @throws io.sygra.schema.SchemaException naming the path of a malformed message
   */
  public static QualitySample fromState(State state) {
    Objects.requireNonNull(state, "state");
    Example e =
        state.has("prompt") && (state.has("chosen") || state.has("completion"))
            ? Preference.fromState(state)
            : Conversation.fromState(state);
    return of(state.id(), e);
  }

  private static QualitySample build(
      String id,
      Kind kind,
      List<Message> messages,
      List<Message> rejected,
      List<String> langs,
      Map<String, Object> meta) {
    String declared = meta.get("lang") instanceof String s ? s : null;
    List<Turn> turns = new ArrayList<>(messages.size());
    for (int i = 0; i < messages.size(); i++) {
      Message m = messages.get(i);
      String lang = i < langs.size() ? langs.get(i) : declared;
      turns.add(new Turn(m.role().wireName(), text(m), lang));
    }
    List<Turn> rej = new ArrayList<>(rejected.size());
    for (Message m : rejected) {
      rej.add(new Turn(m.role().wireName(), text(m), declared));
    }
    Object labels = meta.get("labels");
    if (!(labels instanceof Map<?, ?>)) {
      labels = meta.get("chosen_labels");
    }
    return new QualitySample(
        id,
        kind,
        turns,
        rej,
        declared,
        meta.get("finish_reason") instanceof String f ? f : null,
        numbers(labels),
        numbers(meta.get("detoxify")));
  }

  private static String text(Message m) {
    if (m.content() != null) {
      return m.content();
    }
    // A tool-calling turn without text: its calls are what the model learns to produce.
    StringBuilder sb = new StringBuilder();
    m.toolCalls().forEach(c -> sb.append(c.name()).append(' ').append(c.arguments()).append('\n'));
    return sb.toString();
  }

  private static List<String> stringList(Object v) {
    if (!(v instanceof List<?> l)) {
      return List.of();
    }
    List<String> out = new ArrayList<>(l.size());
    for (Object o : l) {
      out.add(o instanceof String s ? s : null);
    }
    return out;
  }

  private static Map<String, Double> numbers(Object v) {
    if (!(v instanceof Map<?, ?> m)) {
      return Map.of();
    }
    Map<String, Double> out = new LinkedHashMap<>();
    m.forEach(
        (k, val) -> {
          if (val instanceof Number n) {
            out.put(String.valueOf(k), n.doubleValue());
          }
        });
    return out;
  }

  /** The assistant turns of {@link #turns()}: the training targets. */
  public List<Turn> responses() {
    List<Turn> out = new ArrayList<>(2);
    for (Turn t : turns) {
      if (t.isAssistant()) {
        out.add(t);
      }
    }
    return out;
  }

  /** The last assistant turn of {@link #turns()}, or null. */
  public Turn lastResponse() {
    for (int i = turns.size() - 1; i >= 0; i--) {
      if (turns.get(i).isAssistant()) {
        return turns.get(i);
      }
    }
    return null;
  }

  /** The assistant turns' text joined by blank lines. */
  public String responseText() {
    StringBuilder sb = new StringBuilder();
    for (Turn t : turns) {
      if (t.isAssistant()) {
        if (sb.length() > 0) {
          sb.append("\n\n");
        }
        sb.append(t.content());
      }
    }
    return sb.toString();
  }

  /**
   * All text of the record, turn by turn ({@link #rejected()} included), as used for duplicate
   * detection.
   */
  public String fullText() {
    StringBuilder sb = new StringBuilder();
    for (Turn t : turns) {
      sb.append(t.content()).append('\n');
    }
    for (Turn t : rejected) {
      sb.append(t.content()).append('\n');
    }
    return sb.toString();
  }

  /** A short preview of the record for reports: the first user turn and the last response. */
  public String preview(int maxChars) {
    String q = "";
    for (Turn t : turns) {
      if (t.role().equals("user")) {
        q = t.content();
        break;
      }
    }
    Turn r = lastResponse();
    String s = "USER: " + q + (r == null ? "" : "\nASSISTANT: " + r.content());
    return s.length() <= maxChars ? s : s.substring(0, Math.max(0, maxChars - 1)) + "…";
  }
}
