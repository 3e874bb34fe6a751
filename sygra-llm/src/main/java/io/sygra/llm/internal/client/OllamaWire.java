package io.sygra.llm.internal.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sygra.llm.BadRequestException;
import io.sygra.llm.ChatMessage;
import io.sygra.llm.ChatRequest;
import io.sygra.llm.ChatResponse;
import io.sygra.llm.ContentPart;
import io.sygra.llm.ResponseFormat;
import io.sygra.llm.ToolCall;
import io.sygra.llm.ToolDefinition;
import io.sygra.llm.Usage;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import okio.BufferedSource;

/**
 * Ollama's native {@code /api/chat} wire format: sampling parameters go under {@code options}
 * ({@code num_predict} for the token limit), images are raw base64 strings, tool-call arguments are
 * JSON objects, {@code format} carries {@code "json"} or a JSON schema, and reasoning comes back in
 * {@code message.thinking}. Replies are one JSON object, or NDJSON chunks when the server streams.
 */
public final class OllamaWire {
  private OllamaWire() {}

  /** Parameters this API has no equivalent for; dropped with a warning. */
  public static List<String> unsupported(ChatRequest r) {
    List<String> out = new ArrayList<>();
    if (r.logprobs() != null || r.topLogprobs() != null) {
      out.add("logprobs");
    }
    if (r.toolChoice() != null && !"auto".equals(r.toolChoice())) {
      out.add("toolChoice");
    }
    return out;
  }

  public static ObjectNode request(ChatRequest r, String model, ErrorMapper.CallInfo info) {
    ObjectNode body = WireJson.object();
    body.put("model", model);
    ArrayNode messages = body.putArray("messages");
    for (ChatMessage m : r.messages()) {
      ObjectNode msg = messages.addObject();
      msg.put("role", m.role() == ChatMessage.Role.DEVELOPER ? "system" : m.role().wireName());
      String text = m.text();
      msg.put("content", text == null ? "" : text);
      List<String> images = new ArrayList<>();
      for (ContentPart p : m.content()) {
        if (p instanceof ContentPart.Image img) {
          DataUrl data = DataUrl.parse(img.url());
          if (data == null) {
            throw new BadRequestException(
                info.provider(),
                model,
                -1,
                null,
                null,
                "Ollama takes images as base64 data: URLs only, got "
                    + HttpSupport.abbreviate(img.url(), 80),
                null);
          }
          images.add(data.base64());
        }
      }
      if (!images.isEmpty()) {
        ArrayNode arr = msg.putArray("images");
        images.forEach(arr::add);
      }
      if (!m.toolCalls().isEmpty()) {
        ArrayNode calls = msg.putArray("tool_calls");
        for (ToolCall c : m.toolCalls()) {
          ObjectNode fn = calls.addObject().putObject("function");
          fn.put("name", c.name());
          fn.set("arguments", AnthropicWire.argumentsObject(c.arguments()));
        }
      }
      if (m.role() == ChatMessage.Role.TOOL && m.name() != null) {
        msg.put("tool_name", m.name());
      }
    }
    if (!r.tools().isEmpty()) {
      ArrayNode tools = body.putArray("tools");
      for (ToolDefinition t : r.tools()) {
        ObjectNode fn = tools.addObject().put("type", "function").putObject("function");
        fn.put("name", t.name());
        fn.put("description", t.description());
        fn.set("parameters", WireJson.tree(t.parameters()));
      }
    }
    if (r.responseFormat() instanceof ResponseFormat.JsonSchema js) {
      body.set("format", WireJson.tree(js.schema()));
    } else if (r.responseFormat() instanceof ResponseFormat.JsonObject) {
      body.put("format", "json");
    }
    ObjectNode options = WireJson.object();
    if (r.temperature() != null) {
      options.put("temperature", r.temperature());
    }
    if (r.topP() != null) {
      options.put("top_p", r.topP());
    }
    if (r.maxTokens() != null) {
      options.put("num_predict", r.maxTokens());
    }
    if (!r.stop().isEmpty()) {
      ArrayNode stop = options.putArray("stop");
      r.stop().forEach(stop::add);
    }
    if (r.seed() != null) {
      options.put("seed", r.seed());
    }
    if (r.presencePenalty() != null) {
      options.put("presence_penalty", r.presencePenalty());
    }
    if (r.frequencyPenalty() != null) {
      options.put("frequency_penalty", r.frequencyPenalty());
    }
    if (!options.isEmpty()) {
      body.set("options", options);
    }
    body.put("stream", false);
    for (Map.Entry<String, Object> e : r.extraBody().entrySet()) {
      JsonNode value = WireJson.tree(e.getValue());
      if (e.getKey().equals("options") && value.isObject() && body.has("options")) {
        ((ObjectNode) body.get("options")).setAll((ObjectNode) value); // merge, extras win
      } else {
        body.set(e.getKey(), value);
      }
    }
    return body;
  }

