package io.sygra.core;

import java.util.List;
import java.util.Objects;

/**
 * What a {@link Node} produced for one record: the next state, several states (fan-out), or a drop
 * with a reason.
 */
public sealed interface NodeResult {

  /** Continue with {@code state}. */
  static NodeResult of(State state) {
    return new Next(state);
  }

  /**
   * Replace the record with {@code states}, each continuing on its own from the next node with the
   * lineage id {@code parentId/i}. An empty list drops the record.
   */
  static NodeResult fanOut(List<State> states) {
    return new FanOut(states);
  }

  /** Drop the record; it is written to {@code dropped.jsonl} with {@code reason}. */
  static NodeResult drop(String reason) {
    return new Drop(reason);
  }

  /** The record continues with this state. */
  record Next(State state) implements NodeResult {
    public Next {
      Objects.requireNonNull(state, "state");
    }
  }

  /** The record becomes several records. */
  record FanOut(List<State> states) implements NodeResult {
    public FanOut {
      states = List.copyOf(states);
    }
  }

  /** The record is dropped. */
  record Drop(String reason) implements NodeResult {
    public Drop {
      Objects.requireNonNull(reason, "reason");
      if (reason.isBlank()) {
        throw new IllegalArgumentException("a drop needs a non-blank reason");
      }
    }
  }
}
