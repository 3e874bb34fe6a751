package io.sygra.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import mockwebserver3.MockResponse;

/** Reads VCR cassettes and turns their parts into requests, responses and comparable JSON. */
final class Cassettes {
  private Cassettes() {}

  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  static final ObjectMapper JSON = new ObjectMapper();

  /** Headers that describe the recorded transfer, not the re-serialized body we serve. */
  private static final Set<String> TRANSFER_HEADERS =
      Set.of("content-length", "transfer-encoding", "content-encoding", "connection");

  static List<JsonNode> interactions(Path cassette) {
    try {
      JsonNode root = YAML.readTree(cassette.toFile());
      List<JsonNode> out = new ArrayList<>();
      root.path("interactions").forEach(out::add);
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The recorded response: status, headers (minus transfer headers) and body. */
  static MockResponse response(JsonNode response) throws IOException {
    MockResponse.Builder b = new MockResponse.Builder().code(response.at("/status/code").asInt());
    Iterator<Map.Entry<String, JsonNode>> it = response.path("headers").fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> h = it.next();
      if (TRANSFER_HEADERS.contains(h.getKey().toLowerCase())) {
        continue;
      }
      for (JsonNode v : h.getValue()) {
        b.addHeaderLenient(h.getKey(), v.asText());
      }
    }
    b.body(body(response));
    return b.build();
  }

  static String body(JsonNode response) throws IOException {
    if (response.has("parsed_body")) {
      return JSON.writeValueAsString(response.get("parsed_body"));
    }
    return response.at("/body/string").asText("");
  }

  /**
   * The {@link ChatRequest} a client would have built to send {@code body}. What the request type
   * can express is mapped to its fields; anything it cannot (unknown keys, non-function tools,
   * message shapes with extra members, out-of-range values) is passed through {@code extraBody}, as
   * a user would, so the body sent still equals the recording.
   */
  static ChatRequest chatRequest(JsonNode body) {
    ChatRequest.Builder b = ChatRequest.builder();
    Set<String> handled = new java.util.HashSet<>(Set.of("stream", "stream_options"));
    if (body.path("model").isTextual()) {
      b.model(body.get("model").asText());
      handled.add("model");
    }
    List<ChatMessage> messages = new ArrayList<>();
    boolean messagesOk = body.path("messages").isArray() && !body.get("messages").isEmpty();
    if (messagesOk) {
      for (JsonNode m : body.get("messages")) {
        ChatMessage cm = representable(m) ? tryMessage(m) : null;
        if (cm == null) {
          messagesOk = false;
          break;
        }
        messages.add(cm);
      }
    }
    if (messagesOk) {
      b.messages(messages);
      handled.add("messages");
    } else {
      b.messages(List.of(ChatMessage.user("(sent as extra body)")));
    }
    handled.addAll(
        trySet(body, "temperature", v -> v.isNumber() && b.temperature(v.asDouble()) != null));
    handled.addAll(trySet(body, "top_p", v -> v.isNumber() && b.topP(v.asDouble()) != null));
    boolean both = body.has("max_tokens") && body.has("max_completion_tokens");
    handled.addAll(
        trySet(body, "max_tokens", v -> v.canConvertToInt() && b.maxTokens(v.asInt()) != null));
    if (!both) {
      handled.addAll(
          trySet(
              body,
              "max_completion_tokens",
              v -> v.canConvertToInt() && b.maxTokens(v.asInt()) != null));
    }
    handled.addAll(
        trySet(
            body,
            "stop",
            v -> {
              if (!v.isArray()) {
                return false;
              }
              List<String> list = new ArrayList<>();
              for (JsonNode s : v) {
                if (!s.isTextual()) {
                  return false;
                }
                list.add(s.asText());
              }
              return b.stop(list) != null;
            }));
    handled.addAll(
        trySet(
            body,
            "seed",
            v -> v.isIntegralNumber() && v.canConvertToLong() && b.seed(v.asLong()) != null));
    handled.addAll(
        trySet(
            body,
            "presence_penalty",
            v -> v.isNumber() && b.presencePenalty(v.asDouble()) != null));
    handled.addAll(
        trySet(
            body,
            "frequency_penalty",
            v -> v.isNumber() && b.frequencyPenalty(v.asDouble()) != null));
    handled.addAll(
        trySet(body, "logprobs", v -> v.isBoolean() && b.logprobs(v.asBoolean()) != null));
    handled.addAll(
        trySet(body, "top_logprobs", v -> v.canConvertToInt() && b.topLogprobs(v.asInt()) != null));
    handled.addAll(
        trySet(body, "tools", v -> v.isArray() && !v.isEmpty() && b.tools(tools(v)) != null));
    handled.addAll(
        trySet(
            body,
            "tool_choice",
            v -> {
              if (v.isTextual()) {
                return b.toolChoice(v.asText()) != null;
              }
              boolean plain =
                  v.isObject()
                      && v.size() == 2
                      && "function".equals(v.path("type").asText())
                      && v.path("function").size() == 1
                      && v.at("/function/name").isTextual();
              return plain && b.toolChoice(v.at("/function/name").asText()) != null;
            }));
    handled.addAll(trySet(body, "response_format", v -> b.responseFormat(format(v)) != null));
    Iterator<Map.Entry<String, JsonNode>> fields = body.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> f = fields.next();
      if (!handled.contains(f.getKey())) {
        b.extraBody(f.getKey(), JSON.convertValue(f.getValue(), Object.class));
      }
    }
    return b.build();
  }

