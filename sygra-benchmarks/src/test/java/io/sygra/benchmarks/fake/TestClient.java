package io.sygra.benchmarks.fake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** A small java.net.http client for the fake server's tests. */
final class TestClient {
  static final ObjectMapper MAPPER = new ObjectMapper();

  final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(10))
          .build();
  private final String baseUrl;

  TestClient(FakeLlmServer server) {
    this.baseUrl = server.baseUrl();
  }

  static ObjectNode chatBody(String userMessage) {
    ObjectNode body = MAPPER.createObjectNode();
    body.put("model", "test-model");
    body.putArray("messages")
        .add(MAPPER.createObjectNode().put("role", "system").put("content", "Be brief."))
        .add(MAPPER.createObjectNode().put("role", "user").put("content", userMessage));
    return body;
  }

  HttpRequest request(String path, JsonNode body, Map<String, String> headers, Duration timeout) {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(URI.create(baseUrl + path))
            .header("content-type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
    headers.forEach(builder::header);
    if (timeout != null) {
      builder.timeout(timeout);
    }
    return builder.build();
  }

  HttpResponse<String> post(String path, JsonNode body, Map<String, String> headers) {
    try {
      return http.send(request(path, body, headers, null), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  HttpResponse<String> chat(String userMessage) {
    return post("/chat/completions", chatBody(userMessage), Map.of());
  }

  CompletableFuture<HttpResponse<String>> chatAsync(
      String userMessage, Map<String, String> headers, Duration timeout) {
    return http.sendAsync(
        request("/chat/completions", chatBody(userMessage), headers, timeout),
        HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> get(String pathFromRoot) {
    try {
      String root = baseUrl.substring(0, baseUrl.length() - "/v1".length());
      return http.send(
          HttpRequest.newBuilder(URI.create(root + pathFromRoot)).GET().build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  HttpResponse<String> postRoot(String pathFromRoot) {
    try {
      String root = baseUrl.substring(0, baseUrl.length() - "/v1".length());
      return http.send(
          HttpRequest.newBuilder(URI.create(root + pathFromRoot))
              .POST(HttpRequest.BodyPublishers.noBody())
              .build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static JsonNode json(HttpResponse<String> response) {
    try {
      return MAPPER.readTree(response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String content(HttpResponse<String> response) {
    return json(response).path("choices").path(0).path("message").path("content").asText();
  }
}
