package io.sygra.llm;

import java.util.Objects;

/**
 * A tool call requested by the model.
 *
 * @param id opaque id chosen by the server (may be empty for some servers)
 * @param name the function name
 * @param arguments the arguments as the model wrote them: normally a JSON object in text form, but
 *     not guaranteed to be valid JSON
 */
public record ToolCall(String id, String name, String arguments) {
  public ToolCall {
    id = id == null ? "" : id;
    Objects.requireNonNull(name, "name");
    arguments = arguments == null ? "" : arguments;
  }
}
