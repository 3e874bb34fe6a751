package io.sygra.schema.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.util.Random;
import org.junit.jupiter.api.Test;

class JsonTest {
  private static String viaJackson(double d) throws IOException {
    StringWriter w = new StringWriter();
    try (JsonGenerator g = Json.FACTORY.createGenerator(w)) {
      g.writeStartArray();
      g.writeNumber(d);
      g.writeNumber(d);
      g.writeEndArray();
    }
    return w.toString();
  }

  private static String viaWriteValue(double d) throws IOException {
    StringWriter w = new StringWriter();
    try (JsonGenerator g = Json.FACTORY.createGenerator(w)) {
      g.writeStartArray();
      Json.writeValue(g, d);
      Json.writeValue(g, d); // the second time from the cache
      g.writeEndArray();
    }
    return w.toString();
  }

  @Test
  void cachedDoublesAreWrittenExactlyAsJacksonWritesThem() throws IOException {
    Random r = new Random(11);
    double[] fixed = {
      0.0,
      -0.0,
      0.25,
      0.5833333333333334,
      1e-7,
      1e21,
      123456.789,
      Double.MIN_VALUE,
      Double.MAX_VALUE
    };
    for (double d : fixed) {
      assertThat(viaWriteValue(d)).isEqualTo(viaJackson(d));
    }
    for (int i = 0; i < 5_000; i++) {
      // Many values per slot: a colliding entry must never be written for another value.
      double d = i % 2 == 0 ? r.nextDouble() : r.nextInt(64) / 8.0;
      assertThat(viaWriteValue(d)).isEqualTo(viaJackson(d));
    }
  }

  @Test
  void nonFiniteDoublesGoThroughJackson() throws IOException {
    assertThat(viaWriteValue(Double.NaN)).isEqualTo(viaJackson(Double.NaN));
    assertThat(viaWriteValue(Double.POSITIVE_INFINITY))
        .isEqualTo(viaJackson(Double.POSITIVE_INFINITY));
  }

  private static String written(Object v) throws IOException {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    try (JsonGenerator g = Json.FACTORY.createGenerator(out)) {
      Json.writeValue(g, v);
    }
    return out.toString(java.nio.charset.StandardCharsets.UTF_8);
  }

  /** Databind's UTF-8 output, the reference for the direct generator calls. */
  private static String jackson(Object v) throws IOException {
    return new String(Json.MAPPER.writeValueAsBytes(v), java.nio.charset.StandardCharsets.UTF_8);
  }

  @Test
  void mapsListsAndStringsAreWrittenExactlyAsDatabindWritesThem() throws IOException {
    java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
    String[] texts = {
      "source",
      "0f45ff5d-5875-4fd9-ba8d-301089f34b2a",
      "say \"hi\"",
      "back\\slash",
      "a/b",
      "tab\there",
      "caf\u00e9",
      "emoji \ud83d\ude00",
      "x".repeat(65),
      ""
    };
    for (int i = 0; i < texts.length; i++) {
      m.put(texts[i], texts[texts.length - 1 - i]);
    }
    m.put("ids", java.util.List.of(texts[1], texts[1], "oasst"));
    String expected = jackson(m);
    assertThat(written(m)).isEqualTo(expected);
    java.util.Map<String, Object> labels = new java.util.LinkedHashMap<>();
    for (int i = 0; i < 64; i++) {
      labels.put("label_" + i, i % 3 == 0 ? null : i / 7.0);
    }
    assertThat(written(labels)).isEqualTo(jackson(labels));
  }
}
