package io.sygra.schema;

import io.sygra.core.ConfigurationException;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The record formats SyGra reads and writes, by their command-line names. Field names follow each
 * format exactly; see the module README for the field table.
 */
public enum Format {
  /** OpenAssistant message trees: tree exports, bare prompt nodes, Hugging Face flat rows. Read. */
  OASST("oasst", Kind.TREES, true, false),
  /** SyGra's flat message rows (conversation_id, message_id, parent_id, ...). Read and write. */
  SYGRA_OASST("sygra-oasst", Kind.MIXED, true, true),
  /** TRL conversational language modeling: {@code {"messages": [...]}}. */
  TRL_SFT("trl-sft", Kind.SFT, true, true),
  /** TRL prompt-completion: {@code {"prompt": [...], "completion": [...]}} (or strings). */
  TRL_PROMPT_COMPLETION("trl-prompt-completion", Kind.SFT, true, true),
  /** ShareGPT {@code conversations} of {@code {from, value}} turns, with optional tools. */
  SHAREGPT("sharegpt", Kind.SFT, true, true),
  /** Alpaca {@code instruction/input/output} with optional {@code system} and {@code history}. */
  ALPACA("alpaca", Kind.SFT, true, true),
  /** OpenAI chat fine-tuning JSONL, including {@code tools} and {@code tool_calls}. */
  OPENAI_CHAT("openai-chat", Kind.SFT, true, true),
  /** TRL preference, conversational with explicit prompt; reads implicit and string forms too. */
  TRL_DPO("trl-dpo", Kind.PREFERENCE, true, true),
  /** OpenAI preference fine-tuning: {@code input, preferred_output, non_preferred_output}. */
  OPENAI_PREFERENCE("openai-preference", Kind.PREFERENCE, true, true),
  /** Anthropic HH-RLHF transcripts {@code {"chosen": str, "rejected": str}}. Read. */
  HH_RLHF("hh-rlhf", Kind.PREFERENCE, true, false),
  /** LLaMA-Factory ShareGPT preference rows with single chosen/rejected turns. Read. */
  LLAMAFACTORY_DPO("llamafactory-dpo", Kind.PREFERENCE, true, false),
  /**
   * TRL unpaired preference {@code prompt, completion, label}; reads LLaMA-Factory messages+label.
   */
  KTO("kto", Kind.UNPAIRED, true, true);

  /** What kind of examples a format holds. */
  public enum Kind {
    /** SFT conversations. */
    SFT,
    /** DPO pairs. */
    PREFERENCE,
    /** KTO examples (one completion with a desirability label). */
    UNPAIRED,
    /** Message trees, turned into SFT conversations or DPO pairs on conversion. */
    TREES,
    /** Per record either an SFT conversation or a DPO pair. */
    MIXED
  }

  private final String cliName;
  private final Kind kind;
  private final boolean readable;
  private final boolean writable;

  Format(String cliName, Kind kind, boolean readable, boolean writable) {
    this.cliName = cliName;
    this.kind = kind;
    this.readable = readable;
    this.writable = writable;
  }

  /** The name used by {@code --from} / {@code --to}, e.g. {@code trl-dpo}. */
  public String cliName() {
    return cliName;
  }

  /** What kind of examples the format holds. */
  public Kind kind() {
    return kind;
  }

  /** True when SyGra can read the format. */
  public boolean canRead() {
    return readable;
  }

  /** True when SyGra can write the format. */
  public boolean canWrite() {
    return writable;
  }

  /**
   * The format with the given command-line name (case-insensitive; underscores accepted for
   * dashes).
   *
   * @throws ConfigurationException listing the valid names when {@code name} is unknown
   */
  public static Format parse(String name) {
    if (name != null) {
      String n = name.trim().toLowerCase(Locale.ROOT).replace('_', '-');
      for (Format f : values()) {
        if (f.cliName.equals(n)) {
          return f;
        }
      }
    }
    throw new ConfigurationException(
        "format", "unknown format '" + name + "'; valid formats: " + names(true, true));
  }

  /** The command-line names of the formats that can be read ({@code read}) and/or written. */
  public static String names(boolean read, boolean write) {
    return Arrays.stream(values())
        .filter(f -> (read && f.readable) || (write && f.writable))
        .map(Format::cliName)
        .collect(Collectors.joining(", "));
  }

  @Override
  public String toString() {
    return cliName;
  }
}
