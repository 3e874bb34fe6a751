package io.sygra.schema;

import java.util.Objects;

/**
 * A function call made by an assistant {@link Message}.
 *
 * <p>{@code arguments} is kept as JSON text, the way OpenAI records store it; formats that store an
 * object (TRL, ShareGPT/Glaive) are converted on read and write. The text is not required to be
 * valid JSON here: {@link Validator} reports that, so bad input is never rejected silently.
 *
 * @param id the call id, linking it to the {@link Role#TOOL} message that answers it; {@code null}
 *     when the source format has none (an empty id is normalized to {@code null})
 * @param name the function name; never null
 * @param arguments the arguments as JSON text, normally an object such as {@code {"city":"Paris"}};
 *     never null
 */
public record ToolCall(String id, String name, String arguments) {
  /** Validates and normalizes; see the record description. */
  public ToolCall {
    id = id == null || id.isEmpty() ? null : id;
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(arguments, "arguments");
  }

  /** A call without an id. */
  public static ToolCall of(String name, String arguments) {
    return new ToolCall(null, name, arguments);
  }

  /** A copy of this call with another id. */
  public ToolCall withId(String newId) {
    return new ToolCall(newId, name, arguments);
  }
}
