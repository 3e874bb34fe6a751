package io.sygra.samples;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builders for the TRL records the samples write, with fields in the order trainers show them. */
final class SampleRecords {
  private SampleRecords() {}

  /** A chat message {@code {"role": role, "content": content}} (ordered). */
  static Map<String, Object> message(String role, Object content) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("role", role);
    m.put("content", content);
    return m;
  }

  /** A one-turn SFT conversation: the user's text and the assistant's reply. */
  static List<Map<String, Object>> exchange(String user, String assistant) {
    return List.of(message("user", user), message("assistant", assistant));
  }
}
