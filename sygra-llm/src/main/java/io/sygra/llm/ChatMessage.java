package io.sygra.llm;

import java.util.List;
import java.util.Objects;

/**
 * One chat message. Content is a list of parts (text, images); most messages have a single text
 * part, built with {@link #user(String)} and friends. Assistant messages may carry tool calls; tool
 * messages answer one call by {@code toolCallId}.
 *
 * @param role who speaks
 * @param content the parts; empty for an assistant message that only calls tools
 * @param name optional participant or tool name (may be null)
 * @param toolCalls calls requested by an assistant message (never null)
 * @param toolCallId for {@link Role#TOOL} messages: the call answered (null otherwise)
 */
public record ChatMessage(
    Role role,
    List<ContentPart> content,
    String name,
    List<ToolCall> toolCalls,
    String toolCallId) {

  /** Message roles, with their wire names. */
  public enum Role {
    SYSTEM("system"),
    DEVELOPER("developer"),
    USER("user"),
    ASSISTANT("assistant"),
    TOOL("tool");

    private final String wire;

    Role(String wire) {
      this.wire = wire;
    }

    /** The lower-case name used on the wire. */
    public String wireName() {
      return wire;
    }

    /**
     * Parses a wire name (case-insensitive).
     *
     * @throws IllegalArgumentException naming the value and the accepted ones
     */
    public static Role parse(String s) {
      for (Role r : values()) {
        if (r.wire.equalsIgnoreCase(s)) {
          return r;
        }
      }
      throw new IllegalArgumentException(
          "unknown role '" + s + "'; expected one of system, developer, user, assistant, tool");
    }
  }

  public ChatMessage {
    Objects.requireNonNull(role, "role");
    content = content == null ? List.of() : List.copyOf(content);
    toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
    if (role == Role.TOOL && (toolCallId == null || toolCallId.isEmpty())) {
      throw new IllegalArgumentException("a tool message needs the toolCallId it answers");
    }
  }

  public static ChatMessage system(String text) {
    return of(Role.SYSTEM, text);
  }

  public static ChatMessage user(String text) {
    return of(Role.USER, text);
  }

  public static ChatMessage assistant(String text) {
    return of(Role.ASSISTANT, text);
  }

  /** An assistant message that requests tool calls (with optional text). */
  public static ChatMessage assistant(String text, List<ToolCall> toolCalls) {
    return new ChatMessage(
        Role.ASSISTANT,
        text == null ? List.of() : List.of(new ContentPart.Text(text)),
        null,
        toolCalls,
        null);
  }

  /** The result of one tool call. */
  public static ChatMessage tool(String toolCallId, String name, String result) {
    return new ChatMessage(
        Role.TOOL, List.of(new ContentPart.Text(result)), name, List.of(), toolCallId);
  }

  /** A single-text-part message. */
  public static ChatMessage of(Role role, String text) {
    return new ChatMessage(
        role,
        List.of(new ContentPart.Text(Objects.requireNonNull(text, "text"))),
        null,
        null,
        null);
  }

  /** The concatenated text parts, or {@code null} when there are none. */
  public String text() {
    StringBuilder sb = null;
    for (ContentPart p : content) {
      if (p instanceof ContentPart.Text t) {
        if (sb == null) {
          sb = new StringBuilder();
        }
        sb.append(t.text());
      }
    }
    return sb == null ? null : sb.toString();
  }

  /** True when some part is not text (an image). */
  public boolean isMultimodal() {
    for (ContentPart p : content) {
      if (!(p instanceof ContentPart.Text)) {
        return true;
      }
    }
    return false;
  }
}
