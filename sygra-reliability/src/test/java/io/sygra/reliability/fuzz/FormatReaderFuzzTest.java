package io.sygra.reliability.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.sygra.reliability.Figures;
import io.sygra.schema.Example;
import io.sygra.schema.Format;
import io.sygra.schema.FormatReader;
import io.sygra.schema.FormatWriter;
import io.sygra.schema.ReadResult;
import io.sygra.schema.SchemaException;
import io.sygra.schema.Validator;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;

/**
 * Fuzzes every {@link FormatReader} (every readable format but OASST, which has its own target):
 * the first input byte picks the format, the rest is the file (JSONL, a JSON array or a JSON
 * document). Each example read is validated, written back in its own format when that format is
 * writable, and the written line must read back as an example of that format again.
 *
 * <p>Documented outcomes: a record that cannot be read is a {@link ReadResult.Rejected} with its
 * location and reason; {@link FormatReader#hasNext()} throws {@link SchemaException} when the input
 * cannot be parsed further (a broken JSON array); a writer throws {@link SchemaException} for an
 * example its format cannot represent. Anything else escaping is a finding.
 */
class FormatReaderFuzzTest {
  static final List<Format> FORMATS =
      Arrays.stream(Format.values()).filter(f -> f.canRead() && f != Format.OASST).toList();

  private static final AtomicLong EXECUTIONS = new AtomicLong();
  private static final Map<Format, AtomicLong> EXAMPLES = new EnumMap<>(Format.class);
  private static final AtomicLong REJECTS = new AtomicLong();

  static {
    FORMATS.forEach(f -> EXAMPLES.put(f, new AtomicLong()));
  }

  @FuzzTest(maxDuration = "5s")
  void everyFormatReader(byte[] input) {
    EXECUTIONS.incrementAndGet();
    Format format = FORMATS.get(input.length == 0 ? 0 : Math.floorMod(input[0], FORMATS.size()));
    byte[] body = input.length == 0 ? input : Arrays.copyOfRange(input, 1, input.length);
    Path file = FuzzFiles.write("records.jsonl", body);
    try (FormatReader reader = FormatReader.open(format, file)) {
      while (reader.hasNext()) {
        ReadResult r = reader.next();
        if (r instanceof ReadResult.Rejected rejected) {
          REJECTS.incrementAndGet();
          assertThat(rejected.location().line() > 0 || rejected.location().index() >= 0)
              .as("rejection %s is located", rejected)
              .isTrue();
          assertThat(rejected.reason()).isNotBlank();
          continue;
        }
        Example example = ((ReadResult.Ok) r).example();
        EXAMPLES.get(format).incrementAndGet();
        Validator.standard().validate(example);
        if (format.canWrite()) {
          roundTrip(format, example);
        }
      }
    } catch (SchemaException documented) {
      assertThat(documented.getMessage()).isNotBlank();
    }
  }

  /** What a writer produces for {@code format} must read back as {@code format}. */
  private static void roundTrip(Format format, Example example) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (FormatWriter w = FormatWriter.open(format, out, true)) {
      w.write(example);
    } catch (SchemaException documented) {
      return; // the format cannot represent this example
    }
    byte[] written = out.toByteArray();
    Path again = FuzzFiles.write("written.jsonl", written);
    try (FormatReader reader = FormatReader.open(format, again)) {
      while (reader.hasNext()) {
        ReadResult r = reader.next();
        assertThat(r)
            .as(
                "%s wrote a line it cannot read back: %s",
                format, new String(written, StandardCharsets.UTF_8))
            .isInstanceOf(ReadResult.Ok.class);
      }
    }
  }

  @AfterAll
  static void figures() {
    Map<String, Object> f = new TreeMap<>();
    f.put("executions", EXECUTIONS.get());
    f.put("rejectedRecords", REJECTS.get());
    EXAMPLES.forEach((k, v) -> f.put("examples." + k.cliName(), v.get()));
    Figures.write("fuzz-format-readers", f);
  }
}
