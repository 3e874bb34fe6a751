package io.sygra.benchmarks.fake;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Builds the bodies of the fake server's replies. Everything that depends on the request is derived
 * from hashes of it, so the same request body always gets the same content. Loop-confined.
 */
final class ReplyFactory {
  /** How many words of the last user message a text reply starts with. */
  static final int ECHO_WORDS = 8;

  private static final String[] WORDS = {
    "the", "model", "data", "answer", "because", "each", "record", "graph", "token", "quality",
    "sample", "value", "train", "result", "simple", "clear", "output", "review", "step", "reason",
    "example", "context", "response", "system", "with", "from", "into", "about", "which", "while",
    "number", "signal", "useful", "short", "detail", "method", "check", "ground", "truth", "prompt",
    "filter", "judge", "score", "batch", "label", "format", "turn", "message", "final", "draft",
    "revise", "better", "rough", "point", "idea", "fact", "claim", "source", "summary", "list",
    "test", "fake", "server", "done"
  };

  final ObjectMapper mapper = new ObjectMapper();
  private final JsonFactory json = mapper.getFactory();
  private final ByteArrayBuilder buffer = new ByteArrayBuilder(4096);
  private final int minTokens;
  private final int maxTokens;
  private final int embeddingDimensions;
  private final List<String> models;

  /** One generated choice. */
  record Choice(String content, String finishReason, int completionTokens) {}

  /** A generated chat reply, before serialisation. */
  record ChatReply(String model, List<Choice> choices, int promptTokens) {
    int completionTokens() {
      return choices.stream().mapToInt(Choice::completionTokens).sum();
    }
  }

  /** A serialised embeddings reply and its token count. */
  record EmbeddingReply(byte[] json, int promptTokens) {}

  ReplyFactory(int minTokens, int maxTokens, int embeddingDimensions, List<String> models) {
    this.minTokens = minTokens;
    this.maxTokens = maxTokens;
    this.embeddingDimensions = embeddingDimensions;
    this.models = List.copyOf(models);
  }

  String defaultModel() {
    return models.get(0);
  }

  /** Checks a chat request's shape; returns an error message or null. */
  static String validateChat(JsonNode request) {
    JsonNode messages = request.get("messages");
    if (messages == null || !messages.isArray() || messages.isEmpty()) {
      return "'messages' must be a non-empty array";
    }
    for (JsonNode message : messages) {
      if (!message.isObject() || !message.path("role").isTextual()) {
        return "every message needs a string 'role'";
      }
    }
    int n = request.path("n").asInt(1);
    if (n < 1 || n > 128) {
      return "'n' must be in 1..128 but was " + n;
    }
    return null;
  }

  /** Checks an embeddings request's shape; returns an error message or null. */
  static String validateEmbeddings(JsonNode request) {
    JsonNode input = request.get("input");
    if (input == null || !(input.isTextual() || (input.isArray() && !input.isEmpty()))) {
      return "'input' must be a string or a non-empty array";
    }
    return null;
  }

  /** The text of a message's content: a string, or the concatenated text parts. */
  static String text(JsonNode content) {
    if (content == null || content.isNull()) {
      return "";
    }
    if (content.isTextual()) {
      return content.asText();
    }
    if (content.isArray()) {
      StringBuilder sb = new StringBuilder();
      for (JsonNode part : content) {
        if (part.isTextual()) {
          sb.append(part.asText());
        } else if (part.path("text").isTextual()) {
          if (sb.length() > 0) {
            sb.append(' ');
          }
          sb.append(part.get("text").asText());
        }
      }
      return sb.toString();
    }
    return content.toString();
  }

  /** The text of the last user message (or of the last message, if none is from the user). */
  static String lastUserText(JsonNode request) {
    JsonNode messages = request.path("messages");
    for (int i = messages.size() - 1; i >= 0; i--) {
      if ("user".equals(messages.get(i).path("role").asText())) {
        return text(messages.get(i).get("content"));
      }
    }
    return messages.isEmpty() ? "" : text(messages.get(messages.size() - 1).get("content"));
  }

  /** Approximates OpenAI's prompt token count: about four characters per token. */
  static int promptTokens(JsonNode request) {
    int tokens = 3;
    for (JsonNode message : request.path("messages")) {
      tokens += 4 + approxTokens(text(message.get("content")));
    }
    return tokens;
  }

  static int approxTokens(String text) {
    return (text.length() + 3) / 4;
  }

