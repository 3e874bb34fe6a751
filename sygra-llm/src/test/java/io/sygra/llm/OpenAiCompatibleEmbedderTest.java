package io.sygra.llm;

import static io.sygra.llm.RecordingDispatcher.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The {@code /embeddings} client and its resilient wrapper against MockWebServer. The server below
 * answers every input with a vector derived from its text (synthetic, in OpenAI's documented
 * shape), so order and batching mistakes show.
 */
class OpenAiCompatibleEmbedderTest {
  private MockWebServer server;
  private final List<JsonNode> requests = new ArrayList<>();
  private int failFirst;

  @BeforeEach
  void start() throws Exception {
    server = new MockWebServer();
    server.setDispatcher(
        new mockwebserver3.Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest r) {
            synchronized (requests) {
              if (failFirst > 0) {
                failFirst--;
                return status(503, "{\"error\":{\"message\":\"busy\"}}");
              }
              try {
                JsonNode body = Cassettes.JSON.readTree(r.getBody().utf8());
                requests.add(body);
                StringBuilder data = new StringBuilder("[");
                JsonNode input = body.get("input");
                // answer in reverse order with explicit indexes, as servers may
                for (int i = input.size() - 1; i >= 0; i--) {
                  String text = input.get(i).asText();
                  data.append(i == input.size() - 1 ? "" : ",")
                      .append("{\"object\":\"embedding\",\"index\":")
                      .append(i)
                      .append(",\"embedding\":[")
                      .append(text.length())
                      .append(",")
                      .append((int) text.charAt(0))
                      .append(",0.5]}");
                }
                data.append("]");
                return status(
                    200,
                    "{\"object\":\"list\",\"data\":"
                        + data
                        + ",\"model\":\"e\",\"usage\":{\"prompt_tokens\":3,\"total_tokens\":3}}");
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            }
          }
        });
    server.start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private OpenAiCompatibleEmbedder embedder(int batch) {
    return OpenAiCompatibleEmbedder.builder()
        .baseUrl(server.url("/v1").toString())
        .model("e")
        .apiKey(Secret.of("sk-emb"))
        .maxBatchSize(batch)
        .build();
  }

  @Test
  void embedsInInputOrderAcrossBatches() {
    try (OpenAiCompatibleEmbedder e = embedder(2)) {
      assertThat(e.dimensions()).isEqualTo(-1);
      float[][] v = e.embedBlocking(List.of("a", "bb", "ccc", "dddd", "eeeee"));
      assertThat(v).hasNumberOfRows(5);
      for (int i = 0; i < 5; i++) {
        assertThat(v[i][0]).isEqualTo(i + 1);
        assertThat(v[i][1]).isEqualTo((float) ('a' + i));
      }
      assertThat(e.dimensions()).isEqualTo(3);
      assertThat(requests).hasSize(3);
      assertThat(requests.get(0).get("encoding_format").asText()).isEqualTo("float");
      assertThat(e.embedBlocking(List.of())).isEmpty();
    }
  }

  @Test
  void readsBase64VectorsAndChecksDimensions() throws Exception {
    server.close();
    server = new MockWebServer();
    ByteBuffer buf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
    buf.putFloat(1.5f).putFloat(-2f);
    String b64 = Base64.getEncoder().encodeToString(buf.array());
    server.enqueue(status(200, "{\"data\":[{\"index\":0,\"embedding\":\"" + b64 + "\"}]}"));
    server.enqueue(status(200, "{\"data\":[{\"index\":0,\"embedding\":[1,2,3]}]}"));
    server.start();
    try (OpenAiCompatibleEmbedder e =
        OpenAiCompatibleEmbedder.builder()
            .baseUrl(server.url("/v1").toString())
            .dimensions(2)
            .build()) {
      assertThat(e.embedBlocking(List.of("x"))[0]).containsExactly(1.5f, -2f);
      assertThat(catchThrowable(() -> e.embedBlocking(List.of("y"))))
          .isInstanceOf(MalformedResponseException.class)
          .hasMessageContaining("expected 2 dimensions, got 3");
      JsonNode sent = Cassettes.JSON.readTree(server.takeRequest().getBody().utf8());
      assertThat(sent.get("dimensions").asInt()).isEqualTo(2);
    }
  }

  @Test
  void resilientEmbedderRetriesPerBatch() {
    failFirst = 1;
    try (ResilientEmbedder e =
        ResilientEmbedder.builder()
            .endpoint(embedder(2))
            .config(
                ResilienceConfig.builder()
                    .initialBackoff(Duration.ZERO)
                    .maxBackoff(Duration.ZERO)
                    .build())
            .budgets(BudgetRegistry.create())
            .build()) {
      float[][] v = e.embedBlocking(List.of("a", "bb", "ccc"));
      assertThat(v[2][0]).isEqualTo(3f);
      assertThat(e.dimensions()).isEqualTo(3);
      assertThat(e.model()).isEqualTo("e");
      assertThat(e.endpointStatus()).hasSize(1);
    }
    // two batches; one was refused once and retried alone
    assertThat(requests).hasSize(2);
  }

  @Test
  void fromEnvPrefersTheEmbeddingVariables() {
    try (OpenAiCompatibleEmbedder e =
        OpenAiCompatibleEmbedder.fromEnv(
            Map.of(
                "SYGRA_EMBEDDING_BASE_URL", "http://emb.local/v1",
                "SYGRA_BASE_URL", "http://chat.local/v1",
                "SYGRA_EMBEDDING_MODEL", "bge-m3",
                "SYGRA_EMBEDDING_DIMENSIONS", "1024"))) {
      assertThat(e.baseUrl()).isEqualTo("http://emb.local/v1");
      assertThat(e.model()).isEqualTo("bge-m3");
      assertThat(e.dimensions()).isEqualTo(1024);
    }
    assertThat(
            catchThrowable(
                () ->
                    OpenAiCompatibleEmbedder.fromEnv(
                        Map.of(
                            "SYGRA_BASE_URL", "http://x/v1", "SYGRA_EMBEDDING_DIMENSIONS", "big"))))
        .hasMessageStartingWith("SYGRA_EMBEDDING_DIMENSIONS");
  }
}
