package io.sygra.schema.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class OasstParserTest {
  private static double fast(String s) {
    char[] c = ("xx" + s + "yy").toCharArray();
    return OasstParser.fastDouble(c, 2, s.length());
  }

  @Test
  void fastDoubleMatchesTheJdkWhereItApplies() {
    for (String s :
        new String[] {
          "0.0",
          "1.0",
          "-0.0",
          "0.25",
          "0.5833333333333334",
          "0.08333333333333333",
          "123.456",
          "0.1",
          "0.3333333333333333"
        }) {
      assertThat(fast(s)).as(s).isEqualTo(Double.parseDouble(s));
    }
    Random r = new Random(42);
    for (int i = 0; i < 100_000; i++) {
      String s = Double.toString(r.nextDouble());
      double f = fast(s);
      if (!Double.isNaN(f)) {
        assertThat(f).as(s).isEqualTo(Double.parseDouble(s));
      }
    }
  }

  @Test
  void fastDoubleDefersUnusualTextToTheGeneralParser() {
    assertThat(fast("3.8601054257014766e-05")).isNaN();
    assertThat(fast("0.9166666666666666")).isNaN(); // mantissa above 2^53
    assertThat(fast("12345678901234567890.5")).isNaN();
    assertThat(fast("0.12345678901234567891234")).isNaN();
  }
}
