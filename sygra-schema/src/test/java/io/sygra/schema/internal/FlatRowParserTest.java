package io.sygra.schema.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonParser;
import io.sygra.schema.Fixtures;
import io.sygra.schema.OasstMessage;
import io.sygra.schema.Role;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class FlatRowParserTest {
  private final FlatRowParser fast = new FlatRowParser();

  private static OasstMessage general(byte[] line) throws IOException {
    try (JsonParser p = Json.FACTORY.createParser(line)) {
      p.nextToken();
      return OasstParser.parse(p, false).messages().get(0);
    }
  }

  private FlatRowParser.Result parse(String line) {
    byte[] b = ("xx" + line + "yy").getBytes(StandardCharsets.UTF_8);
    return fast.parse(b, 2, b.length - 2, true);
  }

  @Test
  void agreesWithTheGeneralParserOnEveryFixtureRow() throws IOException {
    int n = 0;
    for (String line : Fixtures.lines(Fixtures.FLAT)) {
      byte[] b = line.getBytes(StandardCharsets.UTF_8);
      FlatRowParser.Result r = fast.parse(b, 0, b.length, true);
      assertThat(r).as("line %d", n + 1).isNotNull();
      assertThat(r.message()).isEqualTo(general(b));
      // The raw bytes are the text's JSON literal: decoding them gives the text back.
      String decoded =
          Json.MAPPER.readValue(
              "\"" + new String(r.rawText(), StandardCharsets.UTF_8) + "\"", String.class);
      assertThat(decoded).isEqualTo(r.message().text());
      n++;
    }
    assertThat(n).isEqualTo(953);
  }

  @Test
  void decodesEscapesSurrogatesAndUtf8() {
    FlatRowParser.Result r =
        parse(
            "{\"message_id\":\"m\",\"text\":\"a\\n\\\"b\\\" \\u00e9 \\ud83d\\ude00 é 😀 \\/\",\"role\":"
                + "\"assistant\",\"rank\":-0,\"labels\":{\"name\":[\"q\"],\"value\":[0.5],"
                + "\"count\":[3]},\"detoxify\":{\"x\":1e-5,\"y\":[true,null,{}]},\"emojis\":null}");
    assertThat(r).isNotNull();
    assertThat(r.message().text()).isEqualTo("a\n\"b\" é 😀 é 😀 /");
    assertThat(r.message().role()).isEqualTo(Role.ASSISTANT);
    assertThat(r.message().rank()).isZero();
    assertThat(r.message().labels().get("q")).isEqualTo(new OasstMessage.Label(0.5, 3));
    assertThat(r.message().detoxify()).isNull();
  }

  @Test
  void fallsBackOnAnythingUnusual() {
    String ok = "{\"message_id\":\"m\",\"text\":\"t\",\"role\":\"prompter\"}";
    assertThat(parse(ok)).isNotNull();
    for (String line :
        new String[] {
          "{\"message_id\":\"m\",\"text\":\"t\",\"role\":\"prompter\",\"rank\":\"1\"}",
          "{\"message_id\":\"m\",\"text\":\"t\",\"role\":\"moderator\"}",
          "{\"message_id\":\"m\",\"text\":\"t\",\"role\":\"prompter\",\"replies\":[]}",
          "{\"message_id\":\"m\",\"text\":\"t\"}",
          "{\"mess\\u0061ge_id\":\"m\",\"text\":\"t\",\"role\":\"prompter\"}",
          "{\"message_id\":\"m\",\"text\":\"t\tx\",\"role\":\"prompter\"}",
          "{\"message_id\":\"m\",\"text\":\"t\",\"role\":\"prompter\",\"rank\":01}",
          "{\"message_id\":\"m\",\"text\":\"t\",\"role\":\"prompter\",\"x\":[1,]}",
          "{\"message_id\":\"m\",\"text\":\"t\",\"role\":\"prompter\"} {}",
          "{\"message_id\":\"m\",\"text\":\"t\",\"role\":\"prompter\",\"labels\":{\"spam\":{\"value\":0}}}",
          "{\"message_id\":\"m\",\"text\":\"t\",\"role\":\"prompter\",\"deleted\":1}",
          "{\"message_id\":\"m\",\"text\":\"unterminated,\"role\":\"prompter\"}",
        }) {
      assertThat(parse(line)).as(line).isNull();
    }
    byte[] badUtf8 = {'{', '"', 't', 'e', 'x', 't', '"', ':', '"', (byte) 0xC3, '"', '}'};
    assertThat(fast.parse(badUtf8, 0, badUtf8.length, false)).isNull();
  }
}
