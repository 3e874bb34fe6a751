package io.sygra.llm;

import io.sygra.core.ConfigurationException;
import java.util.Map;

/** Reads configuration from environment variables, naming the variable in every error. */
final class Env {
  private final Map<String, String> env;

  Env(Map<String, String> env) {
    this.env = env == null ? Map.of() : env;
  }

  /** The trimmed value of the first variable set to a non-blank value, or null. */
  String get(String... names) {
    for (String n : names) {
      String v = env.get(n);
      if (v != null && !v.isBlank()) {
        return v.trim();
      }
    }
    return null;
  }

  /** The name of the first variable set to a non-blank value, or the first name. */
  String nameOf(String... names) {
    for (String n : names) {
      String v = env.get(n);
      if (v != null && !v.isBlank()) {
        return n;
      }
    }
    return names[0];
  }

  /** A secret from the first variable set, or null; the error never shows the value. */
  Secret secret(String... names) {
    String v = get(names);
    if (v == null) {
      return null;
    }
    try {
      return Secret.of(v);
    } catch (IllegalArgumentException e) {
      throw new ConfigurationException(nameOf(names), e.getMessage());
    }
  }

  /** Re-labels a builder's validation error with the variable it came from. */
  static <T> T from(String variable, java.util.function.Supplier<T> setter) {
    try {
      return setter.get();
    } catch (ConfigurationException e) {
      throw new ConfigurationException(variable, e.getMessage());
    }
  }
}
