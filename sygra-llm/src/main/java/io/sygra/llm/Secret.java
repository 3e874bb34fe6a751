package io.sygra.llm;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/**
 * An API key or token. {@link #toString()} is always {@code ***}, so a secret printed by accident,
 * logged, or caught in an exception message reveals nothing. Only transport code calls {@link
 * #reveal()}, to set a request header.
 *
 * <p>Immutable and thread-safe. Equality compares the values in constant time.
 */
public final class Secret {
  private final String value;
  private final String fingerprint;

  private Secret(String value) {
    this.value = value;
    this.fingerprint = sha256(value).substring(0, 16);
  }

  /**
   * Wraps a secret value.
   *
   * @throws IllegalArgumentException when the value is null, blank, or contains whitespace or
   *     control characters (which would corrupt an HTTP header); the message never contains the
   *     value
   */
  public static Secret of(String value) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("secret must not be blank");
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (Character.isWhitespace(c) || Character.isISOControl(c)) {
        throw new IllegalArgumentException(
            "secret contains whitespace or a control character at index " + i);
      }
    }
    return new Secret(value);
  }

  /** The secret value itself. Never log or store it. */
  public String reveal() {
    return value;
  }

  /**
   * A one-way fingerprint (the first 16 hex digits of the value's SHA-256), used to share rate
   * budgets between clients holding the same key. Not reversible, yet keep it out of reports too.
   */
  public String fingerprint() {
    return fingerprint;
  }

  /** Replaces every occurrence of this secret in {@code text} with {@code ***}. Null-safe. */
  public String redact(String text) {
    return text == null ? null : text.replace(value, "***");
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Secret s
        && MessageDigest.isEqual(
            value.getBytes(StandardCharsets.UTF_8), s.value.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public int hashCode() {
    return Objects.hashCode(fingerprint);
  }

  /** Always {@code ***}. */
  @Override
  public String toString() {
    return "***";
  }

  private static String sha256(String s) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }
}
