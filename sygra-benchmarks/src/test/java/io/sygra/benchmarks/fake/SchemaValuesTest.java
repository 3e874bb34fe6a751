package io.sygra.benchmarks.fake;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SchemaValuesTest {
  private FakeLlmServer server;

  @AfterEach
  void close() {
    if (server != null) {
      server.close();
    }
  }

  private static JsonNode schema(String json) throws IOException {
    return TestClient.MAPPER.readTree(json.replace('\'', '"'));
  }

  @Test
  void fillsRequiredPropertiesWithTypedValuesWithinBounds() throws IOException {
    JsonNode schema =
        schema(
            "{'type':'object','properties':{"
                + "'score':{'type':'integer','minimum':1,'maximum':5},"
                + "'ratio':{'type':'number','exclusiveMinimum':0,'exclusiveMaximum':1},"
                + "'label':{'type':'string','enum':['good','bad']},"
                + "'pass':{'type':'boolean'},"
                + "'reason':{'type':'string','minLength':40,'maxLength':60},"
                + "'code':{'type':'string','maxLength':3},"
                + "'tags':{'type':'array','items':{'type':'string'},'minItems':2},"
                + "'when':{'type':'string','format':'date-time'},"
                + "'maybe':{'type':['null','integer'],'minimum':10}"
                + "},'required':['score','ratio','label','pass','reason','code','tags','when','maybe'],"
                + "'additionalProperties':false}");

    for (long hash = 0; hash < 50; hash++) {
      JsonNode value = SchemaValues.generate(schema, Hashing.mix64(hash), "an echo of the prompt");
      assertThat(value.path("score").isInt()).isTrue();
      assertThat(value.path("score").asInt()).isBetween(1, 5);
      assertThat(value.path("ratio").asDouble()).isStrictlyBetween(0.0, 1.0);
      assertThat(value.path("label").asText()).isEqualTo("good");
      assertThat(value.path("pass").isBoolean()).isTrue();
      assertThat(value.path("reason").asText()).hasSizeBetween(40, 60);
      assertThat(value.path("code").asText()).hasSizeLessThanOrEqualTo(3);
      assertThat(value.path("tags")).hasSize(2);
      assertThat(value.path("when").asText()).isEqualTo("2024-01-01T00:00:00Z");
      assertThat(value.path("maybe").asInt()).isEqualTo(10);
    }
  }

  @Test
  void integersVaryDeterministicallyAcrossTheRange() throws IOException {
    JsonNode schema =
        schema("{'type':'object','properties':{'s':{'type':'integer','minimum':1,'maximum':10}}}");

    java.util.Set<Integer> seen = new java.util.HashSet<>();
    for (long hash = 0; hash < 200; hash++) {
      seen.add(SchemaValues.generate(schema, Hashing.mix64(hash), "x").path("s").asInt());
    }

    assertThat(seen).hasSizeGreaterThan(5).allSatisfy(v -> assertThat(v).isBetween(1, 10));
    assertThat(SchemaValues.generate(schema, 99, "x"))
        .isEqualTo(SchemaValues.generate(schema, 99, "x"));
  }

  @Test
  void resolvesLocalRefsNestedObjectsAndCombinators() throws IOException {
    JsonNode schema =
        schema(
            "{'$defs':{'Step':{'type':'object','properties':{'n':{'type':'integer','minimum':3,'maximum':3},"
                + "'kind':{'const':'fixed'}},'required':['n','kind']}},"
                + "'type':'object','properties':{"
                + "'steps':{'type':'array','items':{'$ref':'#/$defs/Step'}},"
                + "'first':{'$ref':'#/$defs/Step'},"
                + "'either':{'anyOf':[{'type':'null'},{'type':'string','enum':['x','y']}]},"
                + "'both':{'allOf':[{'properties':{'a':{'type':'boolean'}},'required':['a']},"
                + "{'properties':{'b':{'type':'integer'}},'required':['b']}]}"
                + "},'required':['steps','first','either','both']}");

    JsonNode value = SchemaValues.generate(schema, 5, "text");

    assertThat(value.path("steps")).hasSize(1);
    assertThat(value.path("steps").get(0).path("n").asInt()).isEqualTo(3);
    assertThat(value.path("first").path("kind").asText()).isEqualTo("fixed");
    assertThat(value.path("either").asText()).isEqualTo("x");
    assertThat(value.path("both").path("a").asBoolean()).isTrue();
    assertThat(value.path("both").path("b").isIntegralNumber()).isTrue();
  }

  @Test
  void recursiveSchemasTerminate() throws IOException {
    JsonNode schema =
        schema(
            "{'type':'object','properties':{'name':{'type':'string'},"
                + "'children':{'type':'array','items':{'$ref':'#'}}},'required':['name']}");

    JsonNode value = SchemaValues.generate(schema, 1, "node");

    assertThat(value.path("name").asText()).contains("node");
    assertThat(value.toString().length()).isLessThan(100_000);
  }

  /** The shape a structured judge node would ask for. */
  record Verdict(int score, String reason, boolean pass, String label) {}

  @Test
  void jsonSchemaRepliesParseIntoTheRequestedType() throws IOException {
    server = FakeLlmServer.builder().start();
    TestClient client = new TestClient(server);
    ObjectNode body = TestClient.chatBody("Rate this answer: Paris is the capital of France.");
    ObjectNode format = body.putObject("response_format");
    format.put("type", "json_schema");
    ObjectNode jsonSchema = format.putObject("json_schema");
    jsonSchema.put("name", "verdict");
    jsonSchema.put("strict", true);
    jsonSchema.set(
        "schema",
        schema(
            "{'type':'object','properties':{'score':{'type':'integer','minimum':1,'maximum':10},"
                + "'reason':{'type':'string'},'pass':{'type':'boolean'},"
                + "'label':{'type':'string','enum':['accept','reject']}},"
                + "'required':['score','reason','pass','label'],'additionalProperties':false}"));

    String content = TestClient.content(client.post("/chat/completions", body, Map.of()));
    Verdict verdict = TestClient.MAPPER.readValue(content, Verdict.class);

    assertThat(verdict.score()).isBetween(1, 10);
    assertThat(verdict.reason()).contains("Rate this answer:");
    assertThat(verdict.pass()).isTrue();
    assertThat(verdict.label()).isEqualTo("accept");
  }

  @Test
  void jsonObjectRepliesAreJsonObjects() throws IOException {
    server = FakeLlmServer.builder().responseTokens(4).start();
    TestClient client = new TestClient(server);
    ObjectNode body = TestClient.chatBody("Reply in JSON");
    body.putObject("response_format").put("type", "json_object");

    String content = TestClient.content(client.post("/chat/completions", body, Map.of()));
    JsonNode json = TestClient.MAPPER.readTree(content);

    assertThat(json.isObject()).isTrue();
    assertThat(json.path("answer").asText()).startsWith("Reply in JSON").hasSizeGreaterThan(14);
  }

  @Test
  void streamedJsonSchemaRepliesConcatenateToValidJson() throws IOException {
    server = FakeLlmServer.builder().start();
    TestClient client = new TestClient(server);
    ObjectNode body = TestClient.chatBody("stream json");
    body.put("stream", true);
    ObjectNode format = body.putObject("response_format");
    format.put("type", "json_schema");
    format
        .putObject("json_schema")
        .put("name", "x")
        .set(
            "schema",
            schema(
                "{'type':'object','properties':{'items':{'type':'array','minItems':3,"
                    + "'items':{'type':'string'}}},'required':['items']}"));

    String sse = client.post("/chat/completions", body, Map.of()).body();
    StringBuilder content = new StringBuilder();
    for (String event : sse.split("\n\n")) {
      String data = event.substring("data: ".length());
      if (!data.equals("[DONE]")) {
        for (JsonNode choice : TestClient.MAPPER.readTree(data).path("choices")) {
          content.append(choice.path("delta").path("content").asText(""));
        }
      }
    }

    assertThat(TestClient.MAPPER.readTree(content.toString()).path("items")).hasSize(3);
  }

  @Test
  void piecesConcatenateToTheContent() {
    String content = "{\"a\":\"a long value without any spaces at all\",\"b\": 1}";
    List<String> pieces = ReplyFactory.pieces(content);
    assertThat(String.join("", pieces)).isEqualTo(content);
    assertThat(pieces).allSatisfy(p -> assertThat(p.length()).isLessThanOrEqualTo(16));
  }
}
