package io.sygra.llm;

import java.util.Map;
import java.util.Objects;

/**
 * A function the model may call.
 *
 * @param name function name ({@code [A-Za-z0-9_-]{1,64}})
 * @param description what it does, for the model
 * @param parameters JSON schema of the arguments object
 * @param strict ask the server to enforce the schema exactly, where supported
 */
public record ToolDefinition(
    String name, String description, Map<String, Object> parameters, boolean strict) {
  public ToolDefinition {
    Objects.requireNonNull(name, "name");
    if (!name.matches("[A-Za-z0-9_-]{1,64}")) {
      throw new IllegalArgumentException("tool name '" + name + "' must match [A-Za-z0-9_-]{1,64}");
    }
    description = description == null ? "" : description;
    parameters = parameters == null ? Map.of("type", "object") : Map.copyOf(parameters);
  }
}
