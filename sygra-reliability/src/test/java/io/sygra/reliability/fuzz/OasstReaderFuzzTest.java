package io.sygra.reliability.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.sygra.reliability.Figures;
import io.sygra.schema.Conversation;
import io.sygra.schema.DpoPairs;
import io.sygra.schema.Example;
import io.sygra.schema.Format;
import io.sygra.schema.FormatWriter;
import io.sygra.schema.OasstFilter;
import io.sygra.schema.OasstReader;
import io.sygra.schema.OasstTree;
import io.sygra.schema.Preference;
import io.sygra.schema.ReadResult;
import io.sygra.schema.SchemaException;
import io.sygra.schema.SftPaths;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;

/**
 * Fuzzes {@link OasstReader} (both groupings, both detail levels) and everything a tree feeds: the
 * filter, SFT paths ({@code all}, {@code best}), DPO pairs (every mode) and the TRL writers.
 *
 * <p>Documented outcomes: a record that cannot be read goes to the reject callback with its
 * location and a reason; {@link OasstReader#hasNext()} may throw {@link SchemaException} (a broken
 * JSON array, or {@link OasstReader.NotContiguousException} in streaming mode); a writer throws
 * {@link SchemaException} for an example its format cannot represent. Anything else escaping is a
 * finding.
 */
class OasstReaderFuzzTest {
  private static final AtomicLong EXECUTIONS = new AtomicLong();
  private static final AtomicLong TREES = new AtomicLong();
  private static final AtomicLong REJECTS = new AtomicLong();

  @FuzzTest(maxDuration = "5s")
  void oasstReader(byte[] input) {
    EXECUTIONS.incrementAndGet();
    int flags = input.length == 0 ? 0 : input[0];
    OasstReader.Grouping grouping =
        (flags & 1) == 0 ? OasstReader.Grouping.STREAMING : OasstReader.Grouping.IN_MEMORY;
    OasstReader.Detail detail =
        (flags & 2) == 0 ? OasstReader.Detail.FULL : OasstReader.Detail.CORE;
    byte[] body = input.length == 0 ? input : java.util.Arrays.copyOfRange(input, 1, input.length);
    Path file = FuzzFiles.write("oasst.jsonl", body);

    List<ReadResult.Rejected> rejects = new ArrayList<>();
    OasstFilter filter =
        (flags & 4) == 0 ? OasstFilter.defaults() : OasstFilter.builder().lang("en").build();
    try (OasstReader reader = OasstReader.open(file, grouping, detail, rejects::add)) {
      while (reader.hasNext()) {
        OasstTree tree = reader.next();
        TREES.incrementAndGet();
        assertThat(tree.messages()).isNotEmpty();
        OasstTree.Selection selection = tree.select(filter);
        assertThat(selection.kept()).isBetween(0, tree.size());
        for (SftPaths paths : SftPaths.values()) {
          for (Conversation c : selection.sftConversations(paths)) {
            assertThat(c.messages()).isNotEmpty();
            write(Format.TRL_SFT, c);
          }
        }
        for (DpoPairs mode : DpoPairs.values()) {
          for (Preference p : selection.dpoPairs(mode)) {
            write(Format.TRL_DPO, p);
          }
        }
      }
    } catch (SchemaException documented) {
      assertThat(documented.getMessage()).isNotBlank();
    }
    for (ReadResult.Rejected r : rejects) {
      assertThat(r.location().line() > 0 || r.location().index() >= 0)
          .as("rejection %s is located", r)
          .isTrue();
      assertThat(r.reason()).isNotBlank();
    }
    REJECTS.addAndGet(rejects.size());
  }

  private static void write(Format format, Example example) {
    try (FormatWriter w = FormatWriter.open(format, OutputStream.nullOutputStream(), true)) {
      w.write(example);
    } catch (SchemaException documented) {
      assertThat(documented.getMessage()).isNotBlank();
    }
  }

  @AfterAll
  static void figures() {
    Figures.write(
        "fuzz-oasst-reader",
        Map.of(
            "executions",
            EXECUTIONS.get(),
            "trees",
            TREES.get(),
            "rejectedRecords",
            REJECTS.get()));
  }
}
