package io.sygra.llm.internal;

import java.util.List;

/**
 * The fixed texts the nodes add to conversations. The simulated model recognises {@link
 * #SCHEMA_MARKER} to answer format instructions with conforming JSON, so keep the two in step.
 */
public final class ReplyPrompts {
  private ReplyPrompts() {}

  /** Precedes the fenced JSON schema in format instructions. */
  public static final String SCHEMA_MARKER = "JSON schema for the reply:";

  /** Instructions asking for JSON matching {@code schemaJson} (pretty-printed schema). */
  public static String formatInstructions(String schemaJson) {
    return "Reply with a single JSON object that conforms to the JSON schema below. Write only the"
        + " JSON: no explanation and no code fences.\n"
        + SCHEMA_MARKER
        + "\n```json\n"
        + schemaJson
        + "\n```";
  }

  /** The user turn that re-asks after an unusable reply. */
  public static String reask(List<String> problems) {
    return "Your previous reply could not be used: "
        + String.join("; ", problems)
        + ". Reply again with only the corrected JSON object, conforming to the schema.";
  }
}
