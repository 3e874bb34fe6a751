package io.sygra.spark;

import io.sygra.core.ConfigurationException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.BinaryType;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.ByteType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DateType;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.DoubleType;
import org.apache.spark.sql.types.FloatType;
import org.apache.spark.sql.types.IntegerType;
import org.apache.spark.sql.types.LongType;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.ShortType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.types.TimestampType;

/**
 * How the output records of a run become columns of the result dataset. Every result row has the id
 * column ({@link SparkRunOptions#idField()}), {@code status} ({@code written}, {@code dropped} or
 * {@code failed}), {@code node} (the node that dropped or failed the record), {@code reason} (a
 * drop's reason) and {@code error} (a failure's error class and message), followed by the columns
 * chosen here (null unless the record was written):
 *
 * <ul>
 *   <li>{@link #json()} (the default): {@code output}, the output record as a JSON string;
 *   <li>{@link #struct(StructType)}: typed columns, each read from the output field of the same
 *       name;
 *   <li>{@link #trlSft()}, {@link #trlPromptCompletion()}, {@link #trlDpo()}: TRL's conversational
 *       dataset columns ({@code messages}; {@code prompt, completion}; {@code prompt, chosen,
 *       rejected}) as arrays of {@link #messageType()}, plus {@code tools}, rendered by {@code
 *       sygra-schema}'s format writers from the output record ({@code Conversation.fromState} /
 *       {@code Preference.fromState}) and validated with its {@code Validator}.
 * </ul>
 *
 * <p>{@link #withColumn} adds typed columns taken from the output record by name or dotted path,
 * e.g. quality tags: {@code trlSft().withColumn("lang", StringType, "quality.lang")}.
 *
 * <p>Conversion rules: JSON numbers fit numeric columns when the value is in range (and integral
 * for integer columns); any scalar fits a string column as its text, and an object or list as JSON
 * text; objects fit structs (unknown fields ignored, missing ones null) and string-keyed maps;
 * lists fit arrays; ISO-8601 strings fit date and timestamp columns; base64 strings fit binary
 * columns. A written record whose output does not fit is reported as {@code failed} at node {@code
 * output}, with the JSON path of the field, so counts still reconcile.
 *
 * <p>Immutable and serializable.
 */
