package io.sygra.schema;

import java.util.Locale;

/**
 * The author of a chat {@link Message}. The wire names are the OpenAI/TRL role strings; format
 * adapters map their own vocabularies onto these (ShareGPT {@code human} → {@link #USER}, OASST
 * {@code prompter} → {@link #USER}, and so on).
 */
public enum Role {
  /** Instructions that frame the conversation; normally only the first message. */
  SYSTEM("system"),
  /** The human side: questions, instructions, follow-ups. */
  USER("user"),
  /** The model side: the training targets of SFT and the chosen/rejected replies of DPO. */
  ASSISTANT("assistant"),
  /** The result of a tool call, answering an assistant message's {@link ToolCall}. */
  TOOL("tool");

  private final String wireName;

  Role(String wireName) {
    this.wireName = wireName;
  }

  /** The role string used by OpenAI and TRL records: {@code system}, {@code user}, ... */
  public String wireName() {
    return wireName;
  }

  /**
   * Parses a wire name (case-insensitive).
   *
   * @return the role, or {@code null} when {@code name} is null or not one of the four wire names
   */
  public static Role fromWireName(String name) {
    if (name == null) {
      return null;
    }
    switch (name) {
      case "system":
        return SYSTEM;
      case "user":
        return USER;
      case "assistant":
        return ASSISTANT;
      case "tool":
        return TOOL;
      default:
        String lower = name.toLowerCase(Locale.ROOT);
        return lower.equals(name) ? null : fromWireName(lower);
    }
  }

  @Override
  public String toString() {
    return wireName;
  }
}
