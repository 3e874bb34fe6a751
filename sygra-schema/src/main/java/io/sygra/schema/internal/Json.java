package io.sygra.schema.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.io.NumberOutput;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.UncheckedIOException;
import java.util.Map;

/** The Jackson objects shared by the schema module. Not part of the public API. */
public final class Json {
  private Json() {}

  /** Factory for streaming parsers and generators; does not close the streams it is given. */
  public static final JsonFactory FACTORY =
      JsonFactory.builder()
          .disable(JsonFactory.Feature.INTERN_FIELD_NAMES)
          .enable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
          .disable(StreamReadFeature.AUTO_CLOSE_SOURCE)
          // OASST rows carry ~20 floats each (labels, detoxify); the JDK parser dominates
          // otherwise.
          .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
          .enable(com.fasterxml.jackson.core.StreamWriteFeature.USE_FAST_DOUBLE_WRITER)
          .build();

  /** Mapper over {@link #FACTORY}: lenient on unknown properties, ints as Integer/Long. */
  public static final ObjectMapper MAPPER =
      JsonMapper.builder(FACTORY.copy().configure(JsonGenerator.Feature.AUTO_CLOSE_TARGET, false))
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .disable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS)
          .build();

  /**
   * Writes a JSON-compatible value (map, list, string, number, boolean, null; anything else through
   * databind) with direct generator calls, which is much cheaper than databind for the small
   * metadata maps written with every record.
   */
  public static void writeValue(com.fasterxml.jackson.core.JsonGenerator g, Object v)
      throws java.io.IOException {
    if (v == null) {
      g.writeNull();
    } else if (v instanceof String s) {
      g.writeString(s);
    } else if (v instanceof Integer i) {
      g.writeNumber(i);
    } else if (v instanceof Long l) {
      g.writeNumber(l);
    } else if (v instanceof Double d) {
      writeDouble(g, d);
    } else if (v instanceof Boolean b) {
      g.writeBoolean(b);
    } else if (v instanceof java.math.BigDecimal d) {
      g.writeNumber(d);
    } else if (v instanceof java.math.BigInteger i) {
      g.writeNumber(i);
    } else if (v instanceof Map<?, ?> m) {
      g.writeStartObject();
      for (Map.Entry<?, ?> e : m.entrySet()) {
        g.writeFieldName(String.valueOf(e.getKey()));
        writeValue(g, e.getValue());
      }
      g.writeEndObject();
    } else if (v instanceof java.util.List<?> list) {
      g.writeStartArray();
      for (Object o : list) {
        writeValue(g, o);
      }
      g.writeEndArray();
    } else {
      g.writeObject(v);
    }
  }

  /**
   * Writes a double exactly as {@link JsonGenerator#writeNumber(double)} does, reusing the text of
   * recent values: OASST labels are averages of a few votes, so the same handful of values recurs
   * in every record, and formatting them anew was about half the cost of writing OASST metadata.
   */
  static void writeDouble(JsonGenerator g, double d) throws java.io.IOException {
    if (!Double.isFinite(d)
        || !g.isEnabled(com.fasterxml.jackson.core.StreamWriteFeature.USE_FAST_DOUBLE_WRITER)) {
      g.writeNumber(d);
      return;
    }
    long bits = Double.doubleToRawLongBits(d);
    int slot = (int) ((bits ^ (bits >>> 29) ^ (bits >>> 47)) & (DOUBLE_TEXTS.length - 1));
    DoubleText t = DOUBLE_TEXTS[slot];
    if (t == null || t.bits != bits) {
      t = new DoubleText(bits, NumberOutput.toString(d, true));
      DOUBLE_TEXTS[slot] = t; // racy but benign: entries are immutable
    }
    g.writeNumber(t.text);
  }

  private record DoubleText(long bits, String text) {}

  private static final DoubleText[] DOUBLE_TEXTS = new DoubleText[512];

  /** Compact JSON text of a JSON-compatible value or tree. */
  public static String write(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Parses JSON text into a tree; throws {@link JsonProcessingException} when it is not JSON. */
  public static JsonNode readTree(String text) throws JsonProcessingException {
    return MAPPER.readTree(text);
  }

  /** Converts a tree into plain Java values (maps, lists, strings, numbers, booleans). */
  public static Object toJava(JsonNode node) {
    return MAPPER.convertValue(node, Object.class);
  }

  /** Converts a tree object into a plain map. */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> toMap(JsonNode node) {
    return MAPPER.convertValue(node, Map.class);
  }

  /** A parser over {@code text}. */
  public static JsonParser parser(String text) {
    try {
      return FACTORY.createParser(text);
    } catch (java.io.IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The compact form of the JSON text {@code text} if it parses as one JSON value, else {@code
   * null}. Used to compare tool-call arguments written with different whitespace.
   */
  public static JsonNode tryParse(String text) {
    if (text == null) {
      return null;
    }
    try (JsonParser p = FACTORY.createParser(text)) {
      JsonNode n = MAPPER.readTree(p);
      if (n == null || p.nextToken() != null) {
        return null;
      }
      return n;
    } catch (java.io.IOException e) {
      return null;
    }
  }
}
