package io.sygra.quality;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;

/**
 * A judge model on MockWebServer (loopback). Replies are synthetic chat completions in the OpenAI
 * shape; each request is answered by the schema it asks for (judge_classify, judge_response_*,
 * judge_preference), through replaceable reply functions.
 */
final class JudgeServer implements AutoCloseable {
  static final ObjectMapper JSON = new ObjectMapper();

  final MockWebServer server = new MockWebServer();
  final AtomicInteger requests = new AtomicInteger();
  final List<JsonNode> bodies = new ArrayList<>();

  volatile Function<JsonNode, String> classify =
      req ->
          json(
              Map.of(
                  "category",
                  "open_qa",
                  "instruction_tags",
                  List.of("science"),
                  "question_quality",
                  4,
                  "question_explanation",
                  "Clear question."));
  volatile Function<JsonNode, String> response = req -> scores(req, 4);

  /** Prefers the response containing GOOD wherever it is shown. */
  volatile Function<JsonNode, String> preference =
      req -> {
        String prompt = userPrompt(req);
        String a = between(prompt, "<response_a>", "</response_a>");
        return json(
            Map.of("winner", a.contains("GOOD") ? "A" : "B", "explanation", "One is better."));
      };

  JudgeServer() throws Exception {
    server.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest request) {
            requests.incrementAndGet();
            try {
              JsonNode body = JSON.readTree(request.getBody().utf8());
              synchronized (bodies) {
                bodies.add(body);
              }
              String schema = body.at("/response_format/json_schema/name").asText("");
              String content;
              if (schema.equals("judge_classify")) {
                content = classify.apply(body);
              } else if (schema.startsWith("judge_response")) {
                content = response.apply(body);
              } else if (schema.equals("judge_preference")) {
                content = preference.apply(body);
              } else {
                return new MockResponse.Builder().code(400).body("{\"error\":{}}").build();
              }
              if (content.startsWith("HTTP ")) {
                int code = Integer.parseInt(content.substring(5, 8));
                return new MockResponse.Builder()
                    .code(code)
                    .addHeader("Content-Type", "application/json")
                    .body(
                        "{\"error\":{\"message\":\"synthetic failure\",\"type\":"
                            + "\"invalid_request_error\",\"code\":\"synthetic\"}}")
                    .build();
              }
              return completion(content);
            } catch (Exception e) {
              return new MockResponse.Builder().code(500).body(e.toString()).build();
            }
          }
        });
    server.start();
  }

  String baseUrl() {
    return server.url("/v1").toString();
  }

  List<JsonNode> bodies() {
    synchronized (bodies) {
      return List.copyOf(bodies);
    }
  }

  static String userPrompt(JsonNode req) {
    JsonNode msgs = req.get("messages");
    return msgs.get(1).get("content").asText();
  }

  static String between(String s, String open, String close) {
    int a = s.indexOf(open);
    int b = s.indexOf(close, a + 1);
    return a < 0 || b < 0 ? "" : s.substring(a + open.length(), b);
  }

  /** Scores every criterion the request's schema names with {@code score}. */
  static String scores(JsonNode req, int score) {
    Map<String, Object> out = new LinkedHashMap<>();
    JsonNode props = req.at("/response_format/json_schema/schema/properties");
    props
        .fieldNames()
        .forEachRemaining(
            name -> out.put(name, Map.of("score", score, "explanation", "ok " + name)));
    return json(out);
  }

  static String json(Object o) {
    try {
      return JSON.writeValueAsString(o);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static MockResponse completion(String content) {
    Map<String, Object> msg = new LinkedHashMap<>();
    msg.put("role", "assistant");
    msg.put("content", content);
    Map<String, Object> choice = new LinkedHashMap<>();
    choice.put("index", 0);
    choice.put("message", msg);
    choice.put("finish_reason", "stop");
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("id", "chatcmpl-synthetic");
    body.put("object", "chat.completion");
    body.put("model", "judge-model");
    body.put("choices", List.of(choice));
    body.put("usage", Map.of("prompt_tokens", 50, "completion_tokens", 10, "total_tokens", 60));
    return new MockResponse.Builder()
        .code(200)
        .addHeader("Content-Type", "application/json")
        .body(json(body))
        .build();
  }

  @Override
  public void close() {
    server.close();
  }
}
