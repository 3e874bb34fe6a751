package io.sygra.core;

/**
 * Chooses the next node for a conditional edge: returns a node name or {@link Graph#END}. Must be
 * fast, side-effect free and thread-safe; it runs once per visit.
 */
@FunctionalInterface
public interface Router {
  String route(State state);
}
