package io.sygra.llm;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;

/**
 * A MockWebServer dispatcher that records arrival times and answers by request number (0-based).
 */
final class RecordingDispatcher extends Dispatcher {
  private final IntFunction<MockResponse> answer;
  private final AtomicInteger count = new AtomicInteger();
  private final List<Long> arrivals = new ArrayList<>();

  RecordingDispatcher(IntFunction<MockResponse> answer) {
    this.answer = answer;
  }

  static MockResponse ok(String text) {
    return ok(text, 3, 2);
  }

  static MockResponse ok(String text, long prompt, long completion) {
    return new MockResponse.Builder()
        .addHeader("Content-Type", "application/json")
        .body(
            "{\"id\":\"r\",\"model\":\"m\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\""
                + text
                + "\"},\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":"
                + prompt
                + ",\"completion_tokens\":"
                + completion
                + ",\"total_tokens\":"
                + (prompt + completion)
                + "}}")
        .build();
  }

  static MockResponse status(int code, String body, String... headers) {
    MockResponse.Builder b =
        new MockResponse.Builder()
            .code(code)
            .addHeader("Content-Type", "application/json")
            .body(body);
    for (String h : headers) {
      b.addHeader(h);
    }
    return b.build();
  }

  @Override
  public MockResponse dispatch(RecordedRequest request) {
    int n = count.getAndIncrement();
    synchronized (arrivals) {
      arrivals.add(System.nanoTime());
    }
    return answer.apply(n);
  }

  /** Forgets the arrivals so far (after a warm-up). */
  void clearArrivals() {
    synchronized (arrivals) {
      arrivals.clear();
    }
  }

  int count() {
    return count.get();
  }

  List<Long> arrivals() {
    synchronized (arrivals) {
      List<Long> copy = new ArrayList<>(arrivals);
      copy.sort(null);
      return copy;
    }
  }
}
