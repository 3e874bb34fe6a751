package io.sygra.schema;

import java.util.Map;

/**
 * A training example in the format-neutral model: an SFT {@link Conversation} or a {@link
 * Preference} (a DPO pair or a KTO example). Readers produce examples, writers consume them.
 */
public sealed interface Example permits Conversation, Preference {
  /**
   * Free-form JSON-compatible data carried along with the example (source ids, OASST ranks and
   * labels, quality tags). Never null; unmodifiable.
   */
  Map<String, Object> metadata();

  /**
   * Tool (function) definitions available in the example, each a JSON-schema function object {@code
   * {name, description, parameters}} (not wrapped in {@code {type, function}}). Never null.
   */
  java.util.List<Map<String, Object>> tools();

  /** A copy of this example with other metadata. */
  Example withMetadata(Map<String, ?> metadata);
}