  /** Accumulates one reply from a single object or from NDJSON chunks. */
  public static final class Reply {
    private final ErrorMapper.CallInfo info;
    private final String requestId;
    private final StringBuilder text = new StringBuilder();
    private final StringBuilder thinking = new StringBuilder();
    private final List<ToolCall> calls = new ArrayList<>();
    private boolean sawContent;
    private boolean done;
    private String doneReason;
    private String model;
    private long promptTokens;
    private long completionTokens;
    private boolean sawCounts;

    public Reply(ErrorMapper.CallInfo info, String requestId) {
      this.info = info;
      this.requestId = requestId;
    }

    /** Adds one JSON object (the whole reply, or one NDJSON chunk). */
    public void add(JsonNode chunk, int status) {
      if (!chunk.isObject()) {
        throw ErrorMapper.malformed(info, status, requestId, "expected a JSON object", null);
      }
      if (chunk.has("error")) {
        throw ErrorMapper.fromErrorObject(info, status, requestId, ErrorMapper.fromJson(chunk));
      }
      JsonNode message = chunk.get("message");
      if (message == null || !message.isObject()) {
        throw ErrorMapper.malformed(
            info,
            status,
            requestId,
            "200 response is not an Ollama chat reply (no 'message'); fields: "
                + OpenAiWire.fieldNames(chunk),
            null);
      }
      if (model == null) {
        model = WireJson.text(chunk, "model");
      }
      String c = WireJson.text(message, "content");
      if (c != null) {
        text.append(c);
        sawContent = sawContent || !c.isEmpty();
      }
      String t = WireJson.text(message, "thinking");
      if (t != null) {
        thinking.append(t);
      }
      JsonNode tc = message.get("tool_calls");
      if (tc != null && tc.isArray()) {
        for (JsonNode call : tc) {
          JsonNode fn = call.path("function");
          calls.add(
              new ToolCall(
                  WireJson.text(call, "id"),
                  OpenAiWire.nullToEmpty(WireJson.text(fn, "name")),
                  OpenAiWire.arguments(fn.get("arguments"))));
        }
      }
      if (chunk.path("done").asBoolean(false)) {
        done = true;
        doneReason = WireJson.text(chunk, "done_reason");
      }
      if (chunk.has("prompt_eval_count") || chunk.has("eval_count")) {
        sawCounts = true;
        promptTokens = WireJson.count(chunk, "prompt_eval_count");
        completionTokens = WireJson.count(chunk, "eval_count");
      }
    }

    /** Reads NDJSON lines until the {@code done} chunk. */
    public void readNdjson(BufferedSource source, int status) throws IOException {
      String line;
      while (!done && (line = source.readUtf8Line()) != null) {
        if (!line.isBlank()) {
          add(HttpSupport.parseJson(line, info, status, requestId), status);
        }
      }
      if (!done) {
        throw ErrorMapper.malformed(
            info, status, requestId, "stream ended before the chunk with done=true", null);
      }
    }

    public ChatResponse response(Duration latency) {
      String content = sawContent || calls.isEmpty() ? text.toString() : null;
      Reasoning.Split split = Reasoning.split(content);
      String finish = doneReason;
      if (!calls.isEmpty() && (finish == null || finish.equals("stop"))) {
        finish = "tool_calls";
      }
      Usage usage =
          sawCounts
              ? new Usage(
                  promptTokens, completionTokens, promptTokens + completionTokens, null, null)
              : Usage.NONE;
      return new ChatResponse(
          split.text(),
          calls,
          finish,
          Reasoning.firstNonEmpty(thinking.toString(), split.reasoning()),
          usage,
          model != null ? model : info.model(),
          requestId,
          latency,
          info.provider());
    }
  }
}