  /** Applies a field if present and expressible; returns the key when it was, else nothing. */
  private static Set<String> trySet(
      JsonNode body, String key, java.util.function.Predicate<JsonNode> setter) {
    JsonNode v = body.get(key);
    if (v == null) {
      return Set.of();
    }
    if (v.isNull()) {
      return Set.of(key); // dropped by normalization on both sides
    }
    try {
      return setter.test(v) ? Set.of(key) : Set.of();
    } catch (RuntimeException inexpressible) {
      return Set.of();
    }
  }

  private static List<ToolDefinition> tools(JsonNode v) {
    List<ToolDefinition> tools = new ArrayList<>();
    for (JsonNode t : v) {
      JsonNode fn = t.path("function");
      boolean plain =
          t.size() == 2
              && "function".equals(t.path("type").asText())
              && fn.isObject()
              && onlyKeys(fn, "name", "description", "parameters", "strict")
              && fn.path("name").isTextual()
              && (!fn.has("parameters") || fn.get("parameters").isObject())
              && (!fn.has("description") || fn.get("description").isTextual());
      if (!plain) {
        throw new IllegalArgumentException("not a plain function tool");
      }
      @SuppressWarnings("unchecked")
      Map<String, Object> params =
          fn.has("parameters") ? JSON.convertValue(fn.get("parameters"), Map.class) : null;
      tools.add(
          new ToolDefinition(
              fn.get("name").asText(),
              fn.path("description").asText(""),
              params,
              fn.path("strict").asBoolean(false)));
    }
    return tools;
  }

  private static ResponseFormat format(JsonNode rf) {
    String type = rf.path("type").asText();
    if (type.equals("json_schema") && rf.size() == 2) {
      JsonNode js = rf.path("json_schema");
      if (onlyKeys(js, "name", "schema", "strict") && js.path("schema").isObject()) {
        @SuppressWarnings("unchecked")
        Map<String, Object> schema = JSON.convertValue(js.get("schema"), Map.class);
        return new ResponseFormat.JsonSchema(
            js.path("name").asText(), schema, js.path("strict").asBoolean(false));
      }
    } else if (type.equals("json_object") && rf.size() == 1) {
      return new ResponseFormat.JsonObject();
    } else if (type.equals("text") && rf.size() == 1) {
      return new ResponseFormat.Text();
    }
    throw new IllegalArgumentException("response_format not expressible");
  }

  private static boolean onlyKeys(JsonNode node, String... allowed) {
    Set<String> ok = Set.of(allowed);
    Iterator<String> it = node.fieldNames();
    while (it.hasNext()) {
      if (!ok.contains(it.next())) {
        return false;
      }
    }
    return true;
  }

