package io.sygra.llm;

import io.sygra.core.ConfigurationException;
import java.time.Duration;

/**
 * Transport settings shared by the HTTP model clients: timeouts, how many exchanges may run at
 * once, and the connection pool. Immutable; build with {@link #builder()}, derive with {@link
 * #newBuilder()}. Defaults suit LLM calls, which can take minutes:
 *
 * <ul>
 *   <li>connect timeout 10 s, write timeout 60 s;
 *   <li>read timeout 5 min (the longest silence between two bytes; a non-streamed reasoning reply
 *       may think that long before its first byte);
 *   <li>call timeout 10 min (the whole exchange; {@link ChatRequest#timeout()} overrides it per
 *       call);
 *   <li>up to 256 exchanges at once per client (OkHttp's dispatcher limit, per host too), 64 idle
 *       connections kept alive 5 min. HTTP/2 is used where the server offers it.
 * </ul>
 */
public final class HttpOptions {
  private static final HttpOptions DEFAULTS = new Builder().build();

  private final Duration connectTimeout;
  private final Duration readTimeout;
  private final Duration writeTimeout;
  private final Duration callTimeout;
  private final int maxConcurrentRequests;
  private final int maxIdleConnections;
  private final Duration keepAlive;

  private HttpOptions(Builder b) {
    connectTimeout = b.connectTimeout;
    readTimeout = b.readTimeout;
    writeTimeout = b.writeTimeout;
    callTimeout = b.callTimeout;
    maxConcurrentRequests = b.maxConcurrentRequests;
    maxIdleConnections = b.maxIdleConnections;
    keepAlive = b.keepAlive;
  }

  /** The defaults listed above. */
  public static HttpOptions defaults() {
    return DEFAULTS;
  }

  /** A builder with the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder initialised with these values. */
  public Builder newBuilder() {
    return new Builder(this);
  }

  /** Time allowed to establish a connection. */
  public Duration connectTimeout() {
    return connectTimeout;
  }

  /** Longest silence between two bytes of a response. */
  public Duration readTimeout() {
    return readTimeout;
  }

  /** Longest stall while sending a request. */
  public Duration writeTimeout() {
    return writeTimeout;
  }

  /** Limit on a whole exchange unless the request sets its own timeout. */
  public Duration callTimeout() {
    return callTimeout;
  }

  /** Exchanges that may run at once, in total and per host. */
  public int maxConcurrentRequests() {
    return maxConcurrentRequests;
  }

  /** Idle connections kept in the pool. */
  public int maxIdleConnections() {
    return maxIdleConnections;
  }

  /** How long an idle connection stays pooled. */
  public Duration keepAlive() {
    return keepAlive;
  }

  @Override
  public String toString() {
    return "HttpOptions[connect="
        + connectTimeout
        + ", read="
        + readTimeout
        + ", write="
        + writeTimeout
        + ", call="
        + callTimeout
        + ", maxConcurrentRequests="
        + maxConcurrentRequests
        + ", maxIdleConnections="
        + maxIdleConnections
        + ", keepAlive="
        + keepAlive
        + "]";
  }

  /** Builds {@link HttpOptions}; every setter validates at once. Not thread-safe. */
  public static final class Builder {
    private Duration connectTimeout = Duration.ofSeconds(10);
    private Duration readTimeout = Duration.ofMinutes(5);
    private Duration writeTimeout = Duration.ofSeconds(60);
    private Duration callTimeout = Duration.ofMinutes(10);
    private int maxConcurrentRequests = 256;
    private int maxIdleConnections = 64;
    private Duration keepAlive = Duration.ofMinutes(5);

    private Builder() {}

    private Builder(HttpOptions o) {
      connectTimeout = o.connectTimeout;
      readTimeout = o.readTimeout;
      writeTimeout = o.writeTimeout;
      callTimeout = o.callTimeout;
      maxConcurrentRequests = o.maxConcurrentRequests;
      maxIdleConnections = o.maxIdleConnections;
      keepAlive = o.keepAlive;
    }

    /** Time to establish a TCP/TLS connection; positive. */
    public Builder connectTimeout(Duration d) {
      connectTimeout = positive("connectTimeout", d);
      return this;
    }

    /** Longest silence between two bytes of a response; positive. */
    public Builder readTimeout(Duration d) {
      readTimeout = positive("readTimeout", d);
      return this;
    }

    /** Longest stall while sending the request; positive. */
    public Builder writeTimeout(Duration d) {
      writeTimeout = positive("writeTimeout", d);
      return this;
    }

    /** Limit on a whole exchange, from sending to the last byte; positive. */
    public Builder callTimeout(Duration d) {
      callTimeout = positive("callTimeout", d);
      return this;
    }

    /** Exchanges that may run at once (in total and per host); 1 to 100000. */
    public Builder maxConcurrentRequests(int n) {
      ConfigurationException.check(
          n >= 1 && n <= 100_000, "maxConcurrentRequests", "must be in [1, 100000], was " + n);
      maxConcurrentRequests = n;
      return this;
    }

    /** Idle connections kept in the pool; 0 to 100000. */
    public Builder maxIdleConnections(int n) {
      ConfigurationException.check(
          n >= 0 && n <= 100_000, "maxIdleConnections", "must be in [0, 100000], was " + n);
      maxIdleConnections = n;
      return this;
    }

    /** How long an idle connection stays in the pool; positive. */
    public Builder keepAlive(Duration d) {
      keepAlive = positive("keepAlive", d);
      return this;
    }

    /** Builds the options. */
    public HttpOptions build() {
      return new HttpOptions(this);
    }

    private static Duration positive(String field, Duration d) {
      ConfigurationException.check(d != null, field, "must not be null");
      ConfigurationException.check(
          !d.isNegative() && !d.isZero(), field, "must be positive, was " + d);
      return d;
    }
  }
}
