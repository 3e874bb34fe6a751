package io.sygra.reliability.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.sygra.core.run.RecordReader;
import io.sygra.core.run.Source;
import io.sygra.core.run.SourceException;
import io.sygra.core.run.SourceRecord;
import io.sygra.core.run.Sources;
import io.sygra.reliability.Figures;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;

/**
 * Fuzzes the pipeline's input readers in sygra-core: JSON Lines, JSON (array, object or object
 * sequence) and CSV. The first input byte picks the reader; a small line cap is used for JSONL so
 * the over-long-line path is reached too.
 *
 * <p>Documented outcomes: {@link SourceException} naming the location; after a recoverable one the
 * reader goes on with the next record, after a non-recoverable one reading stops. Anything else
 * escaping is a finding, and reading must end (no endless stream of errors).
 */
class SourceFuzzTest {
  private static final AtomicLong EXECUTIONS = new AtomicLong();
  private static final AtomicLong RECORDS = new AtomicLong();
  private static final AtomicLong BAD_RECORDS = new AtomicLong();

  @FuzzTest(maxDuration = "5s")
  void sources(byte[] input) {
    EXECUTIONS.incrementAndGet();
    int kind = input.length == 0 ? 0 : Math.floorMod(input[0], 4);
    byte[] body = input.length == 0 ? input : Arrays.copyOfRange(input, 1, input.length);
    Path file = FuzzFiles.write("input." + (kind == 2 ? "csv" : "data"), body);
    Source source =
        switch (kind) {
          case 0 -> Sources.jsonl(file);
          case 1 -> Sources.json(file);
          case 2 -> Sources.csv(file);
          default -> Sources.jsonl(file).maxLineBytes(64).allowEmpty();
        };
    RecordReader reader;
    try {
      reader = source.open();
    } catch (SourceException documented) {
      assertThat(documented.location()).isNotBlank();
      return;
    }
    try (reader) {
      int steps = 0;
      while (true) {
        assertThat(++steps).as("reader keeps producing outcomes").isLessThan(body.length + 10);
        try {
          if (!reader.hasNext()) {
            break;
          }
          SourceRecord r = reader.next();
          RECORDS.incrementAndGet();
          assertThat(r.origin()).isNotBlank();
        } catch (SourceException documented) {
          BAD_RECORDS.incrementAndGet();
          assertThat(documented.location()).isNotBlank();
          if (!documented.recoverable()) {
            break;
          }
        }
      }
    }
  }

  @AfterAll
  static void figures() {
    Figures.write(
        "fuzz-sources",
        Map.of(
            "executions", EXECUTIONS.get(),
            "records", RECORDS.get(),
            "badRecords", BAD_RECORDS.get()));
  }
}
