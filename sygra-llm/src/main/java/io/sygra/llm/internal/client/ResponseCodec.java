package io.sygra.llm.internal.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sygra.llm.ChatResponse;
import io.sygra.llm.ToolCall;
import io.sygra.llm.Usage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Writes a {@link ChatResponse} to JSON bytes and back, for the persistent response cache. */
public final class ResponseCodec {
  private ResponseCodec() {}

  public static byte[] encode(ChatResponse r) {
    ObjectNode o = WireJson.object();
    o.put("text", r.text());
    ArrayNode calls = o.putArray("tool_calls");
    for (ToolCall c : r.toolCalls()) {
      calls.addObject().put("id", c.id()).put("name", c.name()).put("arguments", c.arguments());
    }
    o.put("finish_reason", r.finishReason());
    o.put("reasoning", r.reasoning());
    ObjectNode u = o.putObject("usage");
    u.put("prompt", r.usage().promptTokens());
    u.put("completion", r.usage().completionTokens());
    u.put("total", r.usage().totalTokens());
    u.put("cached", r.usage().cachedTokens());
    u.put("reasoning", r.usage().reasoningTokens());
    o.put("model", r.model());
    o.put("request_id", r.requestId());
    o.put("latency_nanos", r.latency().toNanos());
    o.put("provider", r.provider());
    return WireJson.writeBytes(o);
  }

  public static ChatResponse decode(byte[] bytes) {
    try {
      JsonNode o = WireJson.MAPPER.readTree(bytes);
      List<ToolCall> calls = new ArrayList<>();
      for (JsonNode c : o.path("tool_calls")) {
        calls.add(
            new ToolCall(
                WireJson.text(c, "id"),
                OpenAiWire.nullToEmpty(WireJson.text(c, "name")),
                WireJson.text(c, "arguments")));
      }
      JsonNode u = o.path("usage");
      Usage usage =
          new Usage(
              WireJson.count(u, "prompt"),
              WireJson.count(u, "completion"),
              WireJson.count(u, "total"),
              WireJson.optCount(u, "cached"),
              WireJson.optCount(u, "reasoning"));
      return new ChatResponse(
          WireJson.text(o, "text"),
          calls,
          WireJson.text(o, "finish_reason"),
          WireJson.text(o, "reasoning"),
          usage,
          WireJson.text(o, "model"),
          WireJson.text(o, "request_id"),
          Duration.ofNanos(o.path("latency_nanos").asLong(0)),
          WireJson.text(o, "provider"));
    } catch (IOException e) {
      throw new UncheckedIOException("corrupt cache entry", e);
    }
  }
}
