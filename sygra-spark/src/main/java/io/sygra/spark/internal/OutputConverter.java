package io.sygra.spark.internal;

import io.sygra.core.State;
import io.sygra.core.SygraException;
import io.sygra.core.internal.Json;
import io.sygra.core.internal.JsonValues;
import io.sygra.schema.Conversation;
import io.sygra.schema.Example;
import io.sygra.schema.Format;
import io.sygra.schema.FormatWriter;
import io.sygra.schema.Preference;
import io.sygra.schema.SchemaException;
import io.sygra.schema.ValidationError;
import io.sygra.schema.Validator;
import io.sygra.spark.OutputSchema;
import io.sygra.spark.OutputSchemaException;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.BinaryType;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.ByteType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DateType;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.DoubleType;
import org.apache.spark.sql.types.FloatType;
import org.apache.spark.sql.types.IntegerType;
import org.apache.spark.sql.types.LongType;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.ShortType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.types.TimestampType;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Turns output records (JSON-compatible maps) into the column values of an {@link OutputSchema}, as
 * the external Java types Spark's row encoder expects. Thread-safe.
 */
public final class OutputConverter {
  private final OutputSchema schema;
  private final StructType columns;
  private final boolean java8Datetime;
  private final Validator validator;

  /**
   * @param java8Datetime true when the session encodes dates and timestamps as {@code java.time}
   *     values ({@code spark.sql.datetime.java8API.enabled})
   */
  public OutputConverter(OutputSchema schema, boolean java8Datetime) {
    this.schema = schema;
    this.columns = schema.formatColumns();
    this.java8Datetime = java8Datetime;
    this.validator =
        switch (schema.validation()) {
          case NONE -> null;
          case STANDARD -> Validator.standard();
          case STRICT -> Validator.strict();
        };
  }

  /** The number of output columns. */
  public int width() {
    return columns.fields().length;
  }

  /**
   * The output column values of a written record.
   *
   * @param record the output record without its id
   * @throws OutputSchemaException when the record does not fit
   */
  public Object[] columns(Map<String, Object> record) {
    Object[] out = new Object[width()];
    StructField[] fields = columns.fields();
    int i = 0;
    switch (schema.kind()) {
      case JSON -> out[i++] = Json.write(record);
      case STRUCT -> {
        for (StructField f : schema.struct().fields()) {
          out[i] = convert(record.get(f.name()), f.dataType(), f.nullable(), "$." + f.name());
          i++;
        }
      }
      default -> {
        Map<String, Object> rendered = renderTrl(record);
        int formatColumns = fields.length - schema.extraColumns().size();
        for (; i < formatColumns; i++) {
          StructField f = fields[i];
          out[i] = convert(rendered.get(f.name()), f.dataType(), true, "$." + f.name());
        }
      }
    }
    for (OutputSchema.Column c : schema.extraColumns()) {
      Object v = walk(record, c.path());
      out[i++] = convert(v, c.type(), true, "$." + String.join(".", c.path()));
    }
    return out;
  }