public final class OutputSchema implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The result columns every row has, besides the id column. */
  public static final List<String> STATUS_COLUMNS = List.of("status", "node", "reason", "error");

  /** The JSON column of {@link #json()}. */
  public static final String OUTPUT_COLUMN = "output";

  /** What kind of columns the output becomes. */
  public enum Kind {
    /** One JSON string column, {@code output}. */
    JSON,
    /** Typed columns from a user-given struct. */
    STRUCT,
    /** TRL conversational language modeling: {@code messages}, {@code tools}. */
    TRL_SFT,
    /** TRL prompt-completion: {@code prompt}, {@code completion}, {@code tools}. */
    TRL_PROMPT_COMPLETION,
    /**
     * TRL preference with explicit prompt: {@code prompt}, {@code chosen}, {@code rejected}, {@code
     * tools}.
     */
    TRL_DPO
  }

  /** Which training rules the TRL kinds check ({@code sygra-schema}'s {@code Validator}). */
  public enum Validation {
    /** Only what the format needs to represent the example. */
    NONE,
    /** {@code Validator.standard()}. */
    STANDARD,
    /** {@code Validator.strict()}. */
    STRICT
  }

  /**
   * An extra typed column.
   *
   * @param name the column name
   * @param type its Spark type
   * @param path the output field it is read from: a field name, or a dotted path into nested
   *     objects ({@code quality.lang})
   */
  public record Column(String name, DataType type, List<String> path) implements Serializable {
    /** Validates and copies. */
    public Column {
      ConfigurationException.check(
          name != null && !name.isBlank(), "column", "name must be non-blank, was " + name);
      Objects.requireNonNull(type, "type");
      path = List.copyOf(path);
      ConfigurationException.check(!path.isEmpty(), "column " + name, "path must not be empty");
    }
  }

  private final Kind kind;
  private final StructType struct;
  private final Validation validation;
  private final List<Column> extra;

  private OutputSchema(Kind kind, StructType struct, Validation validation, List<Column> extra) {
    this.kind = kind;
    this.struct = struct;
    this.validation = validation;
    this.extra = List.copyOf(extra);
    Set<String> names = new HashSet<>();
    for (StructField f : formatColumns().fields()) {
      ConfigurationException.check(
          names.add(f.name()), "outputSchema", "column '" + f.name() + "' appears twice");
      checkSupported(f.dataType(), f.name());
    }
  }

  /** One {@code output} column holding the output record as JSON (the default). */
  public static OutputSchema json() {
    return new OutputSchema(Kind.JSON, null, Validation.NONE, List.of());
  }

  /**
   * Typed columns: each field of {@code struct} is read from the output field of the same name.
   *
   * @throws ConfigurationException for a type that cannot be filled from JSON (intervals,
   *     variants...) or a struct without fields
   */
  public static OutputSchema struct(StructType struct) {
    Objects.requireNonNull(struct, "struct");
    ConfigurationException.check(
        struct.fields().length > 0, "outputSchema", "the struct has no fields");
    return new OutputSchema(Kind.STRUCT, struct, Validation.NONE, List.of());
  }

  /** TRL conversational SFT: {@code messages} and {@code tools}; standard validation. */
  public static OutputSchema trlSft() {
    return new OutputSchema(Kind.TRL_SFT, null, Validation.STANDARD, List.of());
  }

  /** TRL prompt-completion: {@code prompt}, {@code completion}, {@code tools}. */
  public static OutputSchema trlPromptCompletion() {
    return new OutputSchema(Kind.TRL_PROMPT_COMPLETION, null, Validation.STANDARD, List.of());
  }

  /**
   * TRL preference with explicit prompt: {@code prompt}, {@code chosen}, {@code rejected}, {@code
   * tools}.
   */
  public static OutputSchema trlDpo() {
    return new OutputSchema(Kind.TRL_DPO, null, Validation.STANDARD, List.of());
  }

  /**
   * The same schema with other validation rules (TRL kinds only).
   *
   * @throws ConfigurationException for the JSON and struct kinds
   */
  public OutputSchema validation(Validation validation) {
    Objects.requireNonNull(validation, "validation");
    ConfigurationException.check(
        isTrl() || validation == Validation.NONE,
        "validation",
        "applies to the TRL schemas only, not " + kind);
    return new OutputSchema(kind, struct, validation, extra);
  }

  /** Adds a typed column read from the output field {@code name}. */
  public OutputSchema withColumn(String name, DataType type) {
    return withColumn(name, type, name);
  }

  /**
   * Adds a typed column read from a dotted {@code path} of the output record ({@code quality.lang}
   * reads field {@code lang} of the object in field {@code quality}).
   *
   * @throws ConfigurationException when the name is taken or the type unsupported
   */
  public OutputSchema withColumn(String name, DataType type, String path) {
    ConfigurationException.check(path != null, "column " + name, "path must not be null");
    List<String> segments = List.of(path.split("\\.", -1));
    ConfigurationException.check(
        segments.stream().noneMatch(String::isBlank),
        "column " + name,
        "path must be a field name or dotted path, was '" + path + "'");
    List<Column> cols = new ArrayList<>(extra);
    cols.add(new Column(name, type, segments));
    return new OutputSchema(kind, struct, validation, cols);
  }

  /**
   * Adds the main tags of {@code sygra-quality}'s {@code quality} object as columns: {@code
   * quality_passed} (boolean, {@code quality.passed}), {@code quality_reasons} (array of strings,
   * {@code quality.reasons}), {@code quality_tokens} (long, {@code
   * quality.heuristic.shape.tokens}), {@code quality_language} (string, {@code
   * quality.heuristic.language.detected}), {@code quality_llm_overall} (double, {@code
   * quality.llm.overall}), and {@code quality} (the whole object as JSON text). A tag the record
   * lacks (no judge, no language tagger) is null.
   */
  public OutputSchema withQualityColumns() {
    return withColumn("quality_passed", DataTypes.BooleanType, "quality.passed")
        .withColumn(
            "quality_reasons", DataTypes.createArrayType(DataTypes.StringType), "quality.reasons")
        .withColumn("quality_tokens", DataTypes.LongType, "quality.heuristic.shape.tokens")
        .withColumn("quality_language", DataTypes.StringType, "quality.heuristic.language.detected")
        .withColumn("quality_llm_overall", DataTypes.DoubleType, "quality.llm.overall")
        .withColumn("quality", DataTypes.StringType, "quality");
  }

  /** What kind of columns the output becomes. */
  public Kind kind() {
    return kind;
  }

  /** The user's struct for {@link Kind#STRUCT}; null otherwise. */
  public StructType struct() {
    return struct;
  }

  /** The training rules checked (TRL kinds; {@link Validation#NONE} otherwise). */
  public Validation validation() {
    return validation;
  }

  /** The columns added with {@link #withColumn}. */
  public List<Column> extraColumns() {
    return extra;
  }

  /** True for the TRL kinds. */
  public boolean isTrl() {
    return kind == Kind.TRL_SFT || kind == Kind.TRL_PROMPT_COMPLETION || kind == Kind.TRL_DPO;
  }

  /** The output columns (without the id and status columns), in order. */
  public StructType formatColumns() {
    List<StructField> fields = new ArrayList<>();
    ArrayType messages = DataTypes.createArrayType(messageType(), false);
    switch (kind) {
      case JSON -> fields.add(field(OUTPUT_COLUMN, DataTypes.StringType));
      case STRUCT -> {
        for (StructField f : struct.fields()) {
          fields.add(field(f.name(), f.dataType()));
        }
      }
      case TRL_SFT -> fields.add(field("messages", messages));
      case TRL_PROMPT_COMPLETION -> {
        fields.add(field("prompt", messages));
        fields.add(field("completion", messages));
      }
      case TRL_DPO -> {
        fields.add(field("prompt", messages));
        fields.add(field("chosen", messages));
        fields.add(field("rejected", messages));
      }
    }
    if (isTrl()) {
      fields.add(field("tools", DataTypes.StringType));
    }
    for (Column c : extra) {
      fields.add(field(c.name(), c.type()));
    }
    return new StructType(fields.toArray(new StructField[0]));
  }

  /**
   * The schema of the result dataset: {@code idField}, {@code status}, {@code node}, {@code
   * reason}, {@code error}, then {@link #formatColumns()}.
   *
   * @throws ConfigurationException when an output column uses one of those names
   */
  public StructType resultSchema(String idField) {
    List<StructField> fields = new ArrayList<>();
    fields.add(new StructField(idField, DataTypes.StringType, false, Metadata.empty()));
    fields.add(new StructField("status", DataTypes.StringType, false, Metadata.empty()));
    fields.add(field("node", DataTypes.StringType));
    fields.add(field("reason", DataTypes.StringType));
    fields.add(field("error", DataTypes.StringType));
    for (StructField f : formatColumns().fields()) {
      ConfigurationException.check(
          !f.name().equals(idField) && !STATUS_COLUMNS.contains(f.name()),
          "outputSchema",
          "column '"
              + f.name()
              + "' clashes with a result column ("
              + idField
              + ", "
              + String.join(", ", STATUS_COLUMNS)
              + ")");
      fields.add(f);
    }
    return new StructType(fields.toArray(new StructField[0]));
  }

  /**
   * The Spark type of one message in the TRL columns: {@code role} and {@code content}, plus the
   * tool fields ({@code name}, {@code tool_calls} with {@code function.arguments} as JSON text, and
   * {@code tool_call_id}), which are null for plain chat turns and omitted from JSON output.
   */
  public static StructType messageType() {
    StructType function =
        new StructType()
            .add("name", DataTypes.StringType, true)
            .add("arguments", DataTypes.StringType, true);
    StructType call =
        new StructType()
            .add("id", DataTypes.StringType, true)
            .add("type", DataTypes.StringType, true)
            .add("function", function, true);
    return new StructType()
        .add("role", DataTypes.StringType, false)
        .add("content", DataTypes.StringType, true)
        .add("name", DataTypes.StringType, true)
        .add("tool_calls", DataTypes.createArrayType(call, false), true)
        .add("tool_call_id", DataTypes.StringType, true);
  }

  private static StructField field(String name, DataType type) {
    return new StructField(name, type, true, Metadata.empty());
  }

  private static void checkSupported(DataType t, String where) {
    if (t instanceof StringType
        || t instanceof BooleanType
        || t instanceof ByteType
        || t instanceof ShortType
        || t instanceof IntegerType
        || t instanceof LongType
        || t instanceof FloatType
        || t instanceof DoubleType
        || t instanceof DecimalType
        || t instanceof DateType
        || t instanceof TimestampType
        || t instanceof BinaryType) {
      return;
    }
    if (t instanceof ArrayType a) {
      checkSupported(a.elementType(), where + "[]");
      return;
    }
    if (t instanceof MapType m) {
      ConfigurationException.check(
          m.keyType() instanceof StringType,
          "outputSchema",
          "column '" + where + "': map keys must be strings, found " + m.keyType().simpleString());
      checkSupported(m.valueType(), where + "{}");
      return;
    }
    if (t instanceof StructType s) {
      for (StructField f : s.fields()) {
        checkSupported(f.dataType(), where + "." + f.name());
      }
      return;
    }
    throw new ConfigurationException(
        "outputSchema",
        "column '" + where + "' has type " + t.simpleString() + ", which JSON output cannot fill");
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof OutputSchema s
        && kind == s.kind
        && Objects.equals(struct, s.struct)
        && validation == s.validation
        && extra.equals(s.extra);
  }

  @Override
  public int hashCode() {
    return Objects.hash(kind, struct, validation, extra);
  }

  @Override
  public String toString() {
    return "OutputSchema[" + kind + ", " + formatColumns().simpleString() + "]";
  }
}
