package io.sygra.llm.internal.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sygra.llm.ChatMessage;
import io.sygra.llm.ChatRequest;
import io.sygra.llm.ChatResponse;
import io.sygra.llm.ContentPart;
import io.sygra.llm.ResponseFormat;
import io.sygra.llm.ToolCall;
import io.sygra.llm.ToolDefinition;
import io.sygra.llm.Usage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The OpenAI chat-completions wire format, as spoken by OpenAI, Azure OpenAI and the compatible
 * servers (vLLM, TGI, Ollama {@code /v1}, llama.cpp, LM Studio, Groq, DeepSeek, OpenRouter,
 * Gemini's compatible endpoint...). Tolerant when reading: {@code content} may be a string, null,
 * missing or a list of parts; tool-call arguments a string or an object; usage in any of the known
 * variants; unknown fields are ignored.
 */
public final class OpenAiWire {
  private OpenAiWire() {}

  /** Which request field carries the completion-token limit. */
  public enum MaxTokensField {
    MAX_TOKENS("max_tokens"),
    MAX_COMPLETION_TOKENS("max_completion_tokens");

    final String wire;

    MaxTokensField(String wire) {
      this.wire = wire;
    }
  }

  /** Request-shaping options of one client. */
  public record Options(
      MaxTokensField maxTokensField, boolean stream, boolean streamUsage, boolean sendModel) {}

  /** The request body. {@code model} is the resolved model name. */
  public static ObjectNode request(ChatRequest r, String model, Options o) {
    ObjectNode body = WireJson.object();
    if (o.sendModel() && model != null) {
      body.put("model", model);
    }
    ArrayNode messages = body.putArray("messages");
    for (ChatMessage m : r.messages()) {
      messages.add(message(m));
    }
    if (r.temperature() != null) {
      body.put("temperature", r.temperature());
    }
    if (r.topP() != null) {
      body.put("top_p", r.topP());
    }
    if (r.maxTokens() != null) {
      body.put(o.maxTokensField().wire, r.maxTokens());
    }
    if (!r.stop().isEmpty()) {
      ArrayNode stop = body.putArray("stop");
      r.stop().forEach(stop::add);
    }
    if (r.seed() != null) {
      body.put("seed", r.seed());
    }
    if (r.presencePenalty() != null) {
      body.put("presence_penalty", r.presencePenalty());
    }
    if (r.frequencyPenalty() != null) {
      body.put("frequency_penalty", r.frequencyPenalty());
    }
    if (r.logprobs() != null) {
      body.put("logprobs", r.logprobs());
    }
    if (r.topLogprobs() != null) {
      body.put("top_logprobs", r.topLogprobs());
    }
    if (!r.tools().isEmpty()) {
      ArrayNode tools = body.putArray("tools");
      for (ToolDefinition t : r.tools()) {
        ObjectNode fn = WireJson.object();
        fn.put("name", t.name());
        fn.put("description", t.description());
        fn.set("parameters", WireJson.tree(t.parameters()));
        if (t.strict()) {
          fn.put("strict", true);
        }
        tools.addObject().put("type", "function").set("function", fn);
      }
    }
    if (r.toolChoice() != null) {
      String tc = r.toolChoice();
      if (Set.of("auto", "none", "required").contains(tc)) {
        body.put("tool_choice", tc);
      } else {
        ObjectNode choice = body.putObject("tool_choice");
        choice.put("type", "function");
        choice.putObject("function").put("name", tc);
      }
    }
    if (r.responseFormat() != null) {
      body.set("response_format", responseFormat(r.responseFormat()));
    }
    body.put("stream", o.stream());
    if (o.stream() && o.streamUsage()) {
      body.putObject("stream_options").put("include_usage", true);
    }
    for (Map.Entry<String, Object> e : r.extraBody().entrySet()) {
      body.set(e.getKey(), WireJson.tree(e.getValue()));
    }
    return body;
  }

  static ObjectNode responseFormat(ResponseFormat f) {
    ObjectNode rf = WireJson.object();
    if (f instanceof ResponseFormat.JsonSchema js) {
      rf.put("type", "json_schema");
      ObjectNode schema = rf.putObject("json_schema");
      schema.put("name", js.name());
      schema.set("schema", WireJson.tree(js.schema()));
      schema.put("strict", js.strict());
    } else if (f instanceof ResponseFormat.JsonObject) {
      rf.put("type", "json_object");
    } else {
      rf.put("type", "text");
    }
    return rf;
  }

  static ObjectNode message(ChatMessage m) {
    ObjectNode out = WireJson.object();
    out.put("role", m.role().wireName());
    if (m.isMultimodal()) {
      ArrayNode parts = out.putArray("content");
      for (ContentPart p : m.content()) {
        if (p instanceof ContentPart.Text t) {
          parts.addObject().put("type", "text").put("text", t.text());
        } else if (p instanceof ContentPart.Image img) {
          ObjectNode url = parts.addObject().put("type", "image_url").putObject("image_url");
          url.put("url", img.url());
          if (img.detail() != null) {
            url.put("detail", img.detail());
          }
        }
      }
    } else {
      String text = m.text();
      if (text != null) {
        out.put("content", text);
      } else if (m.toolCalls().isEmpty()) {
        out.put("content", "");
      }
    }
    if (m.name() != null) {
      out.put("name", m.name());
    }
    if (!m.toolCalls().isEmpty()) {
      ArrayNode calls = out.putArray("tool_calls");
      for (ToolCall c : m.toolCalls()) {
        ObjectNode call = calls.addObject();
        call.put("id", c.id());
        call.put("type", "function");
        call.putObject("function").put("name", c.name()).put("arguments", c.arguments());
      }
    }
    if (m.toolCallId() != null) {
      out.put("tool_call_id", m.toolCallId());
    }
    return out;
  }

  /**
   * Reads a chat completion. Fails with a malformed-response exception when the body is not one (no
   * {@code choices}), and with the mapped exception when it is an error object.
   */
  public static ChatResponse parse(
      JsonNode root,
      ErrorMapper.CallInfo info,
      int status,
      String headerRequestId,
      Duration latency) {
    if (!root.isObject()) {
      throw ErrorMapper.malformed(
          info, status, headerRequestId, "expected a JSON object, got " + root.getNodeType(), null);
    }
    JsonNode choices = root.get("choices");
    if (choices == null || !choices.isArray()) {
      if (root.has("error")) {
        throw ErrorMapper.fromErrorObject(
            info, status, headerRequestId, ErrorMapper.fromJson(root));
      }
      throw ErrorMapper.malformed(
          info,
          status,
          headerRequestId,
          "200 response is not a chat completion (no 'choices'); fields: " + fieldNames(root),
          null);
    }
    if (choices.isEmpty()) {
      throw ErrorMapper.malformed(
          info, status, headerRequestId, "chat completion has no choices", null);
    }
    JsonNode choice = choices.get(0);
    JsonNode message = choice.get("message");
    if (message == null || !message.isObject()) {
      throw ErrorMapper.malformed(
          info, status, headerRequestId, "choices[0] has no 'message' object", null);
    }
    String content = contentText(message.get("content"));
    Reasoning.Split split = Reasoning.split(content);
    String reasoning =
        Reasoning.firstNonEmpty(
            WireJson.text(message, "reasoning_content"),
            WireJson.text(message, "reasoning"),
            split.reasoning());
    List<ToolCall> calls = new ArrayList<>();
    JsonNode tc = message.get("tool_calls");
    if (tc != null && tc.isArray()) {
      for (JsonNode c : tc) {
        JsonNode fn = c.path("function");
        calls.add(
            new ToolCall(
                WireJson.text(c, "id"),
                nullToEmpty(WireJson.text(fn, "name")),
                arguments(fn.get("arguments"))));
      }
    }
    String requestId = headerRequestId != null ? headerRequestId : WireJson.scalar(root.get("id"));
    return new ChatResponse(
        split.text(),
        calls,
        WireJson.text(choice, "finish_reason"),
        reasoning,
        usage(root.get("usage")),
        WireJson.text(root, "model") != null ? WireJson.text(root, "model") : info.model(),
        requestId,
        latency,
        info.provider());
  }

  /** Reads any known usage variant; {@link Usage#NONE} when absent. */
  public static Usage usage(JsonNode u) {
    if (u == null || !u.isObject()) {
      return Usage.NONE;
    }
    long prompt = WireJson.count(u, "prompt_tokens");
    long completion = WireJson.count(u, "completion_tokens");
    Long total = WireJson.optCount(u, "total_tokens");
    Long cached = WireJson.optCount(u.path("prompt_tokens_details"), "cached_tokens");
    if (cached == null) {
      cached = WireJson.optCount(u, "cached_tokens");
    }
    if (cached == null) {
      cached = WireJson.optCount(u, "prompt_cache_hit_tokens");
    }
    Long reasoning = WireJson.optCount(u.path("completion_tokens_details"), "reasoning_tokens");
    return new Usage(
        prompt, completion, total == null ? prompt + completion : total, cached, reasoning);
  }

  static String contentText(JsonNode content) {
    if (content == null || content.isNull()) {
      return null;
    }
    if (content.isTextual()) {
      return content.asText();
    }
    if (content.isArray()) {
      StringBuilder sb = new StringBuilder();
      for (JsonNode part : content) {
        if (part.isTextual()) {
          sb.append(part.asText());
        } else if (part.has("text") && part.get("text").isTextual()) {
          sb.append(part.get("text").asText());
        }
      }
      return sb.toString();
    }
    return content.toString();
  }

  static String arguments(JsonNode args) {
    if (args == null || args.isNull()) {
      return "";
    }
    return args.isTextual() ? args.asText() : WireJson.write(args);
  }

  static String nullToEmpty(String s) {
    return s == null ? "" : s;
  }

  static String fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names.toString();
  }
}
