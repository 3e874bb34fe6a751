package io.sygra.spark.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sygra.schema.Conversation;
import io.sygra.schema.Example;
import io.sygra.schema.Format;
import io.sygra.schema.FormatReader;
import io.sygra.schema.Message;
import io.sygra.schema.Preference;
import io.sygra.schema.ReadResult;
import io.sygra.spark.OutputSchema;
import io.sygra.spark.OutputSchemaException;
import io.sygra.spark.SparkTests;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import scala.jdk.javaapi.CollectionConverters;

class OutputConverterTest {

  private static List<Example> read(Format format, String fixture, int n) {
    List<Example> out = new ArrayList<>();
    try (FormatReader r = FormatReader.open(format, SparkTests.fixture(fixture))) {
      while (r.hasNext() && out.size() < n) {
        if (r.next() instanceof ReadResult.Ok ok) {
          out.add(ok.example());
        }
      }
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  private static List<Object> list(Object scalaSeq) {
    return (List<Object>) CollectionConverters.asJava((scala.collection.Seq<?>) scalaSeq);
  }

  private static void assertMessages(Object column, List<Message> expected) {
    List<?> rows = list(column);
    assertThat(rows).hasSize(expected.size());
    for (int i = 0; i < expected.size(); i++) {
      Row m = (Row) rows.get(i);
      assertThat(m.getString(0)).isEqualTo(expected.get(i).role().wireName());
      assertThat(m.getString(1)).isEqualTo(expected.get(i).content());
    }
  }

  @Test
  void rendersAlpacaFixtureConversationsAsTrlMessages() {
    OutputConverter c = new OutputConverter(OutputSchema.trlSft(), false);
    List<Example> examples = read(Format.ALPACA, "sft/llamafactory_alpaca_en_demo.json", 20);
    assertThat(examples).hasSize(20);
    for (Example e : examples) {
      Conversation conv = (Conversation) e;
      Object[] cols = c.columns(new LinkedHashMap<>(conv.toState().values()));
      assertThat(cols).hasSize(2);
      assertMessages(cols[0], conv.messages());
      assertThat(cols[1]).as("no tools").isNull();
    }
  }

  @Test
  void rendersLlamaFactoryPreferencesAsTrlDpoColumns() {
    OutputConverter c = new OutputConverter(OutputSchema.trlDpo(), false);
    List<Example> examples =
        read(Format.LLAMAFACTORY_DPO, "preference/llamafactory_dpo_en_demo_sharegpt.json", 15);
    assertThat(examples).isNotEmpty();
    for (Example e : examples) {
      Preference p = (Preference) e;
      Object[] cols = c.columns(new LinkedHashMap<>(p.toState().values()));
      assertMessages(cols[0], p.prompt());
      assertMessages(cols[1], p.chosen());
      assertMessages(cols[2], p.rejected());
    }
  }

  @Test
  void anInvalidExampleIsRefusedWithThePathOfTheProblem() {
    OutputConverter c = new OutputConverter(OutputSchema.trlSft(), false);
    Map<String, Object> record =
        new LinkedHashMap<>(
            Conversation.of(Message.user("Hi"), Message.assistant("  ")).toState().values());

    assertThatThrownBy(() -> c.columns(record))
        .isInstanceOf(OutputSchemaException.class)
        .hasMessageContaining("$.messages[1].content");

    OutputConverter lenient =
        new OutputConverter(OutputSchema.trlSft().validation(OutputSchema.Validation.NONE), false);
    assertMessages(
        lenient.columns(record)[0], List.of(Message.user("Hi"), Message.assistant("  ")));
  }

  @Test
  void aPairIsNeededForDpo() {
    OutputConverter c = new OutputConverter(OutputSchema.trlDpo(), false);
    Map<String, Object> sft =
        new LinkedHashMap<>(
            Conversation.of(Message.user("Hi"), Message.assistant("Hello")).toState().values());
    assertThatThrownBy(() -> c.columns(sft))
        .isInstanceOf(OutputSchemaException.class)
        .hasMessageContaining("TRL_DPO");
  }

  @Test
  void toolCallsKeepTheirArgumentsAsJsonText() {
    OutputConverter c =
        new OutputConverter(OutputSchema.trlSft().validation(OutputSchema.Validation.NONE), false);
    List<Example> examples =
        read(Format.SHAREGPT, "sft/llamafactory_glaive_toolcall_en_demo_sharegpt.json", 40);
    Conversation withCall =
        examples.stream()
            .map(Conversation.class::cast)
            .filter(x -> x.messages().stream().anyMatch(m -> !m.toolCalls().isEmpty()))
            .findFirst()
            .orElseThrow();
    Object[] cols = c.columns(new LinkedHashMap<>(withCall.toState().values()));
    Row call = null;
    for (Object o : list(cols[0])) {
      Row m = (Row) o;
      if (m.get(3) != null) {
        call = (Row) list(m.get(3)).get(0);
      }
    }
    assertThat(call).isNotNull();
    Row function = call.getStruct(2);
    assertThat(function.getString(0)).isNotBlank();
    assertThat(function.getString(1)).startsWith("{");
    assertThat(cols[1]).as("tools as JSON text").asString().startsWith("[");
  }

  @Test
  void structColumnsConvertScalarsAndCollections() {
    StructType s =
        new StructType()
            .add("i", DataTypes.IntegerType)
            .add("l", DataTypes.LongType)
            .add("d", DataTypes.DoubleType)
            .add("dec", DataTypes.createDecimalType(10, 2))
            .add("b", DataTypes.BooleanType)
            .add("text", DataTypes.StringType)
            .add("json", DataTypes.StringType)
            .add("tags", DataTypes.createArrayType(DataTypes.StringType))
            .add("scores", DataTypes.createMapType(DataTypes.StringType, DataTypes.DoubleType))
            .add(
                "inner",
                new StructType().add("x", DataTypes.IntegerType).add("y", DataTypes.StringType))
            .add("at", DataTypes.TimestampType)
            .add("day", DataTypes.DateType)
            .add("raw", DataTypes.BinaryType);
    OutputConverter c = new OutputConverter(OutputSchema.struct(s), true);
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("i", 3);
    r.put("l", 5_000_000_000L);
    r.put("d", 1);
    r.put("dec", 1.005);
    r.put("b", true);
    r.put("text", 42);
    r.put("json", Map.of("a", 1));
    r.put("tags", List.of("x", "y"));
    r.put("scores", Map.of("q", 0.5));
    r.put("inner", Map.of("x", 1, "unknown", "ignored"));
    r.put("at", "2024-05-01T12:00:00Z");
    r.put("day", "2024-05-01");
    r.put("raw", "aGk=");

    Object[] v = c.columns(r);

    assertThat(v[0]).isEqualTo(3);
    assertThat(v[1]).isEqualTo(5_000_000_000L);
    assertThat(v[2]).isEqualTo(1.0);
    assertThat(v[3]).isEqualTo(new BigDecimal("1.01"));
    assertThat(v[4]).isEqualTo(true);
    assertThat(v[5]).isEqualTo("42");
    assertThat(v[6]).isEqualTo("{\"a\":1}");
    assertThat(list(v[7])).containsExactly("x", "y");
    @SuppressWarnings("unchecked")
    Map<Object, Object> scores =
        (Map<Object, Object>) CollectionConverters.asJava((scala.collection.Map<?, ?>) v[8]);
    assertThat(scores).containsEntry("q", 0.5);
    Row inner = (Row) v[9];
    assertThat(inner.get(0)).isEqualTo(1);
    assertThat(inner.get(1)).isNull();
    assertThat(v[10]).isEqualTo(Instant.parse("2024-05-01T12:00:00Z"));
    assertThat(v[11]).isEqualTo(java.time.LocalDate.of(2024, 5, 1));
    assertThat((byte[]) v[12]).containsExactly('h', 'i');
  }

  @Test
  void misfitsNameTheirPath() {
    StructType s =
        new StructType()
            .add("n", DataTypes.IntegerType)
            .add("list", DataTypes.createArrayType(new StructType().add("k", DataTypes.LongType)));
    OutputConverter c = new OutputConverter(OutputSchema.struct(s), false);

    assertThatThrownBy(() -> c.columns(Map.of("n", 3_000_000_000L)))
        .hasMessage("$.n: 3000000000 is out of range for integer");
    assertThatThrownBy(() -> c.columns(Map.of("n", 1.5)))
        .hasMessage("$.n: 1.5 is not a whole number, expected integer");
    assertThatThrownBy(() -> c.columns(Map.of("list", List.of(Map.of("k", 1), Map.of("k", "two")))))
        .hasMessage("$.list[1].k: expected long, found string");
    assertThatThrownBy(() -> c.columns(Map.of("n", List.of())))
        .isInstanceOf(OutputSchemaException.class)
        .hasMessage("$.n: expected integer, found array");
  }

  @Test
  void extraColumnsReadDottedPathsAndJsonHoldsTheRest() {
    OutputConverter c =
        new OutputConverter(
            OutputSchema.json()
                .withColumn("lang", DataTypes.StringType, "quality.lang")
                .withColumn("score", DataTypes.DoubleType, "quality.score")
                .withColumn("missing", DataTypes.StringType, "quality.nope.deeper"),
            false);
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("text", "hola");
    r.put("quality", Map.of("lang", "es", "score", 0.75));

    Object[] v = c.columns(r);

    assertThat(v[0]).asString().startsWith("{\"text\":\"hola\",\"quality\":{");
    assertThat(v[1]).isEqualTo("es");
    assertThat(v[2]).isEqualTo(0.75);
    assertThat(v[3]).isNull();
  }
}