  /** True when the message uses only what {@link ChatMessage} can express. */
  private static boolean representable(JsonNode m) {
    if (!onlyKeys(m, "role", "content", "name", "tool_calls", "tool_call_id")) {
      return false;
    }
    JsonNode content = m.get("content");
    if (content != null && content.isArray()) {
      for (JsonNode p : content) {
        String type = p.path("type").asText();
        boolean text = type.equals("text") && onlyKeys(p, "type", "text");
        boolean image =
            type.equals("image_url")
                && onlyKeys(p, "type", "image_url")
                && onlyKeys(p.path("image_url"), "url", "detail");
        if (!text && !image) {
          return false;
        }
      }
    } else if (content != null && !content.isTextual() && !content.isNull()) {
      return false;
    }
    for (JsonNode c : m.path("tool_calls")) {
      if (!onlyKeys(c, "id", "type", "function")
          || !onlyKeys(c.path("function"), "name", "arguments")
          || !c.at("/function/arguments").isTextual()) {
        return false;
      }
    }
    return true;
  }

  private static ChatMessage tryMessage(JsonNode m) {
    try {
      return message(m);
    } catch (RuntimeException inexpressible) {
      return null;
    }
  }

  static ChatMessage message(JsonNode m) {
    ChatMessage.Role role = ChatMessage.Role.parse(m.path("role").asText());
    List<ContentPart> parts = new ArrayList<>();
    JsonNode content = m.get("content");
    if (content != null && content.isTextual()) {
      parts.add(new ContentPart.Text(content.asText()));
    } else if (content != null && content.isArray()) {
      for (JsonNode p : content) {
        if ("image_url".equals(p.path("type").asText())) {
          JsonNode url = p.path("image_url");
          parts.add(
              new ContentPart.Image(
                  url.path("url").asText(),
                  url.hasNonNull("detail") ? url.get("detail").asText() : null));
        } else {
          parts.add(new ContentPart.Text(p.path("text").asText("")));
        }
      }
    }
    List<ToolCall> calls = new ArrayList<>();
    for (JsonNode c : m.path("tool_calls")) {
      calls.add(
          new ToolCall(
              c.hasNonNull("id") ? c.get("id").asText() : null,
              c.at("/function/name").asText(),
              c.at("/function/arguments").asText()));
    }
    return new ChatMessage(
        role,
        parts,
        m.hasNonNull("name") ? m.get("name").asText() : null,
        calls,
        m.hasNonNull("tool_call_id") ? m.get("tool_call_id").asText() : null);
  }

  /**
   * A request body in a form where equivalent encodings compare equal: null members, {@code strict:
   * false}, empty descriptions, empty tool lists and {@code stream: false} dropped; text-only
   * content part lists joined into a string; numbers compared as doubles.
   */
  static JsonNode normalize(JsonNode node) {
    if (node.isObject()) {
      ObjectNode out = JsonNodeFactory.instance.objectNode();
      Iterator<Map.Entry<String, JsonNode>> it = node.fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        JsonNode v = e.getValue();
        String k = e.getKey();
        if (v.isNull()
            || (k.equals("strict") && v.isBoolean() && !v.asBoolean())
            || (k.equals("stream") && v.isBoolean() && !v.asBoolean())
            || (k.equals("description") && v.isTextual() && v.asText().isEmpty())
            || (k.equals("tools") && v.isArray() && v.isEmpty())
            || (k.equals("tool_calls") && v.isArray() && v.isEmpty())) {
          continue;
        }
        if (k.equals("content") && v.isArray() && allText(v)) {
          StringBuilder sb = new StringBuilder();
          v.forEach(p -> sb.append(p.isTextual() ? p.asText() : p.path("text").asText()));
          out.put(k, sb.toString());
          continue;
        }
        out.set(k, normalize(v));
      }
      return out;
    }
    if (node.isArray()) {
      ArrayNode out = JsonNodeFactory.instance.arrayNode();
      node.forEach(n -> out.add(normalize(n)));
      return out;
    }
    if (node.isNumber() && node.canConvertToLong() && node.isIntegralNumber()) {
      return JsonNodeFactory.instance.numberNode(node.asDouble());
    }
    if (node.isNumber()) {
      return JsonNodeFactory.instance.numberNode(node.asDouble());
    }
    return node;
  }

  private static boolean allText(JsonNode parts) {
    for (JsonNode p : parts) {
      if (!p.isTextual() && !"text".equals(p.path("type").asText())) {
        return false;
      }
    }
    return true;
  }
}
