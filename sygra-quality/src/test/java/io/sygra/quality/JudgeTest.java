package io.sygra.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.sygra.core.ConfigurationException;
import io.sygra.llm.ModelClient;
import io.sygra.llm.ModelClients;
import io.sygra.llm.OpenAiCompatibleClient;
import io.sygra.llm.ResilienceConfig;
import io.sygra.llm.SimulatedModelClient;
import io.sygra.schema.Conversation;
import io.sygra.schema.Message;
import io.sygra.schema.Preference;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class JudgeTest {
  private JudgeServer server;
  private ModelClient client;

  @BeforeEach
  void start() throws Exception {
    server = new JudgeServer();
    client =
        ModelClients.builder()
            .endpoint(OpenAiCompatibleClient.builder().baseUrl(server.baseUrl()).build())
            .resilience(ResilienceConfig.builder().maxAttempts(1).build())
            .build();
  }

  @AfterEach
  void stop() {
    client.close();
    server.close();
  }

  private Judge judge() {
    return Judge.builder().client(client).model("judge-model").build();
  }

  private static QualitySample sft() {
    return QualitySample.of(
        "r1",
        Conversation.of(
            Message.user("Why is the sky blue?"),
            Message.assistant("Rayleigh scattering favours short wavelengths.")));
  }

  @SuppressWarnings("unchecked")
  @Test
  void rubricScoresRoutedByCategoryWithOverallOfApplicableScores() {
    server.classify =
        req ->
            JudgeServer.json(
                Map.of(
                    "category",
                    "code",
                    "instruction_tags",
                    List.of("python"),
                    "question_quality",
                    5,
                    "question_explanation",
                    "Precise."));
    // instruction_following 5, every other code criterion 3, error_handling not applicable.
    server.response =
        req -> {
          Map<String, Object> s = new java.util.LinkedHashMap<>();
          req.at("/response_format/json_schema/schema/properties")
              .fieldNames()
              .forEachRemaining(
                  n ->
                      s.put(
                          n,
                          Map.of(
                              "score",
                              n.equals("instruction_following")
                                  ? 5
                                  : n.equals("error_handling") ? -1 : 3,
                              "explanation",
                              "e")));
          return JudgeServer.json(s);
        };
    Map<String, Object> llm = judge().judgeBlocking(sft());
    assertThat(llm).doesNotContainKey("error");
    assertThat(llm.get("category")).isEqualTo("code");
    assertThat(llm.get("instruction_tags")).isEqualTo(List.of("python"));
    assertThat((Map<String, Object>) llm.get("question")).containsEntry("score", 5);
    Map<String, Object> response = (Map<String, Object>) llm.get("response");
    Map<String, Object> criteria = (Map<String, Object>) response.get("criteria");
    assertThat(criteria.keySet())
        .containsExactly(
            "instruction_following",
            "correctness",
            "completeness",
            "readability",
            "error_handling",
            "dependency_management",
            "syntax_validity",
            "logical_correctness",
            "efficiency");
    // (5 + 3 * 7) / 8 applicable criteria
    assertThat(llm.get("overall")).isEqualTo(3.25);
    assertThat(llm.get("calls")).isEqualTo(2L);
    assertThat(llm.get("tokens")).isEqualTo(120L);
    // The response request was routed to the code rubric.
    JsonNode responseReq =
        server.bodies().stream()
            .filter(
                b ->
                    b.at("/response_format/json_schema/name").asText().startsWith("judge_response"))
            .findFirst()
            .orElseThrow();
    assertThat(responseReq.at("/response_format/json_schema/name").asText())
        .isEqualTo("judge_response_code");
    assertThat(JudgeServer.userPrompt(responseReq)).contains("Rayleigh scattering");
    assertThat(responseReq.get("model").asText()).isEqualTo("judge-model");
    assertThat(responseReq.get("temperature").asDouble()).isEqualTo(0.0);
  }

  @Test
  void pairsAreJudgedInBothOrders() {
    QualitySample pair =
        QualitySample.of(
            "p1",
            Preference.pair(
                List.of(Message.user("Say something nice")),
                Message.assistant("GOOD: You did great work today."),
                Message.assistant("meh")));
    @SuppressWarnings("unchecked")
    Map<String, Object> pref = (Map<String, Object>) judge().judgeBlocking(pair).get("preference");
    assertThat(pref).containsEntry("ab", "chosen").containsEntry("ba", "chosen");
    assertThat(pref).containsEntry("label", "chosen").containsEntry("consistent", true);
    List<String> prefPrompts =
        server.bodies().stream()
            .filter(
                b -> b.at("/response_format/json_schema/name").asText().equals("judge_preference"))
            .map(JudgeServer::userPrompt)
            .toList();
    assertThat(prefPrompts).hasSize(2);
    // Once with the chosen reply as A, once as B.
    assertThat(prefPrompts)
        .anyMatch(p -> JudgeServer.between(p, "<response_a>", "</response_a>").contains("GOOD"))
        .anyMatch(p -> JudgeServer.between(p, "<response_b>", "</response_b>").contains("GOOD"));
  }

  @Test
  void positionBiasBecomesATieAndAConsistentFlipIsInverted() {
    QualitySample pair =
        QualitySample.of(
            "p2",
            Preference.pair(
                List.of(Message.user("Q")), Message.assistant("one"), Message.assistant("two")));
    server.preference = req -> JudgeServer.json(Map.of("winner", "A", "explanation", "first"));
    @SuppressWarnings("unchecked")
    Map<String, Object> biased =
        (Map<String, Object>) judge().judgeBlocking(pair).get("preference");
    assertThat(biased).containsEntry("label", "tie").containsEntry("consistent", false);

    server.preference =
        req -> {
          String a =
              JudgeServer.between(JudgeServer.userPrompt(req), "<response_a>", "</response_a>");
          return JudgeServer.json(
              Map.of("winner", a.contains("two") ? "A" : "B", "explanation", "x"));
        };
    @SuppressWarnings("unchecked")
    Map<String, Object> flipped =
        (Map<String, Object>) judge().judgeBlocking(pair).get("preference");
    assertThat(flipped).containsEntry("label", "rejected").containsEntry("consistent", true);
  }

  @SuppressWarnings("unchecked")
  @Test
  void unparseableRepliesAreRecordedNotScored() {
    server.response = req -> "I think it is pretty good overall, maybe a 4?";
    Map<String, Object> llm = judge().judgeBlocking(sft());
    Map<String, Object> error = (Map<String, Object>) llm.get("error");
    assertThat(error).containsEntry("stage", "response").containsEntry("kind", "unparseable");
    assertThat((String) error.get("raw")).contains("maybe a 4");
    assertThat(llm).doesNotContainKeys("overall", "response", "question");
    // classify + 2 attempts at the response (the re-ask names the problem)
    assertThat(server.requests.get()).isEqualTo(3);
    JsonNode reask = server.bodies().get(2);
    assertThat(reask.get("messages").size()).isEqualTo(4);
    assertThat(reask.get("messages").get(3).get("content").asText()).contains("could not be used");
  }

  @SuppressWarnings("unchecked")
  @Test
  void refusalsAndModelErrorsAreRecorded() {
    server.classify = req -> "I'm sorry, but I can't help with evaluating this content.";
    Map<String, Object> refused = judge().judgeBlocking(sft());
    assertThat((Map<String, Object>) refused.get("error")).containsEntry("kind", "refused");

    server.classify = req -> "HTTP 400";
    Map<String, Object> failed = judge().judgeBlocking(sft());
    Map<String, Object> err = (Map<String, Object>) failed.get("error");
    assertThat(err).containsEntry("kind", "model_error").containsEntry("stage", "classify");
    assertThat((String) err.get("message")).contains("400");
    assertThat(failed).doesNotContainKey("overall");
  }

  @Test
  void worksWithTheSimulatedModel() {
    Judge j = Judge.builder().client(SimulatedModelClient.create()).model("sim").build();
    Map<String, Object> llm = j.judgeBlocking(sft());
    assertThat(llm).doesNotContainKey("error");
    assertThat(Taxonomy.defaults().names()).contains((String) llm.get("category"));
    assertThat((Double) llm.get("overall")).isBetween(1.0, 5.0);
  }

  @Test
  void promptsAreUserOverridableAndChecked() {
    JudgePrompts p =
        JudgePrompts.defaults().withResponse("Rate {response} for {question} on:\n{criteria}");
    Judge j =
        Judge.builder()
            .client(client)
            .model("judge-model")
            .prompts(p)
            .classify(false)
            .rateQuestion(false)
            .build();
    j.judgeBlocking(sft());
    assertThat(server.requests.get()).isEqualTo(1);
    assertThat(JudgeServer.userPrompt(server.bodies().get(0)))
        .startsWith("Rate Rayleigh scattering favours short wavelengths. for Why is the sky blue?");
    assertThatThrownBy(() -> JudgePrompts.defaults().withResponse("Rate {answer}"))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("answer");
    assertThatThrownBy(() -> JudgePrompts.defaults().withClassify("bad { brace"))
        .isInstanceOf(ConfigurationException.class);
  }
}
