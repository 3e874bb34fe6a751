package io.sygra.llm.internal.client;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.core.IntervalBiFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.sygra.core.SygraException;
import io.sygra.llm.ConnectionException;
import io.sygra.llm.EndpointUnavailableException;
import io.sygra.llm.MalformedResponseException;
import io.sygra.llm.ModelException;
import io.sygra.llm.ModelTimeoutException;
import io.sygra.llm.RateLimitException;
import io.sygra.llm.ResilienceConfig;
import io.sygra.llm.ServerErrorException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;

/**
 * The resilience pipeline around one or more endpoints of a model, shared by the chat and embedding
 * decorators. Per call: a Resilience4j {@link Retry} (exponential backoff with jitter, or the
 * server's requested wait) around attempts; per attempt: choose the endpoint with the fewest calls
 * in flight whose circuit breaker permits a call, wait for its AIMD concurrency permit, wait for
 * the requests/tokens budget of its rate-limit account, send, and report the outcome to the
 * breaker, the limiter and the budget. Every wait is a future completed by another thread or the
 * shared timer: no thread blocks.
 *
 * @param <C> the endpoint client type
 */
public final class ResilienceEngine<C> {

  /** One base URL of the model, with its own breaker and concurrency limit. */
  public static final class Endpoint<C> {
    final String id;
    final C client;
    final String scope;
    final CircuitBreaker breaker;
    final AimdLimiter limiter;
    final AtomicInteger load = new AtomicInteger();

    /** When the breaker last opened (the config clock's millis); read by retries that wait. */
    volatile long openedAtMillis;

    Endpoint(String id, C client, String scope, CircuitBreaker breaker, AimdLimiter limiter) {
      this.id = id;
      this.client = client;
      this.scope = scope;
      this.breaker = breaker;
      this.limiter = limiter;
    }

    public String id() {
      return id;
    }

    public C client() {
      return client;
    }

    public String circuitState() {
      return breaker.getState().name();
    }

    public int concurrencyLimit() {
      return limiter.limit();
    }

    public int inFlight() {
      return limiter.inFlight();
    }

    public int queued() {
      return limiter.queued();
    }
  }

  /** Describes one endpoint to the engine. */
  public record EndpointSpec<C>(String id, C client, String scope) {}

  private final List<Endpoint<C>> endpoints;
  private final ResilienceConfig config;
  private final Retry retry;
  private final ScheduledExecutorService scheduler;
  private final BiFunction<String, String, RateBudget> budgets;
  private final AtomicInteger rotation = new AtomicInteger();

  /**
   * @param budgets finds the budget for (rate-limit scope, model); null when no budget is set
   */
  public ResilienceEngine(
      List<EndpointSpec<C>> specs,
      ResilienceConfig config,
      BiFunction<String, String, RateBudget> budgets,
      ScheduledExecutorService scheduler) {
    this.config = config;
    this.scheduler = scheduler;
    this.budgets = budgets;
    CircuitBreakerConfig cb =
        CircuitBreakerConfig.custom()
            .failureRateThreshold(config.failureRateThreshold())
            .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
            .slidingWindowSize(config.slidingWindowSize())
            .minimumNumberOfCalls(config.minimumNumberOfCalls())
            .waitDurationInOpenState(config.openStateWait())
            .permittedNumberOfCallsInHalfOpenState(config.halfOpenCalls())
            .recordException(ResilienceEngine::isEndpointFault)
            .ignoreException(t -> t instanceof RateLimitException)
            .clock(config.clock())
            .writableStackTraceEnabled(false)
            .build();
    List<Endpoint<C>> eps = new ArrayList<>();
    for (EndpointSpec<C> s : specs) {
      eps.add(
          new Endpoint<>(
              s.id(),
              s.client(),
              s.scope(),
              CircuitBreaker.of(s.id(), cb),
              new AimdLimiter(
                  config.minConcurrency(),
                  config.maxConcurrency(),
                  config.initialConcurrency(),
                  config.concurrencyDecrease(),
                  scheduler,
                  System::nanoTime)));
    }
    for (Endpoint<C> e : eps) {
      e.breaker
          .getEventPublisher()
          .onStateTransition(
              ev -> {
                if (ev.getStateTransition().getToState() == CircuitBreaker.State.OPEN) {
                  e.openedAtMillis = config.clock().millis();
                }
              });
    }
    this.endpoints = List.copyOf(eps);
    RetryConfig rc =
        RetryConfig.custom()
            .maxAttempts(config.maxAttempts())
            .retryOnException(ResilienceEngine::isRetryable)
            .intervalBiFunction(
                (IntervalBiFunction<Object>)
                    (attempt, either) ->
                        either.isLeft() ? delayMillis(attempt, either.getLeft()) : 0L)
            .failAfterMaxAttempts(false)
            .build();
    this.retry = Retry.of("sygra " + (eps.isEmpty() ? "" : eps.get(0).id), rc);
  }

  public List<Endpoint<C>> endpoints() {
    return endpoints;
  }

