package io.sygra.reliability;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;

/**
 * A MockWebServer dispatcher for a server (or proxy) that reflects the caller's API key back, the
 * way misconfigured gateways echo request headers into error pages. It takes the key from the
 * {@code Authorization} header it received, so a test also proves the key was really sent, and
 * answers in turn with each of {@link #KINDS}.
 */
final class HostileServer extends Dispatcher {
  /** The shapes of reply, in the order they are served. */
  static final List<String> KINDS =
      List.of(
          "401 JSON error naming the key",
          "500 text body with the Authorization header",
          "200 HTML body with the key across the 200-character cut of error messages",
          "200 event stream whose error event names the key",
          "400 JSON error with the key as error code",
          "429 JSON error naming the key",
          "200 JSON whose id is the key and that has no choices",
          "200 body that is the key itself",
          "502 JSON error whose message is 300 characters with the key at the end");

  private final AtomicInteger count = new AtomicInteger();
  private final AtomicInteger withKey = new AtomicInteger();

  /** Requests that carried a bearer key. */
  int requestsWithKey() {
    return withKey.get();
  }

  @Override
  public MockResponse dispatch(RecordedRequest request) {
    String auth = request.getHeaders().get("Authorization");
    String key = auth != null && auth.startsWith("Bearer ") ? auth.substring(7) : "<no key>";
    if (auth != null) {
      withKey.incrementAndGet();
    }
    int kind = Math.floorMod(count.getAndIncrement(), KINDS.size());
    return switch (kind) {
      case 0 ->
          json(
              401,
              "{\"error\":{\"message\":\"Incorrect API key provided: "
                  + key
                  + ".\",\"type\":\"invalid_request_error\",\"code\":\"invalid_api_key\"}}");
      case 1 ->
          new MockResponse.Builder()
              .code(500)
              .addHeader("Content-Type", "text/plain")
              .body("upstream rejected the request headers: Authorization: Bearer " + key)
              .build();
      case 2 ->
          new MockResponse.Builder()
              .code(200)
              .addHeader("Content-Type", "text/html")
              .body("<html><body>" + "x".repeat(182) + key + "</body></html>")
              .build();
      case 3 ->
          new MockResponse.Builder()
              .code(200)
              .addHeader("Content-Type", "text/event-stream")
              .body("data: {\"error\":{\"message\":\"key " + key + " was revoked\"}}\n\n")
              .build();
      case 4 -> json(400, "{\"error\":{\"message\":\"bad request\",\"code\":\"" + key + "\"}}");
      case 5 -> json(429, "{\"error\":{\"message\":\"Rate limit reached for key " + key + "\"}}");
      case 6 -> json(200, "{\"id\":\"" + key + "\",\"object\":\"chat.completion\"}");
      case 7 ->
          new MockResponse.Builder()
              .code(200)
              .addHeader("Content-Type", "application/json")
              .body(key)
              .build();
      default -> json(502, "{\"error\":{\"message\":\"" + "y".repeat(290) + " key " + key + "\"}}");
    };
  }

  private static MockResponse json(int code, String body) {
    return new MockResponse.Builder()
        .code(code)
        .addHeader("Content-Type", "application/json")
        .body(body)
        .build();
  }
}
