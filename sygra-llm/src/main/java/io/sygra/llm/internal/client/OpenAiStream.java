package io.sygra.llm.internal.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.sygra.llm.ChatResponse;
import io.sygra.llm.ToolCall;
import io.sygra.llm.Usage;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import okio.BufferedSource;

/**
 * Accumulates a streamed chat completion ({@code chat.completion.chunk} events) into one {@link
 * ChatResponse}: text and reasoning deltas concatenated, tool-call fragments joined per {@code
 * index}, the first non-null {@code finish_reason} kept (OpenRouter repeats a null one in its
 * trailing usage chunk), usage from the chunk that carries it (OpenAI sends it last with {@code
 * choices: []}). An {@code error} object in an event fails the call, even after text arrived.
 */
public final class OpenAiStream {
  private final ErrorMapper.CallInfo info;
  private final String headerRequestId;
  private final StringBuilder text = new StringBuilder();
  private final StringBuilder reasoning = new StringBuilder();
  private final TreeMap<Integer, PartialCall> calls = new TreeMap<>();
  private boolean sawContent;
  private String finishReason;
  private Usage usage;
  private String model;
  private String id;
  private boolean done;
  private int events;

  private static final class PartialCall {
    String id;
    String name;
    final StringBuilder arguments = new StringBuilder();
  }

  public OpenAiStream(ErrorMapper.CallInfo info, String headerRequestId) {
    this.info = info;
    this.headerRequestId = headerRequestId;
  }

  /** Reads the whole stream and builds the response. */
  public ChatResponse read(BufferedSource source, int status, long startNanos) throws IOException {
    SseReader.read(source, (event, data) -> onEvent(event, data, status));
    if (!done && finishReason == null) {
      throw ErrorMapper.malformed(
          info,
          status,
          requestId(),
          "stream ended before [DONE] and without a finish_reason after " + events + " events",
          null);
    }
    return response(Duration.ofNanos(System.nanoTime() - startNanos));
  }

  private boolean onEvent(String event, String data, int status) {
    String d = data.strip();
    if (d.equals("[DONE]")) {
      done = true;
      return false;
    }
    if (d.isEmpty()) {
      return true;
    }
    events++;
    JsonNode chunk = HttpSupport.parseJson(d, info, status, requestId());
    if (chunk.has("error") || "error".equals(event)) {
      throw ErrorMapper.fromErrorObject(info, status, requestId(), ErrorMapper.fromJson(chunk));
    }
    if (id == null) {
      id = WireJson.scalar(chunk.get("id"));
    }
    if (model == null) {
      model = WireJson.text(chunk, "model");
    }
    JsonNode u = chunk.get("usage");
    if (u != null && u.isObject()) {
      usage = OpenAiWire.usage(u);
    }
    JsonNode choices = chunk.get("choices");
    if (choices != null && choices.isArray()) {
      for (JsonNode choice : choices) {
        if (choice.path("index").asInt(0) != 0) {
          continue; // n > 1 is not supported: keep the first choice only
        }
        onDelta(choice.path("delta"));
        String fr = WireJson.text(choice, "finish_reason");
        if (finishReason == null && fr != null) {
          finishReason = fr;
        }
      }
    }
    return true;
  }

  private void onDelta(JsonNode delta) {
    if (!delta.isObject()) {
      return;
    }
    String c = OpenAiWire.contentText(delta.get("content"));
    if (c != null) {
      text.append(c);
      sawContent = true;
    }
    String r = WireJson.text(delta, "reasoning_content");
    if (r == null) {
      r = WireJson.text(delta, "reasoning");
    }
    if (r != null) {
      reasoning.append(r);
    }
    JsonNode tc = delta.get("tool_calls");
    if (tc != null && tc.isArray()) {
      for (JsonNode frag : tc) {
        int index = frag.path("index").asInt(calls.size());
        PartialCall call = calls.computeIfAbsent(index, i -> new PartialCall());
        String fid = WireJson.text(frag, "id");
        if (fid != null && !fid.isEmpty()) {
          call.id = fid;
        }
        JsonNode fn = frag.path("function");
        String name = WireJson.text(fn, "name");
        if (name != null && !name.isEmpty()) {
          call.name = call.name == null ? name : (call.name.equals(name) ? name : call.name + name);
        }
        JsonNode args = fn.get("arguments");
        if (args != null && !args.isNull()) {
          call.arguments.append(OpenAiWire.arguments(args));
        }
      }
    }
  }

  private String requestId() {
    return headerRequestId != null ? headerRequestId : id;
  }

  private ChatResponse response(Duration latency) {
    List<ToolCall> toolCalls = new ArrayList<>();
    calls
        .values()
        .forEach(
            c ->
                toolCalls.add(
                    new ToolCall(c.id, c.name == null ? "" : c.name, c.arguments.toString())));
    String content = sawContent ? text.toString() : null;
    if (content != null && content.isEmpty() && !toolCalls.isEmpty()) {
      content = null;
    }
    Reasoning.Split split = Reasoning.split(content);
    String r = Reasoning.firstNonEmpty(reasoning.toString(), split.reasoning());
    return new ChatResponse(
        split.text(),
        toolCalls,
        finishReason,
        r,
        usage == null ? Usage.NONE : usage,
        model != null ? model : info.model(),
        requestId(),
        latency,
        info.provider());
  }
}