  /**
   * Runs one logical call.
   *
   * @param model the resolved model name (budget key)
   * @param estimatedTokens tokens to reserve before sending
   * @param trace records attempts and their failures; may be null
   * @param send sends one attempt to the given endpoint client
   * @param usedTokens the actual tokens of a result, or 0 when unknown (the estimate stays)
   */
  public <R> CompletableFuture<R> call(
      String model,
      long estimatedTokens,
      CallTrace trace,
      Function<C, CompletableFuture<R>> send,
      ToLongFunction<R> usedTokens) {
    AtomicInteger attempts = new AtomicInteger();
    CompletableFuture<R> result = new CompletableFuture<>();
    Supplier<CompletionStage<R>> attempt =
        () -> {
          attempts.incrementAndGet();
          if (trace != null) {
            trace.attemptStarted();
          }
          if (result.isCancelled()) {
            return CompletableFuture.failedFuture(new CancellationException("call cancelled"));
          }
          CompletableFuture<R> f;
          try {
            f = attemptOnce(model, estimatedTokens, send, usedTokens);
          } catch (RuntimeException e) {
            f = CompletableFuture.failedFuture(e);
          }
          CompletableFuture<R> current = f;
          result.whenComplete(
              (r, t) -> {
                if (result.isCancelled()) {
                  current.cancel(true); // reaches the HTTP call of the attempt in flight
                }
              });
          if (trace != null) {
            // a dependent stage, so the failure is on record before the retry sees it
            f =
                f.whenComplete(
                    (r, t) -> {
                      if (t != null) {
                        trace.attemptFailed(unwrap(t));
                      }
                    });
          }
          return f;
        };
    CompletionStage<R> stage;
    try {
      stage = Retry.decorateCompletionStage(retry, scheduler, attempt).get();
    } catch (RuntimeException e) {
      stage = CompletableFuture.failedFuture(e);
    }
    stage.whenComplete(
        (r, t) -> {
          if (t == null) {
            result.complete(r);
          } else {
            Throwable cause = unwrap(t);
            if (cause instanceof SygraException se) {
              se.withAttempts(Math.max(1, attempts.get()));
            }
            result.completeExceptionally(cause);
          }
        });
    return result;
  }

  private <R> CompletableFuture<R> attemptOnce(
      String model,
      long estimatedTokens,
      Function<C, CompletableFuture<R>> send,
      ToLongFunction<R> usedTokens) {
    Endpoint<C> ep = choose();
    if (ep == null) {
      return CompletableFuture.failedFuture(unavailable(model));
    }
    ep.load.incrementAndGet();
    CompletableFuture<R> out = new CompletableFuture<>();
    ep.limiter
        .acquire()
        .whenComplete(
            (permit, e1) -> {
              if (e1 != null || out.isDone()) {
                if (permit != null) {
                  permit.release(AimdLimiter.Outcome.NEUTRAL, 0);
                }
                ep.breaker.releasePermission();
                ep.load.decrementAndGet();
                out.completeExceptionally(e1 != null ? e1 : new CancellationException());
                return;
              }
              RateBudget budget = budgets == null ? null : budgets.apply(ep.scope, model);
              CompletableFuture<RateBudget.Reservation> reserved =
                  budget == null
                      ? CompletableFuture.completedFuture(null)
                      : budget.acquire(estimatedTokens);
              reserved.whenComplete(
                  (reservation, e2) -> {
                    if (e2 != null || out.isDone()) {
                      if (reservation != null) {
                        reservation.settle(0);
                      }
                      permit.release(AimdLimiter.Outcome.NEUTRAL, 0);
                      ep.breaker.releasePermission();
                      ep.load.decrementAndGet();
                      out.completeExceptionally(e2 != null ? e2 : new CancellationException());
                      return;
                    }
                    send(ep, permit, reservation, estimatedTokens, send, usedTokens, out);
                  });
            });
    return out;
  }

  private <R> void send(
      Endpoint<C> ep,
      AimdLimiter.Permit permit,
      RateBudget.Reservation reservation,
      long estimatedTokens,
      Function<C, CompletableFuture<R>> send,
      ToLongFunction<R> usedTokens,
      CompletableFuture<R> out) {
    long start = System.nanoTime();
    CompletableFuture<R> sent;
    try {
      sent = send.apply(ep.client);
    } catch (RuntimeException e) {
      sent = CompletableFuture.failedFuture(e);
    }
    CompletableFuture<R> inFlight = sent;
    out.whenComplete(
        (r, t) -> {
          if (out.isCancelled()) {
            inFlight.cancel(true);
          }
        });
    sent.whenComplete(
        (r, t) -> {
          long took = System.nanoTime() - start;
          try {
            if (t == null) {
              ep.breaker.onSuccess(took, TimeUnit.NANOSECONDS);
              permit.release(AimdLimiter.Outcome.SUCCESS, 0);
              if (reservation != null) {
                long used = usedTokens.applyAsLong(r);
                if (used > 0) {
                  reservation.settle(used);
                }
              }
            } else {
              Throwable cause = unwrap(t);
              ep.breaker.onError(took, TimeUnit.NANOSECONDS, cause);
              if (cause instanceof RateLimitException rl) {
                Duration wait = rl.retryAfter();
                long pause =
                    wait == null || wait.compareTo(config.maxRetryAfter()) > 0 ? 0 : wait.toNanos();
                permit.release(AimdLimiter.Outcome.OVERLOAD, pause);
              } else {
                permit.release(AimdLimiter.Outcome.NEUTRAL, 0);
              }
              if (reservation != null && wasRejected(cause)) {
                reservation.settle(0); // refused before any generation
              }
            }
          } finally {
            ep.load.decrementAndGet();
            if (t == null) {
              out.complete(r);
            } else {
              out.completeExceptionally(unwrap(t));
            }
          }
        });
  }

