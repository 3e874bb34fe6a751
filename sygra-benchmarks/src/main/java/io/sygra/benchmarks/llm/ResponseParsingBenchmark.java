package io.sygra.benchmarks.llm;

import com.fasterxml.jackson.databind.JsonNode;
import io.sygra.llm.ChatMessage;
import io.sygra.llm.ChatRequest;
import io.sygra.llm.ChatResponse;
import io.sygra.llm.internal.client.ErrorMapper;
import io.sygra.llm.internal.client.HttpSupport;
import io.sygra.llm.internal.client.OpenAiWire;
import io.sygra.llm.internal.client.WireJson;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The OpenAI-compatible client's JSON work per call, through the same (internal) code the client
 * runs: reading a chat completion from the body bytes ({@code parseBytes}, the path since the bytes
 * change) versus decoding it to a String first ({@code parseString}, the path before), and building
 * a request body. The reply is what the fake server sends: 16 words plus usage.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ResponseParsingBenchmark {
  static final String REPLY =
      "{\"id\":\"chatcmpl-5f1c2a9b\",\"object\":\"chat.completion\",\"created\":1763780000,"
          + "\"model\":\"sygra-fake\",\"choices\":[{\"index\":0,\"message\":{\"role\":"
          + "\"assistant\",\"content\":\"Echo record 12345 alpha bravo charlie delta echo foxtrot"
          + " golf hotel india juliet kilo lima\"},\"logprobs\":null,\"finish_reason\":\"stop\"}],"
          + "\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":16,\"total_tokens\":28}}";

  private byte[] bytes;
  private ErrorMapper.CallInfo info;
  private ChatRequest request;
  private OpenAiWire.Options options;

  @Setup
  public void setup() {
    bytes = REPLY.getBytes(StandardCharsets.UTF_8);
    info = new ErrorMapper.CallInfo("openai", "sygra-fake", null);
    request =
        ChatRequest.builder()
            .addMessage(ChatMessage.system("You are a careful assistant."))
            .addMessage(ChatMessage.user("Echo record 12345"))
            .maxTokens(256)
            .build();
    options = new OpenAiWire.Options(OpenAiWire.MaxTokensField.MAX_TOKENS, false, true, true);
  }

  @Benchmark
  public ChatResponse parseBytes() {
    JsonNode root = HttpSupport.parseJson(bytes, info, 200, "req-1");
    return OpenAiWire.parse(root, info, 200, "req-1", Duration.ZERO);
  }

  @Benchmark
  public ChatResponse parseString() {
    String body = new String(bytes, StandardCharsets.UTF_8);
    JsonNode root = HttpSupport.parseJson(body, info, 200, "req-1");
    return OpenAiWire.parse(root, info, 200, "req-1", Duration.ZERO);
  }

  @Benchmark
  public byte[] buildRequestBody() {
    return WireJson.writeBytes(OpenAiWire.request(request, "sygra-fake", options));
  }
}
