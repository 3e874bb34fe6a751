package io.sygra.llm;

import io.sygra.core.ConfigurationException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A set of {@link Tool}s by unique name, in the order registered. Immutable and thread-safe; {@link
 * #with(Tool)} returns a new registry.
 */
public final class ToolRegistry {
  private static final ToolRegistry EMPTY = new ToolRegistry(Map.of());

  private final Map<String, Tool> tools;

  private ToolRegistry(Map<String, Tool> tools) {
    this.tools = tools;
  }

  /** A registry with no tools. */
  public static ToolRegistry empty() {
    return EMPTY;
  }

  /**
   * A registry of {@code tools}.
   *
   * @throws ConfigurationException when two tools share a name
   */
  public static ToolRegistry of(Tool... tools) {
    return of(List.of(tools));
  }

  /**
   * A registry of {@code tools}.
   *
   * @throws ConfigurationException when two tools share a name
   */
  public static ToolRegistry of(Collection<Tool> tools) {
    ToolRegistry r = EMPTY;
    for (Tool t : tools) {
      r = r.with(t);
    }
    return r;
  }

  /**
   * A registry with {@code tool} added.
   *
   * @throws ConfigurationException when a tool of that name is already registered
   */
  public ToolRegistry with(Tool tool) {
    Objects.requireNonNull(tool, "tool");
    ConfigurationException.check(
        !tools.containsKey(tool.name()),
        "tools",
        "a tool named '" + tool.name() + "' is already registered");
    Map<String, Tool> copy = new LinkedHashMap<>(tools);
    copy.put(tool.name(), tool);
    return new ToolRegistry(Collections.unmodifiableMap(copy));
  }

  /** The tool called {@code name}, if registered. */
  public Optional<Tool> find(String name) {
    return Optional.ofNullable(tools.get(name));
  }

  /** The registered names, in order. */
  public Set<String> names() {
    return tools.keySet();
  }

  /** The tools, in order. */
  public List<Tool> tools() {
    return List.copyOf(tools.values());
  }

  /** The definitions sent to the model, in order. */
  public List<ToolDefinition> definitions() {
    List<ToolDefinition> defs = new ArrayList<>(tools.size());
    tools.values().forEach(t -> defs.add(t.definition()));
    return defs;
  }

  /** True when no tool is registered. */
  public boolean isEmpty() {
    return tools.isEmpty();
  }

  @Override
  public String toString() {
    return "ToolRegistry" + tools.keySet();
  }
}