  /** The record in the TRL format's field layout, as {@code sygra-schema}'s writer renders it. */
  Map<String, Object> renderTrl(Map<String, Object> record) {
    Example example;
    Format format;
    try {
      State state = State.of(record);
      switch (schema.kind()) {
        case TRL_SFT -> {
          example = Conversation.fromState(state);
          format = Format.TRL_SFT;
        }
        case TRL_PROMPT_COMPLETION -> {
          example = Conversation.fromState(state);
          format = Format.TRL_PROMPT_COMPLETION;
        }
        case TRL_DPO -> {
          example = Preference.fromState(state);
          format = Format.TRL_DPO;
        }
        default -> throw new IllegalStateException("not a TRL schema: " + schema.kind());
      }
    } catch (SchemaException e) {
      throw new OutputSchemaException(
          e.path() == null ? "$" : e.path(), "not a " + schema.kind() + " example: " + e.reason());
    } catch (SygraException e) {
      throw new OutputSchemaException(
          "$", "not a " + schema.kind() + " example: " + e.getMessage());
    }
    if (validator != null) {
      List<ValidationError> errors = validator.validate(example);
      if (!errors.isEmpty()) {
        throw new OutputSchemaException(
            errors.get(0).path(),
            "invalid "
                + format.cliName()
                + " example: "
                + errors.stream().map(ValidationError::toString).collect(Collectors.joining("; ")));
      }
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(512);
    try (FormatWriter w = FormatWriter.open(format, bytes, false)) {
      w.write(example);
    } catch (SchemaException e) {
      throw new OutputSchemaException(
          e.path() == null ? "$" : e.path(), "cannot be written as " + format + ": " + e.reason());
    }
    return SparkJson.readMap(bytes.toString(StandardCharsets.UTF_8).strip());
  }

  private static Object walk(Map<String, Object> record, List<String> path) {
    Object cur = record;
    for (String seg : path) {
      if (!(cur instanceof Map<?, ?> m)) {
        return null;
      }
      cur = m.get(seg);
    }
    return cur;
  }

  /** Converts one JSON value to Spark's external type for {@code type}. */
  Object convert(Object v, DataType type, boolean nullable, String path) {
    if (v == null) {
      if (!nullable) {
        throw new OutputSchemaException(path, "missing, and the column is not nullable");
      }
      return null;
    }
    if (type instanceof StringType) {
      if (v instanceof String s) {
        return s;
      }
      if (v instanceof BigDecimal d) {
        return d.toPlainString();
      }
      if (v instanceof Number || v instanceof Boolean) {
        return v.toString();
      }
      if (v instanceof Map<?, ?> || v instanceof List<?>) {
        return Json.write(v);
      }
      throw mismatch(path, "string", v);
    }
    if (type instanceof BooleanType) {
      if (v instanceof Boolean b) {
        return b;
      }
      throw mismatch(path, "boolean", v);
    }
    if (type instanceof ByteType) {
      return (byte) integral(v, Byte.MIN_VALUE, Byte.MAX_VALUE, path, "byte");
    }
    if (type instanceof ShortType) {
      return (short) integral(v, Short.MIN_VALUE, Short.MAX_VALUE, path, "short");
    }
    if (type instanceof IntegerType) {
      return (int) integral(v, Integer.MIN_VALUE, Integer.MAX_VALUE, path, "integer");
    }
    if (type instanceof LongType) {
      return integral(v, Long.MIN_VALUE, Long.MAX_VALUE, path, "long");
    }
    if (type instanceof DoubleType) {
      if (v instanceof Number n) {
        return n.doubleValue();
      }
      throw mismatch(path, "number", v);
    }
    if (type instanceof FloatType) {
      if (v instanceof Number n) {
        return n.floatValue();
      }
      throw mismatch(path, "number", v);
    }
    if (type instanceof DecimalType d) {
      if (!(v instanceof Number n)) {
        throw mismatch(path, "number", v);
      }
      BigDecimal bd = toBigDecimal(n).setScale(d.scale(), RoundingMode.HALF_UP);
      if (bd.precision() > d.precision()) {
        throw new OutputSchemaException(
            path, n + " does not fit " + d.simpleString() + " (too many digits)");
      }
      return bd;
    }
    if (type instanceof DateType) {
      if (!(v instanceof String s)) {
        throw mismatch(path, "ISO-8601 date string", v);
      }
      try {
        LocalDate d = LocalDate.parse(s.length() > 10 ? s.substring(0, 10) : s);
        return java8Datetime ? d : java.sql.Date.valueOf(d);
      } catch (DateTimeParseException e) {
        throw new OutputSchemaException(path, "'" + s + "' is not an ISO-8601 date");
      }
    }
    if (type instanceof TimestampType) {
      if (!(v instanceof String s)) {
        throw mismatch(path, "ISO-8601 timestamp string", v);
      }
      Instant t;
      try {
        t = OffsetDateTime.parse(s).toInstant();
      } catch (DateTimeParseException e) {
        throw new OutputSchemaException(
            path, "'" + s + "' is not an ISO-8601 timestamp with an offset (e.g. ...Z)");
      }
      return java8Datetime ? t : java.sql.Timestamp.from(t);
    }
    if (type instanceof BinaryType) {
      if (!(v instanceof String s)) {
        throw mismatch(path, "base64 string", v);
      }
      try {
        return Base64.getDecoder().decode(s);
      } catch (IllegalArgumentException e) {
        throw new OutputSchemaException(path, "not valid base64: " + e.getMessage());
      }
    }
    if (type instanceof ArrayType a) {
      if (!(v instanceof List<?> list)) {
        throw mismatch(path, "array", v);
      }
      List<Object> out = new ArrayList<>(list.size());
      for (int i = 0; i < list.size(); i++) {
        out.add(convert(list.get(i), a.elementType(), a.containsNull(), path + "[" + i + "]"));
      }
      return CollectionConverters.asScala(out).toSeq(); // the row encoder wants Scala collections
    }
    if (type instanceof MapType m) {
      if (!(v instanceof Map<?, ?> map)) {
        throw mismatch(path, "object", v);
      }
      Map<String, Object> out = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : map.entrySet()) {
        String k = String.valueOf(e.getKey());
        out.put(k, convert(e.getValue(), m.valueType(), m.valueContainsNull(), path + "." + k));
      }
      return CollectionConverters.asScala(out);
    }
    if (type instanceof StructType s) {
      if (!(v instanceof Map<?, ?> map)) {
        throw mismatch(path, "object", v);
      }
      StructField[] fs = s.fields();
      Object[] values = new Object[fs.length];
      for (int i = 0; i < fs.length; i++) {
        values[i] =
            convert(
                map.get(fs[i].name()),
                fs[i].dataType(),
                fs[i].nullable(),
                path + "." + fs[i].name());
      }
      return RowFactory.create(values);
    }
    throw new OutputSchemaException(path, "unsupported column type " + type.simpleString());
  }

  private static long integral(Object v, long min, long max, String path, String what) {
    if (!(v instanceof Number n)) {
      throw mismatch(path, what, v);
    }
    BigDecimal bd = toBigDecimal(n);
    BigInteger bi;
    try {
      bi = bd.toBigIntegerExact();
    } catch (ArithmeticException e) {
      throw new OutputSchemaException(path, n + " is not a whole number, expected " + what);
    }
    if (bi.compareTo(BigInteger.valueOf(min)) < 0 || bi.compareTo(BigInteger.valueOf(max)) > 0) {
      throw new OutputSchemaException(path, n + " is out of range for " + what);
    }
    return bi.longValue();
  }

  private static BigDecimal toBigDecimal(Number n) {
    if (n instanceof BigDecimal d) {
      return d;
    }
    if (n instanceof BigInteger i) {
      return new BigDecimal(i);
    }
    if (n instanceof Double || n instanceof Float) {
      double d = n.doubleValue();
      if (Double.isNaN(d) || Double.isInfinite(d)) {
        throw new OutputSchemaException("$", "NaN and infinite numbers have no decimal value");
      }
      return BigDecimal.valueOf(d);
    }
    return BigDecimal.valueOf(n.longValue());
  }

  private static OutputSchemaException mismatch(String path, String expected, Object found) {
    return new OutputSchemaException(
        path, "expected " + expected + ", found " + JsonValues.typeName(found));
  }
}
