package io.sygra.llm.internal.client;

import io.sygra.llm.HttpOptions;
import io.sygra.llm.ModelException;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.ConnectionPool;
import okhttp3.Dispatcher;
import okhttp3.Headers;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okio.Buffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One OkHttp client plus the asynchronous exchange used by every HTTP model client: {@link
 * Call#enqueue}, a per-call timeout, cancellation of the future cancelling the call, and failures
 * mapped to {@link ModelException}s. The dispatcher allows {@link
 * HttpOptions#maxConcurrentRequests()} exchanges at once (per host too), so the resilience layer,
 * not OkHttp's queue, decides how many run; waiting callers hold no thread.
 *
 * <p>Request and response bodies are logged at DEBUG on the {@code io.sygra.llm.wire} logger, with
 * credential headers redacted.
 */
public final class HttpTransport implements AutoCloseable {
  public static final Logger WIRE_LOG = LoggerFactory.getLogger("io.sygra.llm.wire");
  public static final MediaType JSON = MediaType.get("application/json; charset=utf-8");

  private final OkHttpClient client;
  private final boolean owned;
  private final Duration defaultCallTimeout;
  private final Clock clock;

  /** Reads a response whose headers have arrived; runs on an OkHttp thread. */
  @FunctionalInterface
  public interface ResponseHandler<T> {
    T handle(Response response) throws IOException;
  }

  /**
   * @param options transport settings
   * @param shared a caller-owned client to reuse (its pool and dispatcher), or null to create one
   *     owned (and closed) by this transport
   */
  public HttpTransport(HttpOptions options, OkHttpClient shared, Clock clock) {
    this.clock = clock;
    this.defaultCallTimeout = options.callTimeout();
    if (shared != null) {
      this.client = shared;
      this.owned = false;
    } else {
      Dispatcher dispatcher = new Dispatcher();
      dispatcher.setMaxRequests(options.maxConcurrentRequests());
      dispatcher.setMaxRequestsPerHost(options.maxConcurrentRequests());
      this.client =
          new OkHttpClient.Builder()
              .dispatcher(dispatcher)
              .connectionPool(
                  new ConnectionPool(
                      options.maxIdleConnections(),
                      options.keepAlive().toMillis(),
                      TimeUnit.MILLISECONDS))
              .protocols(List.of(Protocol.HTTP_2, Protocol.HTTP_1_1))
              // Only ResilienceEngine retries, so every request sent is budgeted and counted.
              .retryOnConnectionFailure(false)
              .connectTimeout(options.connectTimeout())
              .readTimeout(options.readTimeout())
              .writeTimeout(options.writeTimeout())
              .build();
      this.owned = true;
    }
  }

  public Clock clock() {
    return clock;
  }

  /** The OkHttp client (for tests and for sharing). */
  public OkHttpClient okHttp() {
    return client;
  }

  /** A JSON POST request body. */
  public static RequestBody json(byte[] body) {
    return RequestBody.create(body, JSON);
  }

  /**
   * Sends {@code request} asynchronously and completes with what {@code handler} reads, or with a
   * {@link ModelException}. Cancelling the returned future cancels the HTTP call.
   */
  public <T> CompletableFuture<T> send(
      Request request, Duration timeout, ErrorMapper.CallInfo info, ResponseHandler<T> handler) {
    logRequest(request, info);
    Call call = client.newCall(request);
    call.timeout()
        .timeout(
            (timeout == null ? defaultCallTimeout : timeout).toMillis(), TimeUnit.MILLISECONDS);
    CompletableFuture<T> future = new CompletableFuture<>();
    future.whenComplete(
        (r, e) -> {
          if (future.isCancelled()) {
            call.cancel();
          }
        });
    call.enqueue(
        new Callback() {
          @Override
          public void onFailure(Call c, IOException e) {
            if (!future.isDone()) {
              future.completeExceptionally(ErrorMapper.fromConnectFailure(info, e));
            }
          }

          @Override
          public void onResponse(Call c, Response response) {
            try (response) {
              future.complete(handler.handle(response));
            } catch (ModelException e) {
              future.completeExceptionally(e);
            } catch (IOException e) {
              future.completeExceptionally(
                  ErrorMapper.fromBodyFailure(
                      info, response.code(), HttpSupport.requestId(response.headers()), e));
            } catch (RuntimeException e) {
              future.completeExceptionally(
                  ErrorMapper.malformed(
                      info,
                      response.code(),
                      HttpSupport.requestId(response.headers()),
                      "could not read the response: " + e,
                      e));
            }
          }
        });
    return future;
  }

  private static void logRequest(Request request, ErrorMapper.CallInfo info) {
    if (!WIRE_LOG.isDebugEnabled()) {
      return;
    }
    String body = "";
    if (request.body() != null) {
      try (Buffer buffer = new Buffer()) {
        request.body().writeTo(buffer);
        body = buffer.readUtf8();
      } catch (IOException e) {
        body = "<unreadable body: " + e + ">";
      }
    }
    WIRE_LOG.debug(
        "--> {} {} {}\n{}",
        request.method(),
        info.redact(request.url().toString()),
        redacted(request.headers()),
        info.redact(body));
  }

  /** Headers as text with every credential-bearing value replaced by {@code ***}. */
  public static String redacted(Headers headers) {
    StringBuilder sb = new StringBuilder("{");
    for (int i = 0; i < headers.size(); i++) {
      String name = headers.name(i);
      if (i > 0) {
        sb.append(", ");
      }
      sb.append(name).append(": ").append(isSensitive(name) ? "***" : headers.value(i));
    }
    return sb.append('}').toString();
  }

  static boolean isSensitive(String header) {
    String h = header.toLowerCase(Locale.ROOT);
    return h.contains("auth")
        || h.contains("key")
        || h.contains("token")
        || h.contains("cookie")
        || h.contains("secret");
  }

  /** Releases the dispatcher threads and pooled connections, if this transport owns them. */
  @Override
  public void close() {
    if (owned) {
      client.dispatcher().executorService().shutdown();
      client.connectionPool().evictAll();
    }
  }
}