  /** The endpoint with the fewest calls in flight whose breaker lets a call through. */
  private Endpoint<C> choose() {
    int n = endpoints.size();
    if (n == 1) {
      Endpoint<C> only = endpoints.get(0);
      return only.breaker.tryAcquirePermission() ? only : null;
    }
    int offset = Math.floorMod(rotation.getAndIncrement(), n);
    List<Endpoint<C>> order = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      order.add(endpoints.get((offset + i) % n));
    }
    order.sort(Comparator.comparingInt(e -> e.load.get())); // stable: ties keep the rotation
    for (Endpoint<C> e : order) {
      if (e.breaker.tryAcquirePermission()) {
        return e;
      }
    }
    return null;
  }

  private EndpointUnavailableException unavailable(String model) {
    StringBuilder sb = new StringBuilder("every endpoint's circuit breaker is open: ");
    for (int i = 0; i < endpoints.size(); i++) {
      Endpoint<C> e = endpoints.get(i);
      sb.append(i == 0 ? "" : ", ").append(e.id).append(' ').append(e.breaker.getState());
    }
    String provider = endpoints.isEmpty() ? null : endpoints.get(0).id.split(" ")[0];
    return new EndpointUnavailableException(provider, model, -1, null, null, sb.toString(), null);
  }

  private long delayMillis(int attempt, Throwable t) {
    Throwable cause = unwrap(t);
    Duration asked = null;
    if (cause instanceof RateLimitException rl) {
      asked = rl.retryAfter();
    } else if (cause instanceof ServerErrorException se) {
      asked = se.retryAfter();
    }
    ThreadLocalRandom random = ThreadLocalRandom.current();
    if (cause instanceof EndpointUnavailableException) {
      // Every breaker is open: an attempt before one half-opens would fail the same way and only
      // burn the record's attempts, so wait for the first to half-open (spread a little, so the
      // waiting records do not all arrive at its few trial calls at once).
      long reopen = untilFirstHalfOpenMillis();
      if (reopen > 0) {
        long spread = Math.max(10, config.openStateWait().toMillis() / 10);
        return reopen + (long) (spread * random.nextDouble());
      }
    }
    if (asked != null) {
      if (asked.compareTo(config.maxRetryAfter()) > 0) {
        return -1; // not worth waiting for: fail now
      }
      long ms = asked.toMillis();
      return ms + (long) (ms * 0.1 * random.nextDouble());
    }
    double base =
        config.initialBackoff().toMillis()
            * Math.pow(config.backoffMultiplier(), Math.max(0, attempt - 1));
    base = Math.min(base, config.maxBackoff().toMillis());
    return (long) (base * (1 - config.jitter() * random.nextDouble()));
  }

  /** Millis until the first open breaker may half-open; 0 when none is open. */
  private long untilFirstHalfOpenMillis() {
    long now = config.clock().millis();
    long wait = config.openStateWait().toMillis();
    long best = Long.MAX_VALUE;
    for (Endpoint<C> e : endpoints) {
      if (e.breaker.getState() == CircuitBreaker.State.OPEN) {
        best = Math.min(best, Math.max(0, e.openedAtMillis + wait - now));
      }
    }
    return best == Long.MAX_VALUE ? 0 : best;
  }

  static boolean isRetryable(Throwable t) {
    return unwrap(t) instanceof ModelException me && me.retryable();
  }

  /** Faults that say the endpoint is unhealthy, as opposed to the request being wrong. */
  static boolean isEndpointFault(Throwable t) {
    return t instanceof ServerErrorException
        || t instanceof ModelTimeoutException
        || t instanceof ConnectionException
        || t instanceof MalformedResponseException;
  }

  /** True when the server refused the request outright, so no tokens were consumed. */
  static boolean wasRejected(Throwable t) {
    return t instanceof ModelException me && me.httpStatus() >= 400 && me.httpStatus() < 500;
  }

  public static Throwable unwrap(Throwable t) {
    Throwable c = t;
    while ((c instanceof CompletionException || c instanceof ExecutionException)
        && c.getCause() != null) {
      c = c.getCause();
    }
    return c;
  }
}
