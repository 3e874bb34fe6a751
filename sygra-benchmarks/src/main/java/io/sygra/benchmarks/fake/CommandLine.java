package io.sygra.benchmarks.fake;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Parses {@link FakeLlmServer#main} arguments into a builder. */
final class CommandLine {
  static final String USAGE =
      """
      Usage: java -cp <classpath> io.sygra.benchmarks.fake.FakeLlmServer [options]
      Prints its base URL (http://127.0.0.1:PORT/v1) on stdout and runs until killed.

        --port N                 port on 127.0.0.1 (default 0: ephemeral)
        --latency SPEC           20ms | 10ms..50ms | lognormal:<median>:<p99> (default 0)
        --response-tokens N      completion tokens per reply, or MIN..MAX (default 16)
        --max-concurrency N      serve at most N requests at once, queue the rest (default 0: no limit)
        --seed N                 seed of fault and latency draws (default 1)
        --rate-429 R             fraction of requests answered 429 (default 0)
        --retry-after DUR        Retry-After of those 429s (default 1s; retry-after-ms is exact)
        --rate-500 R             fraction answered 500
        --rate-503 R             fraction answered 503
        --rate-timeout R         fraction never answered (or late, see --timeout-after)
        --timeout-after DUR      answer timed-out requests after DUR instead of never
        --rate-reset R           fraction whose connection is reset after the request is read
        --rate-malformed R       fraction answered 200 with truncated JSON
        --rate-slow R            fraction whose body arrives in slow pieces
        --slow-interval DUR      pause between slow pieces (default 100ms)
        --slow-pieces N          number of slow pieces (default 4)
        --fail-first K:FAULT     first K attempts of every record get FAULT (429, 500, reset, ...)
        --window DUR             length of a counting window for /stats (default 60s)
        --record-header NAME     header naming the record of a request (default x-sygra-record-id;
                                 'none' to key records by the last user message only)
        --no-record-tracking     do not count requests per record
        --embedding-dimensions N default embedding size (default 256)
        --model ID               model id for /v1/models (repeatable; default sygra-fake)
        --stream-interval DUR    pause between SSE events (default 0)
        --dead                   answer everything with 500 (flip with POST /admin/dead?enabled=false)
        --help                   this text
      Durations: 20ms, 1.5s, 500us, 2m. Rates are mutually exclusive and must sum to <= 1.
      """;

  /** Thrown for {@code --help}. */
  static final class HelpRequested extends RuntimeException {
    private static final long serialVersionUID = 1L;

    HelpRequested() {
      super("help requested", null, false, false);
    }
  }

  private CommandLine() {}

  static FakeLlmServer.Builder parse(String... args) {
    FakeLlmServer.Builder builder = FakeLlmServer.builder();
    double rate429 = 0;
    double rate500 = 0;
    double rate503 = 0;
    double rateTimeout = 0;
    double rateReset = 0;
    double rateMalformed = 0;
    double rateSlow = 0;
    Duration retryAfter = Duration.ofSeconds(1);
    Duration timeoutAfter = null;
    Duration slowInterval = Duration.ofMillis(100);
    int slowPieces = 4;
    List<String> models = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      String option = args[i];
      String value = null;
      int eq = option.indexOf('=');
      if (option.startsWith("--") && eq > 0) {
        value = option.substring(eq + 1);
        option = option.substring(0, eq);
      }
      switch (option) {
        case "--help", "-h" -> throw new HelpRequested();
        case "--dead" -> builder.dead(true);
        case "--no-record-tracking" -> builder.trackRecords(false);
        default -> {
          if (value == null) {
            if (i + 1 >= args.length) {
              throw new IllegalArgumentException("option " + option + " needs a value");
            }
            value = args[++i];
          }
          switch (option) {
            case "--port" -> builder.port(integer(option, value));
            case "--latency" -> builder.latency(LatencyModel.parse(value));
            case "--response-tokens" -> {
              int range = value.indexOf("..");
              if (range >= 0) {
                builder.responseTokens(
                    integer(option, value.substring(0, range)),
                    integer(option, value.substring(range + 2)));
              } else {
                builder.responseTokens(integer(option, value));
              }
            }
            case "--max-concurrency" -> builder.maxConcurrency(integer(option, value));
            case "--seed" -> builder.seed(longValue(option, value));
            case "--rate-429" -> rate429 = rate(option, value);
            case "--retry-after" -> retryAfter = Durations.parse(value);
            case "--rate-500" -> rate500 = rate(option, value);
            case "--rate-503" -> rate503 = rate(option, value);
            case "--rate-timeout" -> rateTimeout = rate(option, value);
            case "--timeout-after" -> timeoutAfter = Durations.parse(value);
            case "--rate-reset" -> rateReset = rate(option, value);
            case "--rate-malformed" -> rateMalformed = rate(option, value);
            case "--rate-slow" -> rateSlow = rate(option, value);
            case "--slow-interval" -> slowInterval = Durations.parse(value);
            case "--slow-pieces" -> slowPieces = integer(option, value);
            case "--fail-first" -> {
              int colon = value.indexOf(':');
              if (colon < 0) {
                throw new IllegalArgumentException(
                    "--fail-first must look like K:FAULT (e.g. 2:429) but was '" + value + "'");
              }
              builder.failFirst(
                  integer(option, value.substring(0, colon)),
                  Fault.parse(value.substring(colon + 1)));
            }
            case "--window" -> builder.window(Durations.parse(value));
            case "--record-header" ->
                builder.recordHeader(value.equalsIgnoreCase("none") ? null : value);
            case "--embedding-dimensions" -> builder.embeddingDimensions(integer(option, value));
            case "--model" -> models.add(value);
            case "--stream-interval" -> builder.streamInterval(Durations.parse(value));
            default -> throw new IllegalArgumentException("unknown option " + option);
          }
        }
      }
    }
    if (!models.isEmpty()) {
      builder.models(models.toArray(String[]::new));
    }
    List<FaultConfig> faults = new ArrayList<>();
    if (rate429 > 0) {
      faults.add(FaultConfig.rateLimited(rate429, retryAfter));
    }
    if (rate500 > 0) {
      faults.add(FaultConfig.serverError(rate500, 500));
    }
    if (rate503 > 0) {
      faults.add(FaultConfig.serverError(rate503, 503));
    }
    if (rateTimeout > 0) {
      faults.add(
          timeoutAfter == null
              ? FaultConfig.hang(rateTimeout)
              : FaultConfig.lateAnswer(rateTimeout, timeoutAfter));
    }
    if (rateReset > 0) {
      faults.add(FaultConfig.connectionReset(rateReset));
    }
    if (rateMalformed > 0) {
      faults.add(FaultConfig.malformedJson(rateMalformed));
    }
    if (rateSlow > 0) {
      faults.add(FaultConfig.slowBody(rateSlow, slowInterval, slowPieces));
    }
    builder.faults(faults);
    return builder;
  }

  private static int integer(String option, String value) {
    try {
      return Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(option + " must be an integer but was '" + value + "'");
    }
  }

  private static long longValue(String option, String value) {
    try {
      return Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(option + " must be an integer but was '" + value + "'");
    }
  }

  private static double rate(String option, String value) {
    try {
      return Validation.rate(option, Double.parseDouble(value.trim()));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          option + " must be a number in [0, 1] but was '" + value + "'");
    }
  }
}
