package io.sygra.benchmarks.fake;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * What the fake server does instead of a normal reply. Combine with a rate in {@link FaultConfig},
 * use in {@link FailFirst}, or force one on a single request with the header {@value
 * FakeLlmServer#FORCE_FAULT_HEADER} (values as accepted by {@link #parse(String)}).
 */
public sealed interface Fault {

  /** The category this fault is counted under. */
  FaultKind kind();

  /**
   * HTTP 429, sent at once (no latency, no capacity slot), with {@code Retry-After} in whole
   * seconds (rounded up) and {@code retry-after-ms} with the exact value.
   *
   * @param retryAfter the advertised wait; zero or positive
   */
  record RateLimited(Duration retryAfter) implements Fault {
    /** Validates the wait. */
    public RateLimited {
      Validation.nonNegative("retryAfter", retryAfter);
    }

    @Override
    public FaultKind kind() {
      return FaultKind.RATE_LIMITED;
    }
  }

  /**
   * An HTTP 5xx error with an OpenAI-style error body, sent after the request's latency.
   *
   * @param status 500 to 599
   */
  record ServerError(int status) implements Fault {
    /** Validates the status. */
    public ServerError {
      if (status < 500 || status > 599) {
        throw new IllegalArgumentException("status must be 500..599 but was " + status);
      }
    }

    @Override
    public FaultKind kind() {
      return FaultKind.SERVER_ERROR;
    }
  }

  /**
   * The request is read and never answered; the connection stays open until the client gives up. It
   * holds a capacity slot until then.
   */
  record Hang() implements Fault {
    @Override
    public FaultKind kind() {
      return FaultKind.TIMEOUT;
    }
  }

  /**
   * The normal reply, but only after {@code delay} on top of the request's latency, so that a
   * client's read timeout fires first.
   *
   * @param delay the extra delay; positive
   */
  record LateAnswer(Duration delay) implements Fault {
    /** Validates the delay. */
    public LateAnswer {
      Validation.positive("delay", delay);
    }

    @Override
    public FaultKind kind() {
      return FaultKind.TIMEOUT;
    }
  }

  /** The connection is reset (RST, {@code SO_LINGER 0}) right after the request is read. */
  record ConnectionReset() implements Fault {
    @Override
    public FaultKind kind() {
      return FaultKind.CONNECTION_RESET;
    }
  }

  /**
   * A 200 reply whose body is cut in half: a truncated JSON document, or for streaming requests a
   * truncated {@code data:} event followed by {@code data: [DONE]}.
   */
  record MalformedJson() implements Fault {
    @Override
    public FaultKind kind() {
      return FaultKind.MALFORMED_JSON;
    }
  }

  /**
   * The normal reply, but only its headers go out after the latency; the body follows in {@code
   * pieces} parts, each {@code interval} after the previous one.
   *
   * @param interval the pause between parts; positive
   * @param pieces the number of parts, at least 2
   */
  record SlowBody(Duration interval, int pieces) implements Fault {
    /** Validates the interval and piece count. */
    public SlowBody {
      Validation.positive("interval", interval);
      if (pieces < 2) {
        throw new IllegalArgumentException("pieces must be >= 2 but was " + pieces);
      }
    }

    @Override
    public FaultKind kind() {
      return FaultKind.SLOW_BODY;
    }
  }

  /** A 429 with the given advertised wait. */
  static Fault rateLimited(Duration retryAfter) {
    return new RateLimited(retryAfter);
  }

  /** A 5xx error with the given status. */
  static Fault serverError(int status) {
    return new ServerError(status);
  }

  /** A request that is never answered. */
  static Fault hang() {
    return new Hang();
  }

  /** A reply delayed by {@code delay} beyond the latency. */
  static Fault lateAnswer(Duration delay) {
    return new LateAnswer(delay);
  }

  /** A connection reset after the request is read. */
  static Fault connectionReset() {
    return new ConnectionReset();
  }

  /** A 200 reply with a truncated body. */
  static Fault malformedJson() {
    return new MalformedJson();
  }

  /** A reply whose body arrives in {@code pieces} parts, {@code interval} apart. */
  static Fault slowBody(Duration interval, int pieces) {
    return new SlowBody(interval, pieces);
  }

  /**
   * Parses a fault from its short name, as used on the command line and in the {@value
   * FakeLlmServer#FORCE_FAULT_HEADER} header: {@code 429} or {@code 429:<duration>} (Retry-After,
   * default 1s), a 5xx status such as {@code 500} or {@code 503}, {@code hang}, {@code
   * late:<duration>}, {@code reset}, {@code malformed}, {@code slow} or {@code
   * slow:<interval>:<pieces>} (default 50ms and 4). Durations use the forms of {@link
   * Durations#parse(String)}.
   *
   * @throws IllegalArgumentException naming the text when it is not a known fault
   */
  static Fault parse(String text) {
    Objects.requireNonNull(text, "text");
    String[] parts = text.trim().toLowerCase(Locale.ROOT).split(":", -1);
    try {
      switch (parts[0]) {
        case "429":
          return rateLimited(parts.length > 1 ? Durations.parse(parts[1]) : Duration.ofSeconds(1));
        case "hang":
        case "timeout":
          return parts.length > 1 ? lateAnswer(Durations.parse(parts[1])) : hang();
        case "late":
          return lateAnswer(Durations.parse(parts[1]));
        case "reset":
          return connectionReset();
        case "malformed":
          return malformedJson();
        case "slow":
          return slowBody(
              parts.length > 1 ? Durations.parse(parts[1]) : Duration.ofMillis(50),
              parts.length > 2 ? Integer.parseInt(parts[2]) : 4);
        default:
          return serverError(Integer.parseInt(parts[0]));
      }
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          "fault must be one of 429[:retryAfter], 5xx, hang, late:<delay>, reset, malformed,"
              + " slow[:<interval>:<pieces>] but was '"
              + text
              + "'",
          e);
    }
  }
}
