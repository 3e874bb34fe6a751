package io.sygra.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sygra.core.ConfigurationException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

class OutputSchemaTest {

  @Test
  void resultSchemaStartsWithIdAndStatusColumns() {
    StructType s = OutputSchema.json().resultSchema("id");
    assertThat(s.fieldNames()).containsExactly("id", "status", "node", "reason", "error", "output");
    assertThat(s.apply("id").nullable()).isFalse();
    assertThat(s.apply("status").nullable()).isFalse();
    assertThat(s.apply("output").nullable()).isTrue();
    assertThat(OutputSchema.json().resultSchema("uuid").fieldNames()[0]).isEqualTo("uuid");
  }

  @Test
  void trlSchemasHaveTheTrlColumnsOfMessages() {
    assertThat(OutputSchema.trlSft().formatColumns().fieldNames())
        .containsExactly("messages", "tools");
    assertThat(OutputSchema.trlPromptCompletion().formatColumns().fieldNames())
        .containsExactly("prompt", "completion", "tools");
    StructType dpo = OutputSchema.trlDpo().formatColumns();
    assertThat(dpo.fieldNames()).containsExactly("prompt", "chosen", "rejected", "tools");
    ArrayType chosen = (ArrayType) dpo.apply("chosen").dataType();
    assertThat(chosen.elementType()).isEqualTo(OutputSchema.messageType());
    assertThat(OutputSchema.messageType().fieldNames())
        .containsExactly("role", "content", "name", "tool_calls", "tool_call_id");
    assertThat(OutputSchema.trlSft().validation()).isEqualTo(OutputSchema.Validation.STANDARD);
  }

  @Test
  void extraColumnsFollowTheFormatColumns() {
    OutputSchema s =
        OutputSchema.trlSft()
            .withColumn("lang", DataTypes.StringType, "quality.lang")
            .withColumn("score", DataTypes.DoubleType);
    assertThat(s.formatColumns().fieldNames())
        .containsExactly("messages", "tools", "lang", "score");
    assertThat(s.extraColumns().get(0).path()).containsExactly("quality", "lang");
    assertThat(s.extraColumns().get(1).path()).containsExactly("score");
  }

  @Test
  void clashesAndUnsupportedTypesAreRefusedWithTheColumnName() {
    assertThatThrownBy(
            () -> OutputSchema.json().withColumn("status", DataTypes.StringType).resultSchema("id"))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("column 'status' clashes");
    assertThatThrownBy(
            () ->
                OutputSchema.struct(new StructType().add("id", DataTypes.StringType))
                    .resultSchema("id"))
        .hasMessageContaining("column 'id' clashes");
    assertThatThrownBy(() -> OutputSchema.json().withColumn("output", DataTypes.StringType))
        .hasMessageContaining("column 'output' appears twice");
    assertThatThrownBy(
            () -> OutputSchema.struct(new StructType().add("t", DataTypes.CalendarIntervalType)))
        .hasMessageContaining("column 't' has type interval");
    assertThatThrownBy(
            () ->
                OutputSchema.struct(
                    new StructType()
                        .add(
                            "m",
                            DataTypes.createMapType(DataTypes.IntegerType, DataTypes.StringType))))
        .hasMessageContaining("map keys must be strings");
    assertThatThrownBy(() -> OutputSchema.json().validation(OutputSchema.Validation.STRICT))
        .hasMessageContaining("TRL schemas only");
    assertThatThrownBy(() -> OutputSchema.json().withColumn("x", DataTypes.StringType, "a..b"))
        .isInstanceOf(ConfigurationException.class);
  }

  @Test
  void survivesSerialization() throws Exception {
    OutputSchema s =
        OutputSchema.struct(new StructType().add("a", DataTypes.LongType))
            .withColumn("lang", DataTypes.StringType, "quality.lang");
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(s);
    }
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      assertThat(in.readObject()).isEqualTo(s);
    }
  }
}
