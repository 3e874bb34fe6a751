package io.sygra.quality;

import static org.assertj.core.api.Assertions.assertThat;

import io.sygra.schema.Conversation;
import io.sygra.schema.Format;
import io.sygra.schema.Message;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PiiTaggerTest {
  private final PiiTagger tagger = PiiTagger.create();

  private Map<String, Object> tag(String text) {
    return tagger.tag(
        QualitySample.of("r", Conversation.of(Message.user("q"), Message.assistant(text))));
  }

  @Test
  void emailsButNotDocumentationDomains() {
    assertThat(tag("Write to jane.doe@gmail.com today").get("email")).isEqualTo(1);
    assertThat(tag("e.g. user@example.com or a@b.test").get("email")).isEqualTo(0);
  }

  @Test
  void phoneNumbers() {
    assertThat(tag("Call (512) 555-0202 after six").get("phone")).isEqualTo(1);
    assertThat(tag("Call +49 30 1234567").get("phone")).isEqualTo(1);
    assertThat(tag("Version 1.2.3 shipped in 2023, build 20230415").get("phone")).isEqualTo(0);
  }

  @Test
  void publicIpAddressesOnly() {
    assertThat(tag("The server is at 8.8.4.4").get("ip_address")).isEqualTo(1);
    assertThat(tag("Use 192.168.1.1 or 127.0.0.1 or 10.0.0.2").get("ip_address")).isEqualTo(0);
    assertThat(tag("Not an address: 300.1.2.3").get("ip_address")).isEqualTo(0);
    assertThat(tag("v6: 2001:0db8:85a3:0000:0000:8a2e:0370:7334").get("ip_address")).isEqualTo(1);
  }

  @Test
  void cardNumbersNeedAValidLuhnChecksum() {
    assertThat(tag("card 4111 1111 1111 1111 exp 12/30").get("credit_card")).isEqualTo(1);
    assertThat(tag("card 4111 1111 1111 1112").get("credit_card")).isEqualTo(0);
    assertThat(tag("order 1234567890123").get("credit_card")).isEqualTo(0);
    assertThat(PiiTagger.luhn("79927398713")).isTrue();
    assertThat(PiiTagger.luhn("79927398710")).isFalse();
  }

  @Test
  void secretLookingTokens() {
    assertThat(tag("export AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE").get("secret")).isEqualTo(1);
    assertThat(tag("token ghp_" + "a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8").get("secret"))
        .isEqualTo(1);
    assertThat(tag("-----BEGIN RSA PRIVATE KEY-----\nMIIE...").get("secret")).isEqualTo(1);
    assertThat(tag("password = \"hX9$kq2LmZ7vR4tW1pQ8\"").get("secret")).isEqualTo(1);
    assertThat(tag("password = \"aaaaaaaaaaaaaaaaaaaa\"").get("secret")).isEqualTo(0);
    assertThat(tag("Set your api_key in the config file.").get("secret")).isEqualTo(0);
  }

  @Test
  void foundListsTheKinds() {
    Map<String, Object> t = tag("mail bob@corp.io, call (212) 555-0199");
    assertThat(t.get("found")).isEqualTo(List.of("email", "phone"));
  }

  @Test
  void piiInTheFixturesIsCaught() {
    List<QualitySample> hh =
        Fixtures.samples(Format.HH_RLHF, "preference/hh_rlhf_harmless_base_test.jsonl");
    long withEmail = hh.stream().filter(s -> ((Integer) tagger.tag(s).get("email")) > 0).count();
    long withPhone = hh.stream().filter(s -> ((Integer) tagger.tag(s).get("phone")) > 0).count();
    assertThat(withEmail).isGreaterThanOrEqualTo(2);
    assertThat(withPhone).isGreaterThanOrEqualTo(1);
  }
}
