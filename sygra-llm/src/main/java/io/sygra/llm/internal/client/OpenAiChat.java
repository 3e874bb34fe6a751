package io.sygra.llm.internal.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.sygra.core.ConfigurationException;
import io.sygra.llm.ChatRequest;
import io.sygra.llm.ChatResponse;
import io.sygra.llm.Secret;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import okhttp3.Headers;
import okhttp3.HttpUrl;
import okhttp3.Request;
import okhttp3.Response;
import okio.Buffer;

/**
 * The chat-completions exchange shared by the OpenAI-compatible and Azure clients: they differ only
 * in the URL and the credential header.
 */
public final class OpenAiChat {
  private final String provider;
  private final HttpTransport transport;
  private final Function<String, HttpUrl> urlForModel;
  private final Headers headers;
  private final Secret secret;
  private final OpenAiWire.Options options;
  private final String defaultModel;

  public OpenAiChat(
      String provider,
      HttpTransport transport,
      Function<String, HttpUrl> urlForModel,
      Headers headers,
      Secret secret,
      OpenAiWire.Options options,
      String defaultModel) {
    this.provider = provider;
    this.transport = transport;
    this.urlForModel = urlForModel;
    this.headers = headers;
    this.secret = secret;
    this.options = options;
    this.defaultModel = defaultModel;
  }

  public CompletableFuture<ChatResponse> chat(ChatRequest request) {
    String model = request.model() != null ? request.model() : defaultModel;
    if (model == null) {
      return CompletableFuture.failedFuture(
          new ConfigurationException(
              "model", "no model: set ChatRequest.model(...) or the client's default model"));
    }
    ErrorMapper.CallInfo info = new ErrorMapper.CallInfo(provider, model, secret);
    Request http;
    try {
      byte[] body = WireJson.writeBytes(OpenAiWire.request(request, model, options));
      http =
          new Request.Builder()
              .url(urlForModel.apply(model))
              .headers(headers)
              .header("Accept", options.stream() ? "text/event-stream" : "application/json")
              .post(HttpTransport.json(body))
              .build();
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    long start = System.nanoTime();
    return transport.send(http, request.timeout(), info, response -> read(response, info, start));
  }

  private ChatResponse read(Response response, ErrorMapper.CallInfo info, long start)
      throws IOException {
    if (!response.isSuccessful()) {
      throw HttpSupport.errorFor(response, info, transport.clock());
    }
    String requestId = HttpSupport.requestId(response.headers());
    if (HttpSupport.contentType(response).equals("text/event-stream")) {
      return new OpenAiStream(info, requestId)
          .read(response.body().source(), response.code(), start);
    }
    byte[] bytes = HttpSupport.jsonBodyBytes(response);
    if (bytes == null) {
      // a declared charset other than UTF-8: decode as declared
      bytes = HttpSupport.bodyText(response).getBytes(StandardCharsets.UTF_8);
    }
    if (HttpTransport.WIRE_LOG.isDebugEnabled()) {
      HttpTransport.WIRE_LOG.debug(
          "<-- {} {}", response.code(), info.redact(new String(bytes, StandardCharsets.UTF_8)));
    }
    if (HttpSupport.looksLikeEventStream(bytes)) {
      // an event stream sent without its content type
      try (Buffer buffer = new Buffer().write(bytes)) {
        return new OpenAiStream(info, requestId).read(buffer, response.code(), start);
      }
    }
    // Parsed from the bytes: no String copy of the body on the hot path.
    JsonNode root = HttpSupport.parseJson(bytes, info, response.code(), requestId);
    return OpenAiWire.parse(
        root, info, response.code(), requestId, Duration.ofNanos(System.nanoTime() - start));
  }
}
