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

/**
 * The Anthropic Messages API wire format. System and developer messages become the top-level {@code
 * system} prompt; tool results become {@code tool_result} blocks in a user turn; consecutive turns
 * of one role are merged. A JSON-schema response format is served by forcing a tool whose input
 * schema is the schema, and its input is returned as the reply text.
 */
public final class AnthropicWire {
  private AnthropicWire() {}

  /** Parameters this API has no equivalent for; dropped with a warning. */
  public static List<String> unsupported(ChatRequest r) {
    List<String> out = new ArrayList<>();
    if (r.seed() != null) {
      out.add("seed");
    }
    if (r.presencePenalty() != null) {
      out.add("presencePenalty");
    }
    if (r.frequencyPenalty() != null) {
      out.add("frequencyPenalty");
    }
    if (r.logprobs() != null || r.topLogprobs() != null) {
      out.add("logprobs");
    }
    return out;
  }

  /** The name of the tool forced to obtain schema-shaped JSON, or null. */
  public static String schemaToolName(ChatRequest r) {
    if (r.responseFormat() instanceof ResponseFormat.JsonSchema js) {
      String n = js.name().replaceAll("[^A-Za-z0-9_-]", "_");
      return n.isEmpty() ? "structured_reply" : (n.length() > 64 ? n.substring(0, 64) : n);
    }
    return null;
  }

  public static ObjectNode request(
      ChatRequest r, String model, int defaultMaxTokens, ErrorMapper.CallInfo info) {
    if (r.temperature() != null && r.temperature() > 1.0) {
      throw new BadRequestException(
          info.provider(),
          model,
          -1,
          null,
          null,
          "temperature must be in [0, 1] for Anthropic, was " + r.temperature(),
          null);
    }
    ObjectNode body = WireJson.object();
    body.put("model", model);
    body.put("max_tokens", r.maxTokens() != null ? r.maxTokens() : defaultMaxTokens);
    StringBuilder system = new StringBuilder();
    ArrayNode messages = body.putArray("messages");
    String lastRole = null;
    ArrayNode lastContent = null;
    for (ChatMessage m : r.messages()) {
      switch (m.role()) {
        case SYSTEM, DEVELOPER -> {
          if (m.text() != null && !m.text().isEmpty()) {
            if (system.length() > 0) {
              system.append("\n\n");
            }
            system.append(m.text());
          }
          continue;
        }
        default -> {}
      }
      String role = m.role() == ChatMessage.Role.ASSISTANT ? "assistant" : "user";
      if (!role.equals(lastRole)) {
        ObjectNode msg = messages.addObject();
        msg.put("role", role);
        lastContent = msg.putArray("content");
        lastRole = role;
      }
      addBlocks(lastContent, m);
    }
    if (r.responseFormat() instanceof ResponseFormat.JsonObject) {
      if (system.length() > 0) {
        system.append("\n\n");
      }
      system.append("Reply with a single JSON object and nothing else.");
    }
    if (system.length() > 0) {
      body.put("system", system.toString());
    }
    if (r.temperature() != null) {
      body.put("temperature", r.temperature());
    }
    if (r.topP() != null) {
      body.put("top_p", r.topP());
    }
    if (!r.stop().isEmpty()) {
      ArrayNode stop = body.putArray("stop_sequences");
      r.stop().forEach(stop::add);
    }
    String schemaTool = schemaToolName(r);
    if (!r.tools().isEmpty() || schemaTool != null) {
      ArrayNode tools = body.putArray("tools");
      for (ToolDefinition t : r.tools()) {
        ObjectNode tool = tools.addObject();
        tool.put("name", t.name());
        if (!t.description().isEmpty()) {
          tool.put("description", t.description());
        }
        tool.set("input_schema", WireJson.tree(t.parameters()));
      }
      if (schemaTool != null) {
        ResponseFormat.JsonSchema js = (ResponseFormat.JsonSchema) r.responseFormat();
        ObjectNode tool = tools.addObject();
        tool.put("name", schemaTool);
        tool.put("description", "Give the reply as this tool's input.");
        tool.set("input_schema", WireJson.tree(js.schema()));
      }
    }
    if (schemaTool != null) {
      if (r.toolChoice() != null) {
        throw new BadRequestException(
            info.provider(),
            model,
            -1,
            null,
            null,
            "a JSON-schema response format cannot be combined with toolChoice on Anthropic",
            null);
      }
      body.putObject("tool_choice").put("type", "tool").put("name", schemaTool);
    } else if (r.toolChoice() != null) {
      ObjectNode tc = body.putObject("tool_choice");
      switch (r.toolChoice()) {
        case "auto" -> tc.put("type", "auto");
        case "required" -> tc.put("type", "any");
        case "none" -> tc.put("type", "none");
        default -> tc.put("type", "tool").put("name", r.toolChoice());
      }
    }
    for (Map.Entry<String, Object> e : r.extraBody().entrySet()) {
      body.set(e.getKey(), WireJson.tree(e.getValue()));
    }
    return body;
  }

