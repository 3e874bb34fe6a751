package io.sygra.schema;

import com.fasterxml.jackson.databind.JsonNode;
import io.sygra.schema.internal.Json;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Checks that examples are fit for training and reports every broken rule with its JSON path.
 *
 * <p>Rules always checked:
 *
 * <ul>
 *   <li>every message has content, and it is not blank (an assistant message that only calls tools
 *       may have none);
 *   <li>only assistant messages carry tool calls; each has a non-empty function name and arguments
 *       that parse as a JSON object; only tool messages carry a {@code tool_call_id};
 *   <li>SFT: at least one message, at least one assistant message, and (unless {@link
 *       Builder#requireFinalAssistant(boolean) relaxed}) the last message is the assistant's;
 *   <li>DPO: the prompt is non-empty and ends with a user or tool message; chosen and rejected each
 *       start with an assistant message and differ;
 *   <li>KTO: the prompt is non-empty and the completion starts with an assistant message.
 * </ul>
 *
 * <p>Configurable rules ({@link #standard()} / {@link #strict()}): a system message only as the
 * first turn (both), strictly alternating user/assistant turns (strict only; OASST and HH-RLHF do
 * not always alternate), tool-call ids present and matched by the tool messages that answer them
 * (strict only). Validators are immutable and thread-safe.
 */
public final class Validator {
  private static final Validator STANDARD = builder().build();
  private static final Validator STRICT =
      builder().requireAlternation(true).requireToolCallIds(true).build();

  private final boolean requireFinalAssistant;
  private final boolean allowEmptyContent;
  private final boolean systemOnlyFirst;
  private final boolean requireAlternation;
  private final boolean requireToolCallIds;

  private Validator(Builder b) {
    this.requireFinalAssistant = b.requireFinalAssistant;
    this.allowEmptyContent = b.allowEmptyContent;
    this.systemOnlyFirst = b.systemOnlyFirst;
    this.requireAlternation = b.requireAlternation;
    this.requireToolCallIds = b.requireToolCallIds;
  }

  /**
   * The default rules: final assistant turn, no blank content, system only first, roles need not
   * alternate, tool-call ids optional.
   */
  public static Validator standard() {
    return STANDARD;
  }

  /** {@link #standard()} plus alternating user/assistant turns and matched tool-call ids. */
  public static Validator strict() {
    return STRICT;
  }

  /** A builder starting from the {@link #standard()} rules. */
  public static Builder builder() {
    return new Builder();
  }

  /** Validates either kind of example. Returns all errors; empty when valid. */
  public List<ValidationError> validate(Example example) {
    Objects.requireNonNull(example, "example");
    if (example instanceof Conversation c) {
      return validate(c);
    }
    return validate((Preference) example);
  }

  /**
   * Checks {@code example} and throws on the first problem.
   *
   * @throws SchemaException carrying the path and message of the first error
   */
  public void check(Example example) {
    List<ValidationError> errors = validate(example);
    if (!errors.isEmpty()) {
      ValidationError e = errors.get(0);
      throw new SchemaException(e.path(), e.message());
    }
  }

  /** Validates an SFT conversation. Returns all errors; empty when valid. */
  public List<ValidationError> validate(Conversation conversation) {
    List<ValidationError> errors = new ArrayList<>(0);
    List<Message> messages = conversation.messages();
    if (messages.isEmpty()) {
      errors.add(new ValidationError("$.messages", "empty"));
      return errors;
    }
    Seq seq = new Seq(errors);
    boolean anyAssistant = false;
    for (int i = 0; i < messages.size(); i++) {
      Message m = messages.get(i);
      seq.add(m, "$.messages[" + i + "]");
      anyAssistant |= m.role() == Role.ASSISTANT;
    }
    if (!anyAssistant) {
      errors.add(new ValidationError("$.messages", "no assistant message to train on"));
    } else if (requireFinalAssistant) {
      Message last = messages.get(messages.size() - 1);
      if (last.role() != Role.ASSISTANT) {
        errors.add(
            new ValidationError(
                "$.messages[" + (messages.size() - 1) + "].role",
                "the last message must be the assistant's, found " + last.role()));
      }
    }
    return errors;
  }

  /** Validates a DPO pair or a KTO example. Returns all errors; empty when valid. */
  public List<ValidationError> validate(Preference preference) {
    List<ValidationError> errors = new ArrayList<>(0);
    Seq seq = new Seq(errors);
    List<Message> prompt = preference.prompt();
    if (prompt.isEmpty()) {
      errors.add(new ValidationError("$.prompt", "empty"));
    }
    for (int i = 0; i < prompt.size(); i++) {
      seq.add(prompt.get(i), "$.prompt[" + i + "]");
    }
    if (!prompt.isEmpty()) {
      Message last = prompt.get(prompt.size() - 1);
      if (last.role() != Role.USER && last.role() != Role.TOOL) {
        errors.add(
            new ValidationError(
                "$.prompt[" + (prompt.size() - 1) + "].role",
                "the prompt must end with a user or tool message, found " + last.role()));
      }
    }
    if (preference.isPaired()) {
      reply(preference.chosen(), "$.chosen", seq.copy(), errors);
      reply(preference.rejected(), "$.rejected", seq.copy(), errors);
      if (preference.chosen().equals(preference.rejected())) {
        errors.add(new ValidationError("$.rejected", "identical to chosen"));
      }
    } else {
      reply(preference.completion(), "$.completion", seq, errors);
    }
    return errors;
  }

  private void reply(List<Message> reply, String path, Seq seq, List<ValidationError> errors) {
    if (reply.isEmpty()) {
      errors.add(new ValidationError(path, "empty"));
      return;
    }
    if (reply.get(0).role() != Role.ASSISTANT) {
      errors.add(
          new ValidationError(
              path + "[0].role", "expected an assistant reply, found " + reply.get(0).role()));
    }
    for (int i = 0; i < reply.size(); i++) {
      seq.add(reply.get(i), path + "[" + i + "]");
    }
  }

  /** Checks messages one after another, keeping the context that ordering rules need. */
  private final class Seq {
    private final List<ValidationError> errors;
    private int count;
    private Role previous;
    private Set<String> openCalls = new HashSet<>();

    Seq(List<ValidationError> errors) {
      this.errors = errors;
    }

    Seq copy() {
      Seq s = new Seq(errors);
      s.count = count;
      s.previous = previous;
      s.openCalls = new HashSet<>(openCalls);
      return s;
    }

    void add(Message m, String path) {
      checkMessage(m, path);
      Role role = m.role();
      if (role == Role.SYSTEM && count > 0 && systemOnlyFirst) {
        errors.add(new ValidationError(path + ".role", "system message after the first turn"));
      }
      if (requireAlternation && previous != null && role == previous && role != Role.TOOL) {
        errors.add(new ValidationError(path + ".role", "two " + role + " messages in a row"));
      }
      if (requireAlternation
          && role == Role.TOOL
          && previous != Role.ASSISTANT
          && previous != Role.TOOL) {
        errors.add(
            new ValidationError(path + ".role", "a tool message must follow an assistant call"));
      }
      if (requireToolCallIds) {
        for (ToolCall c : m.toolCalls()) {
          if (c.id() != null) {
            openCalls.add(c.id());
          }
        }
        if (role == Role.TOOL && m.toolCallId() != null && !openCalls.remove(m.toolCallId())) {
          errors.add(
              new ValidationError(
                  path + ".tool_call_id",
                  "no earlier unanswered tool call has id '" + m.toolCallId() + "'"));
        }
      }
      previous = role;
      count++;
    }

    private void checkMessage(Message m, String path) {
      boolean callsOnly = m.role() == Role.ASSISTANT && !m.toolCalls().isEmpty();
      if (m.content() == null) {
        if (!callsOnly) {
          errors.add(new ValidationError(path + ".content", "missing"));
        }
      } else if (m.content().isBlank() && !allowEmptyContent && !callsOnly) {
        errors.add(new ValidationError(path + ".content", "empty"));
      }
      if (!m.toolCalls().isEmpty() && m.role() != Role.ASSISTANT) {
        errors.add(new ValidationError(path + ".tool_calls", "only assistant messages call tools"));
      }
      if (m.toolCallId() != null && m.role() != Role.TOOL) {
        errors.add(
            new ValidationError(path + ".tool_call_id", "only tool messages answer a tool call"));
      }
      if (m.role() == Role.TOOL && m.toolCallId() == null && requireToolCallIds) {
        errors.add(new ValidationError(path + ".tool_call_id", "missing"));
      }
      for (int j = 0; j < m.toolCalls().size(); j++) {
        ToolCall c = m.toolCalls().get(j);
        String cp = path + ".tool_calls[" + j + "]";
        if (c.name().isBlank()) {
          errors.add(new ValidationError(cp + ".function.name", "empty"));
        }
        JsonNode args = Json.tryParse(c.arguments());
        if (args == null || !args.isObject()) {
          errors.add(
              new ValidationError(
                  cp + ".function.arguments", "not a JSON object: " + abbreviate(c.arguments())));
        }
        if (c.id() == null && requireToolCallIds) {
          errors.add(new ValidationError(cp + ".id", "missing"));
        }
      }
    }
  }

  private static String abbreviate(String s) {
    return s.length() <= 60 ? "'" + s + "'" : "'" + s.substring(0, 57) + "...'";
  }

  /** Builds a {@link Validator}; starts from the {@link #standard()} rules. Not thread-safe. */
  public static final class Builder {
    private boolean requireFinalAssistant = true;
    private boolean allowEmptyContent;
    private boolean systemOnlyFirst = true;
    private boolean requireAlternation;
    private boolean requireToolCallIds;

    private Builder() {}

    /** SFT conversations must end with an assistant message. Default true. */
    public Builder requireFinalAssistant(boolean value) {
      this.requireFinalAssistant = value;
      return this;
    }

    /** Accept empty or blank content. Default false: empty content is reported. */
    public Builder allowEmptyContent(boolean value) {
      this.allowEmptyContent = value;
      return this;
    }

    /** A system message may only be the first turn. Default true. */
    public Builder systemOnlyFirst(boolean value) {
      this.systemOnlyFirst = value;
      return this;
    }

    /** User and assistant turns must alternate (tool results excepted). Default false. */
    public Builder requireAlternation(boolean value) {
      this.requireAlternation = value;
      return this;
    }

    /**
     * Tool calls must have ids, and every tool message must answer an earlier, unanswered call by
     * id. Default false.
     */
    public Builder requireToolCallIds(boolean value) {
      this.requireToolCallIds = value;
      return this;
    }

    /** The validator. */
    public Validator build() {
      return new Validator(this);
    }
  }
}