  ChatReply chat(JsonNode request, long bodyHash) {
    String model = request.path("model").asText(defaultModel());
    String userText = lastUserText(request);
    int n = request.path("n").asInt(1);
    JsonNode limitNode =
        request.hasNonNull("max_completion_tokens")
            ? request.get("max_completion_tokens")
            : request.get("max_tokens");
    int limit = limitNode != null && limitNode.canConvertToInt() ? limitNode.asInt() : -1;
    JsonNode responseFormat = request.path("response_format");
    String formatType = responseFormat.path("type").asText("text");
    List<Choice> choices = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      long hash = i == 0 ? bodyHash : Hashing.mix64(bodyHash + i);
      if (formatType.equals("json_schema")) {
        JsonNode schema = responseFormat.path("json_schema").path("schema");
        String content = SchemaValues.generate(schema, hash, echo(userText)).toString();
        choices.add(new Choice(content, "stop", Math.max(1, approxTokens(content))));
      } else if (formatType.equals("json_object")) {
        ObjectNode object = mapper.createObjectNode();
        object.put("answer", words(userText, hash, targetTokens(hash, limit)));
        String content = object.toString();
        choices.add(new Choice(content, "stop", Math.max(1, approxTokens(content))));
      } else {
        int target = targetTokens(hash, -1);
        int tokens = limit >= 0 ? Math.min(target, limit) : target;
        choices.add(
            new Choice(words(userText, hash, tokens), tokens < target ? "length" : "stop", tokens));
      }
    }
    return new ChatReply(model, choices, promptTokens(request));
  }

  private int targetTokens(long hash, int limit) {
    int span = maxTokens - minTokens + 1;
    int target = minTokens + (int) Math.floorMod(Hashing.mix64(hash ^ 0x5bd1e995L), (long) span);
    return limit >= 0 ? Math.min(target, limit) : target;
  }

  /** The first {@link #ECHO_WORDS} whitespace-separated words of the text. */
  static List<String> echoWords(String text) {
    List<String> words = new ArrayList<>(ECHO_WORDS);
    int i = 0;
    int length = text.length();
    while (words.size() < ECHO_WORDS) {
      while (i < length && Character.isWhitespace(text.charAt(i))) {
        i++;
      }
      if (i == length) {
        break;
      }
      int start = i;
      while (i < length && !Character.isWhitespace(text.charAt(i))) {
        i++;
      }
      words.add(text.substring(start, i));
    }
    return words;
  }

  private static String echo(String userText) {
    return String.join(" ", echoWords(userText));
  }

  /** {@code tokens} words: the start of the user message, then deterministic filler. */
  private static String words(String userText, long hash, int tokens) {
    StringBuilder sb = new StringBuilder(tokens * 7);
    int written = 0;
    for (String word : echoWords(userText)) {
      if (written == tokens) {
        break;
      }
      if (written > 0) {
        sb.append(' ');
      }
      sb.append(word);
      written++;
    }
    long h = hash;
    while (written < tokens) {
      h = Hashing.mix64(h + 0x9E3779B97F4A7C15L);
      if (written > 0) {
        sb.append(' ');
      }
      sb.append(WORDS[(int) (h >>> 58)]);
      written++;
    }
    return sb.toString();
  }

  byte[] chatCompletion(ChatReply reply, String id, long created) {
    try (JsonGenerator g = json.createGenerator(buffer)) {
      g.writeStartObject();
      g.writeStringField("id", id);
      g.writeStringField("object", "chat.completion");
      g.writeNumberField("created", created);
      g.writeStringField("model", reply.model());
      g.writeStringField("system_fingerprint", "fp_sygra_fake");
      g.writeArrayFieldStart("choices");
      for (int i = 0; i < reply.choices().size(); i++) {
        Choice choice = reply.choices().get(i);
        g.writeStartObject();
        g.writeNumberField("index", i);
        g.writeObjectFieldStart("message");
        g.writeStringField("role", "assistant");
        g.writeStringField("content", choice.content());
        g.writeNullField("refusal");
        g.writeEndObject();
        g.writeNullField("logprobs");
        g.writeStringField("finish_reason", choice.finishReason());
        g.writeEndObject();
      }
      g.writeEndArray();
      writeUsage(g, reply.promptTokens(), reply.completionTokens());
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return drain();
  }

  /** The JSON payloads of the SSE events of a streamed reply, without the "data: " framing. */
  List<byte[]> chatChunks(ChatReply reply, String id, long created, boolean includeUsage) {
    List<byte[]> chunks = new ArrayList<>();
    for (int i = 0; i < reply.choices().size(); i++) {
      Choice choice = reply.choices().get(i);
      chunks.add(chunk(reply, id, created, i, "", true, null));
      for (String piece : pieces(choice.content())) {
        chunks.add(chunk(reply, id, created, i, piece, false, null));
      }
      chunks.add(chunk(reply, id, created, i, null, false, choice.finishReason()));
    }
    if (includeUsage) {
      try (JsonGenerator g = json.createGenerator(buffer)) {
        chunkPreamble(g, reply, id, created);
        g.writeArrayFieldStart("choices");
        g.writeEndArray();
        writeUsage(g, reply.promptTokens(), reply.completionTokens());
        g.writeEndObject();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      chunks.add(drain());
    }
    return chunks;
  }

  private byte[] chunk(
      ChatReply reply,
      String id,
      long created,
      int index,
      String content,
      boolean withRole,
      String finishReason) {
    try (JsonGenerator g = json.createGenerator(buffer)) {
      chunkPreamble(g, reply, id, created);
      g.writeArrayFieldStart("choices");
      g.writeStartObject();
      g.writeNumberField("index", index);
      g.writeObjectFieldStart("delta");
      if (withRole) {
        g.writeStringField("role", "assistant");
      }
      if (content != null) {
        g.writeStringField("content", content);
      }
      g.writeEndObject();
      g.writeNullField("logprobs");
      if (finishReason == null) {
        g.writeNullField("finish_reason");
      } else {
        g.writeStringField("finish_reason", finishReason);
      }
      g.writeEndObject();
      g.writeEndArray();
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return drain();
  }

  private static void chunkPreamble(JsonGenerator g, ChatReply reply, String id, long created)
      throws IOException {
    g.writeStartObject();
    g.writeStringField("id", id);
    g.writeStringField("object", "chat.completion.chunk");
    g.writeNumberField("created", created);
    g.writeStringField("model", reply.model());
    g.writeStringField("system_fingerprint", "fp_sygra_fake");
  }

  /** Token-like pieces: each word with its leading space, long runs cut every 16 characters. */
  static List<String> pieces(String content) {
    List<String> pieces = new ArrayList<>();
    int start = 0;
    for (int i = 1; i <= content.length(); i++) {
      if (i == content.length() || content.charAt(i) == ' ' || i - start >= 16) {
        pieces.add(content.substring(start, i));
        start = i;
      }
    }
    return pieces;
  }

  private static void writeUsage(JsonGenerator g, int prompt, int completion) throws IOException {
    g.writeObjectFieldStart("usage");
    g.writeNumberField("prompt_tokens", prompt);
    g.writeNumberField("completion_tokens", completion);
    g.writeNumberField("total_tokens", prompt + completion);
    g.writeEndObject();
  }

  EmbeddingReply embeddings(JsonNode request) {
    String model = request.path("model").asText(defaultModel());
    int dimensions = request.path("dimensions").asInt(embeddingDimensions);
    if (dimensions < 1 || dimensions > 65_536) {
      throw new IllegalArgumentException("'dimensions' must be in 1..65536 but was " + dimensions);
    }
    boolean base64 = "base64".equals(request.path("encoding_format").asText());
    JsonNode input = request.get("input");
    List<String> items = new ArrayList<>();
    if (input.isTextual()) {
      items.add(input.asText());
    } else if (input.get(0).isNumber()) {
      items.add(input.toString()); // one input given as token ids
    } else {
      input.forEach(item -> items.add(item.isTextual() ? item.asText() : item.toString()));
    }
    ObjectNode root = mapper.createObjectNode();
    root.put("object", "list");
    ArrayNode data = root.putArray("data");
    int tokens = 0;
    for (int i = 0; i < items.size(); i++) {
      float[] vector = vector(items.get(i), dimensions);
      tokens += Math.max(1, approxTokens(items.get(i)));
      ObjectNode item = data.addObject();
      item.put("object", "embedding");
      item.put("index", i);
      if (base64) {
        ByteBuffer bytes = ByteBuffer.allocate(4 * dimensions).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : vector) {
          bytes.putFloat(f);
        }
        item.put("embedding", Base64.getEncoder().encodeToString(bytes.array()));
      } else {
        ArrayNode values = item.putArray("embedding");
        for (float f : vector) {
          values.add(f);
        }
      }
    }
    root.put("model", model);
    ObjectNode usage = root.putObject("usage");
    usage.put("prompt_tokens", tokens);
    usage.put("total_tokens", tokens);
    return new EmbeddingReply(toBytes(root), tokens);
  }

  /** A unit vector that depends only on the text and the dimension count. */
  static float[] vector(String text, int dimensions) {
    long h = Hashing.hash(text);
    float[] vector = new float[dimensions];
    double norm = 0;
    for (int j = 0; j < dimensions; j++) {
      h = Hashing.mix64(h + 0x9E3779B97F4A7C15L);
      double v = ((h >>> 11) * 0x1.0p-53) * 2.0 - 1.0;
      vector[j] = (float) v;
      norm += v * v;
    }
    float scale = (float) (1.0 / Math.sqrt(Math.max(norm, 1e-12)));
    for (int j = 0; j < dimensions; j++) {
      vector[j] *= scale;
    }
    return vector;
  }

  byte[] models(long created) {
    ObjectNode root = mapper.createObjectNode();
    root.put("object", "list");
    ArrayNode data = root.putArray("data");
    for (String model : models) {
      ObjectNode item = data.addObject();
      item.put("id", model);
      item.put("object", "model");
      item.put("created", created);
      item.put("owned_by", "sygra-fake");
    }
    return toBytes(root);
  }

  /** An OpenAI-style error body. */
  byte[] error(String message, String type, String code) {
    ObjectNode root = mapper.createObjectNode();
    ObjectNode error = root.putObject("error");
    error.put("message", message);
    error.put("type", type);
    error.putNull("param");
    if (code == null) {
      error.putNull("code");
    } else {
      error.put("code", code);
    }
    return toBytes(root);
  }

  byte[] toBytes(JsonNode node) {
    try {
      return mapper.writeValueAsBytes(node);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private byte[] drain() {
    byte[] bytes = buffer.toByteArray();
    buffer.reset();
    return bytes;
  }
}