  private static void addBlocks(ArrayNode content, ChatMessage m) {
    if (m.role() == ChatMessage.Role.TOOL) {
      ObjectNode block = content.addObject();
      block.put("type", "tool_result");
      block.put("tool_use_id", m.toolCallId());
      block.put("content", m.text() == null ? "" : m.text());
      return;
    }
    for (ContentPart p : m.content()) {
      if (p instanceof ContentPart.Text t) {
        if (!t.text().isEmpty()) {
          content.addObject().put("type", "text").put("text", t.text());
        }
      } else if (p instanceof ContentPart.Image img) {
        ObjectNode block = content.addObject().put("type", "image");
        ObjectNode source = block.putObject("source");
        DataUrl data = DataUrl.parse(img.url());
        if (data != null) {
          source
              .put("type", "base64")
              .put("media_type", data.mediaType())
              .put("data", data.base64());
        } else {
          source.put("type", "url").put("url", img.url());
        }
      }
    }
    for (ToolCall c : m.toolCalls()) {
      ObjectNode block = content.addObject();
      block.put("type", "tool_use");
      block.put("id", c.id());
      block.put("name", c.name());
      block.set("input", argumentsObject(c.arguments()));
    }
  }

  /** Tool arguments as the JSON object Anthropic requires; unparsable text is kept under a key. */
  static JsonNode argumentsObject(String arguments) {
    if (arguments == null || arguments.isBlank()) {
      return WireJson.object();
    }
    try {
      JsonNode n = WireJson.MAPPER.readTree(arguments);
      if (n != null && n.isObject()) {
        return n;
      }
    } catch (IOException notJson) {
      // kept below
    }
    return WireJson.object().put("raw_arguments", arguments);
  }

  public static ChatResponse parse(
      JsonNode root,
      ErrorMapper.CallInfo info,
      int status,
      String headerRequestId,
      String schemaTool,
      Duration latency) {
    if (root.isObject() && "error".equals(WireJson.text(root, "type"))) {
      throw ErrorMapper.fromErrorObject(info, status, headerRequestId, ErrorMapper.fromJson(root));
    }
    JsonNode content = root.get("content");
    if (!root.isObject() || content == null || !content.isArray()) {
      throw ErrorMapper.malformed(
          info,
          status,
          headerRequestId,
          "200 response is not an Anthropic message (no 'content' list)",
          null);
    }
    StringBuilder text = null;
    StringBuilder thinking = null;
    String schemaJson = null;
    List<ToolCall> calls = new ArrayList<>();
    for (JsonNode block : content) {
      String type = WireJson.text(block, "type");
      if ("text".equals(type)) {
        text = text == null ? new StringBuilder() : text;
        text.append(block.path("text").asText(""));
      } else if ("thinking".equals(type)) {
        thinking = thinking == null ? new StringBuilder() : thinking;
        thinking.append(block.path("thinking").asText(""));
      } else if ("tool_use".equals(type)) {
        String name = block.path("name").asText("");
        JsonNode input = block.get("input");
        String args = input == null || input.isNull() ? "{}" : WireJson.write(input);
        if (name.equals(schemaTool)) {
          schemaJson = args;
        } else {
          calls.add(new ToolCall(WireJson.text(block, "id"), name, args));
        }
      }
    }
    String finish = finishReason(WireJson.text(root, "stop_reason"));
    String replyText = text == null ? null : text.toString();
    if (schemaJson != null) {
      replyText = schemaJson;
      if ("tool_calls".equals(finish) && calls.isEmpty()) {
        finish = "stop";
      }
    }
    Reasoning.Split split = Reasoning.split(replyText);
    JsonNode u = root.get("usage");
    Usage usage = Usage.NONE;
    if (u != null && u.isObject()) {
      long cacheRead = WireJson.count(u, "cache_read_input_tokens");
      long prompt =
          WireJson.count(u, "input_tokens")
              + WireJson.count(u, "cache_creation_input_tokens")
              + cacheRead;
      long completion = WireJson.count(u, "output_tokens");
      usage =
          new Usage(
              prompt,
              completion,
              prompt + completion,
              u.has("cache_read_input_tokens") ? cacheRead : null,
              null);
    }
    return new ChatResponse(
        split.text(),
        calls,
        finish,
        Reasoning.firstNonEmpty(thinking == null ? null : thinking.toString(), split.reasoning()),
        usage,
        WireJson.text(root, "model") != null ? WireJson.text(root, "model") : info.model(),
        headerRequestId != null ? headerRequestId : WireJson.text(root, "id"),
        latency,
        info.provider());
  }

  static String finishReason(String stop) {
    if (stop == null) {
      return null;
    }
    return switch (stop) {
      case "end_turn", "stop_sequence" -> "stop";
      case "max_tokens", "model_context_window_exceeded" -> "length";
      case "tool_use" -> "tool_calls";
      case "refusal" -> "content_filter";
      default -> stop;
    };
  }
}
