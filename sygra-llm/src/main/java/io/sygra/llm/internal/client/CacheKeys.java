package io.sygra.llm.internal.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sygra.llm.ChatMessage;
import io.sygra.llm.ChatRequest;
import io.sygra.llm.ContentPart;
import io.sygra.llm.ToolCall;
import io.sygra.llm.ToolDefinition;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Response-cache keys: the SHA-256 of a canonical JSON form of everything that shapes a reply
 * (namespace = provider and base URLs, resolved model, messages, every sampling parameter, tools,
 * response format, extra body), with object keys sorted. The API key, timeouts and tags are not
 * part of it.
 */
public final class CacheKeys {
  private CacheKeys() {}

  /** Bumped when the canonical form changes, so old persistent entries are never misread. */
  static final int VERSION = 1;

  public static String key(String namespace, String model, ChatRequest r) {
    return sha256(WireJson.write(WireJson.canonical(canonical(namespace, model, r))));
  }

  static ObjectNode canonical(String namespace, String model, ChatRequest r) {
    ObjectNode o = WireJson.object();
    o.put("v", VERSION);
    o.put("namespace", namespace);
    o.put("model", model);
    ArrayNode messages = o.putArray("messages");
    for (ChatMessage m : r.messages()) {
      ObjectNode mo = messages.addObject();
      mo.put("role", m.role().wireName());
      ArrayNode parts = mo.putArray("content");
      for (ContentPart p : m.content()) {
        if (p instanceof ContentPart.Text t) {
          parts.addObject().put("text", t.text());
        } else if (p instanceof ContentPart.Image img) {
          parts.addObject().put("image", img.url()).put("detail", img.detail());
        }
      }
      mo.put("name", m.name());
      ArrayNode calls = mo.putArray("tool_calls");
      for (ToolCall c : m.toolCalls()) {
        calls.addObject().put("id", c.id()).put("name", c.name()).put("arguments", c.arguments());
      }
      mo.put("tool_call_id", m.toolCallId());
    }
    putNumber(o, "temperature", r.temperature());
    putNumber(o, "top_p", r.topP());
    putNumber(o, "max_tokens", r.maxTokens());
    ArrayNode stop = o.putArray("stop");
    r.stop().forEach(stop::add);
    putNumber(o, "seed", r.seed());
    putNumber(o, "presence_penalty", r.presencePenalty());
    putNumber(o, "frequency_penalty", r.frequencyPenalty());
    o.put("logprobs", r.logprobs());
    putNumber(o, "top_logprobs", r.topLogprobs());
    ArrayNode tools = o.putArray("tools");
    for (ToolDefinition t : r.tools()) {
      ObjectNode to = tools.addObject();
      to.put("name", t.name());
      to.put("description", t.description());
      to.set("parameters", WireJson.tree(t.parameters()));
      to.put("strict", t.strict());
    }
    o.put("tool_choice", r.toolChoice());
    o.set(
        "response_format",
        r.responseFormat() == null
            ? WireJson.NODES.nullNode()
            : OpenAiWire.responseFormat(r.responseFormat()));
    o.set("extra", WireJson.tree(r.extraBody()));
    return o;
  }

  private static void putNumber(ObjectNode o, String field, Number n) {
    if (n == null) {
      o.putNull(field);
    } else {
      JsonNode v = WireJson.tree(n);
      o.set(field, v);
    }
  }

  static String sha256(String s) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }
}
