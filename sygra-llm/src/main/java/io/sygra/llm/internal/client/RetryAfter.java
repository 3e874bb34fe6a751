package io.sygra.llm.internal.client;

import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.Headers;

/**
 * Reads how long a server asks a client to wait, from the headers of an error response. Only
 * consulted for error statuses: a {@code retry-after} on a 200 (Hugging Face sends one) means
 * nothing.
 *
 * <p>Order: {@code retry-after-ms}, {@code retry-after} (seconds or HTTP date), OpenAI/Groq {@code
 * x-ratelimit-reset-requests|tokens} (durations like {@code 1m30s}, {@code 20ms}; the one whose
 * {@code x-ratelimit-remaining-*} is 0 wins, else the shortest), Anthropic {@code
 * anthropic-ratelimit-*-reset} (RFC 3339 instants).
 */
public final class RetryAfter {
  private RetryAfter() {}

  private static final Pattern GO_DURATION =
      Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|h|m|s)", Pattern.CASE_INSENSITIVE);

  /** The wait asked for, or null when the headers do not say. Never negative. */
  public static Duration parse(Headers headers, Clock clock) {
    Duration d = millis(headers.get("retry-after-ms"));
    if (d != null) {
      return d;
    }
    d = retryAfter(headers.get("retry-after"), clock);
    if (d != null) {
      return d;
    }
    d = openAiReset(headers);
    if (d != null) {
      return d;
    }
    return anthropicReset(headers, clock);
  }

  static Duration millis(String v) {
    if (v == null) {
      return null;
    }
    try {
      double ms = Double.parseDouble(v.trim());
      return ms >= 0 && Double.isFinite(ms) ? Duration.ofNanos((long) (ms * 1_000_000)) : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  static Duration retryAfter(String v, Clock clock) {
    if (v == null || v.isBlank()) {
      return null;
    }
    String s = v.trim();
    try {
      double seconds = Double.parseDouble(s);
      return seconds >= 0 && Double.isFinite(seconds)
          ? Duration.ofNanos((long) (seconds * 1_000_000_000L))
          : null;
    } catch (NumberFormatException notSeconds) {
      try {
        ZonedDateTime at = ZonedDateTime.parse(s, DateTimeFormatter.RFC_1123_DATE_TIME);
        Duration wait = Duration.between(clock.instant(), at.toInstant());
        return wait.isNegative() ? Duration.ZERO : wait;
      } catch (DateTimeParseException notDate) {
        return null;
      }
    }
  }

  /**
   * Parses Go-style durations as sent by OpenAI and Groq: {@code 6m0s}, {@code 1.5s}, {@code 20ms}.
   */
  static Duration goDuration(String v) {
    if (v == null || v.isBlank()) {
      return null;
    }
    String s = v.trim().toLowerCase(Locale.ROOT);
    try {
      double seconds = Double.parseDouble(s); // some servers send plain seconds
      return seconds >= 0 ? Duration.ofNanos((long) (seconds * 1e9)) : null;
    } catch (NumberFormatException ignored) {
      // fall through to the unit form
    }
    Matcher m = GO_DURATION.matcher(s);
    double nanos = 0;
    int end = 0;
    while (m.find()) {
      if (m.start() != end) {
        return null;
      }
      end = m.end();
      double n = Double.parseDouble(m.group(1));
      nanos +=
          switch (m.group(2)) {
            case "h" -> n * 3600e9;
            case "m" -> n * 60e9;
            case "s" -> n * 1e9;
            default -> n * 1e6; // ms
          };
    }
    return end == s.length() && end > 0 ? Duration.ofNanos((long) nanos) : null;
  }

  private static Duration openAiReset(Headers h) {
    Duration requests = goDuration(h.get("x-ratelimit-reset-requests"));
    Duration tokens = goDuration(h.get("x-ratelimit-reset-tokens"));
    boolean requestsOut = "0".equals(trim(h.get("x-ratelimit-remaining-requests")));
    boolean tokensOut = "0".equals(trim(h.get("x-ratelimit-remaining-tokens")));
    List<Duration> exhausted = new ArrayList<>();
    if (requestsOut && requests != null) {
      exhausted.add(requests);
    }
    if (tokensOut && tokens != null) {
      exhausted.add(tokens);
    }
    if (!exhausted.isEmpty()) {
      return exhausted.stream().max(Duration::compareTo).orElseThrow();
    }
    if (requests != null && tokens != null) {
      return requests.compareTo(tokens) <= 0 ? requests : tokens;
    }
    return requests != null ? requests : tokens;
  }

  private static Duration anthropicReset(Headers h, Clock clock) {
    Duration best = null;
    for (String name : h.names()) {
      String lower = name.toLowerCase(Locale.ROOT);
      if (lower.startsWith("anthropic-ratelimit-") && lower.endsWith("-reset")) {
        String remaining =
            h.get(lower.substring(0, lower.length() - "reset".length()) + "remaining");
        if (remaining != null && !"0".equals(remaining.trim())) {
          continue;
        }
        try {
          Duration d = Duration.between(clock.instant(), OffsetDateTime.parse(h.get(name).trim()));
          d = d.isNegative() ? Duration.ZERO : d;
          best = best == null || d.compareTo(best) > 0 ? d : best;
        } catch (DateTimeParseException ignored) {
          // not an instant: ignore this header
        }
      }
    }
    return best;
  }

  private static String trim(String s) {
    return s == null ? null : s.trim();
  }
}
