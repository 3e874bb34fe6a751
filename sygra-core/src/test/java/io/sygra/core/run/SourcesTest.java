package io.sygra.core.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SourcesTest {
  @TempDir Path tmp;

  /** Reads everything, collecting records and errors in order. */
  static List<Object> drain(Source s) {
    List<Object> out = new ArrayList<>();
    try (RecordReader r = s.open()) {
      while (true) {
        try {
          if (!r.hasNext()) {
            break;
          }
          out.add(r.next());
        } catch (SourceException e) {
          out.add(e);
          if (!e.recoverable()) {
            break;
          }
        }
      }
    }
    return out;
  }

  Path write(String name, byte[] bytes) throws Exception {
    Path p = tmp.resolve(name);
    Files.write(p, bytes);
    return p;
  }

  Path write(String name, String text) throws Exception {
    return write(name, text.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void jsonlReadsObjectsSkipsBlankLinesAndNamesBadLines() throws Exception {
    Path p =
        write(
            "in.jsonl",
            "\uFEFF{\"a\":1}\n\n{\"a\":2}\r\n{bad json}\n[1,2]\n\"str\"\n{\"a\":3} {\"b\":4}\n{\"a\":5}");
    List<Object> got = drain(Sources.jsonl(p));
    assertThat(got).hasSize(7);
    assertThat(((SourceRecord) got.get(0)).values()).isEqualTo(Map.of("a", 1));
    assertThat(((SourceRecord) got.get(0)).origin()).isEqualTo(p + ":1");
    assertThat(((SourceRecord) got.get(1)).origin()).isEqualTo(p + ":3");
    assertThat((SourceException) got.get(2))
        .hasMessageStartingWith(p + ":4: malformed JSON")
        .matches(SourceException::recoverable);
    assertThat((SourceException) got.get(3))
        .hasMessageContaining(":5: expected a JSON object, found an array");
    assertThat((SourceException) got.get(4))
        .hasMessageContaining(":6: expected a JSON object, found a string");
    assertThat((SourceException) got.get(5))
        .hasMessageContaining(":7: unexpected content after the JSON object");
    assertThat(((SourceRecord) got.get(6)).values()).isEqualTo(Map.of("a", 5));
  }

  @Test
  void jsonlReportsInvalidUtf8WithTheLine() throws Exception {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.write("{\"a\":\"ok\"}\n{\"a\":\"".getBytes(StandardCharsets.UTF_8));
    b.write(new byte[] {(byte) 0xC3, (byte) 0x28});
    b.write("\"}\n{\"a\":\"fine\"}\n".getBytes(StandardCharsets.UTF_8));
    List<Object> got = drain(Sources.jsonl(write("u.jsonl", b.toByteArray())));
    assertThat(got).hasSize(3);
    assertThat((SourceException) got.get(1)).hasMessageContaining(":2: invalid UTF-8");
    assertThat(((SourceRecord) got.get(2)).values()).containsEntry("a", "fine");
  }

  @Test
  void jsonlSkipsOverlongLinesWithoutHoldingThem() throws Exception {
    String big = "{\"a\":\"" + "x".repeat(5000) + "\"}";
    Path p = write("big.jsonl", "{\"a\":1}\n" + big + "\n{\"a\":2}\n");
    List<Object> got = drain(Sources.jsonl(p).maxLineBytes(1000));
    assertThat(got).hasSize(3);
    assertThat((SourceException) got.get(1))
        .hasMessageContaining(":2: line is 5008 bytes, over the limit of 1000");
    assertThat(((SourceRecord) got.get(2)).values()).containsEntry("a", 2);
  }

  @Test
  void jsonlRefusesArraysAndEmptyFilesClearly() throws Exception {
    List<Object> arr = drain(Sources.jsonl(write("arr.jsonl", "[\n{\"a\":1}\n]\n")));
    assertThat(arr)
        .singleElement()
        .isInstanceOfSatisfying(
            SourceException.class,
            e -> {
              assertThat(e.recoverable()).isFalse();
              assertThat(e)
                  .hasMessageContaining("is a JSON array, not JSON Lines")
                  .hasMessageContaining("Sources.json");
            });
    List<Object> empty = drain(Sources.jsonl(write("empty.jsonl", "\n\n")));
    assertThat(empty)
        .singleElement()
        .isInstanceOfSatisfying(
            SourceException.class, e -> assertThat(e).hasMessageContaining("empty"));
    assertThat(drain(Sources.jsonl(write("empty2.jsonl", "")).allowEmpty())).isEmpty();
    assertThatThrownBy(() -> Sources.jsonl(tmp.resolve("nope.jsonl")).open())
        .isInstanceOf(SourceException.class)
        .hasMessageContaining("file not found");
  }

  @Test
  void jsonArrayStreamsElementsAndAcceptsASingleObject() throws Exception {
    Path p = write("a.json", "[{\"a\":1}, 2, {\"a\":3}]");
    List<Object> got = drain(Sources.json(p));
    assertThat(got).hasSize(3);
    assertThat(((SourceRecord) got.get(0)).origin()).isEqualTo(p + "[0]");
    assertThat((SourceException) got.get(1)).hasMessageContaining("[1]: expected a JSON object");
    assertThat(drain(Sources.json(write("o.json", "{\"x\":1}")))).hasSize(1);
    List<Object> broken = drain(Sources.json(write("b.json", "[{\"a\":1},\n{\"a\":")));
    assertThat(broken).hasSize(2);
    assertThat((SourceException) broken.get(1))
        .hasMessageContaining("malformed JSON")
        .matches(e -> !e.recoverable());
  }

  @Test
  void csvHandlesQuotesAndNewlines() throws Exception {
    Path p = write("c.csv", "q,a\n\"say \"\"hi\"\"\",\"line1\nline2\"\nplain,x\n");
    List<Object> got = drain(Sources.csv(p));
    assertThat(got).hasSize(2);
    assertThat(((SourceRecord) got.get(0)).values())
        .containsEntry("q", "say \"hi\"")
        .containsEntry("a", "line1\nline2");
    assertThat(Sources.file(p)).isInstanceOf(CsvSource.class);
  }

  @Test
  void generateAndColumn() throws Exception {
    assertThat(drain(Sources.generate(3)))
        .extracting(o -> ((SourceRecord) o).id())
        .containsExactly("0", "1", "2");
    Path p = write("t.jsonl", "{\"topic\":\"a\"}\n{\"other\":1}\n{\"topic\":\"b\"}\n");
    assertThat(Sources.column(Sources.jsonl(p), "topic")).containsExactly("a", "b");
    assertThatThrownBy(() -> Sources.column(Sources.jsonl(p), "missing"))
        .hasMessageContaining("no record has a value for column 'missing'");
  }

  @Test
  void generateComputesValuesFromTheIndex() throws Exception {
    Source s = Sources.generate(3, i -> Map.of("prompt", "Say " + i));
    assertThat(s.idsAreUnique()).isTrue();
    assertThat(s.size()).hasValue(3);
    List<Object> got = drain(s);
    assertThat(got).hasSize(3);
    SourceRecord last = (SourceRecord) got.get(2);
    assertThat(last.id()).isEqualTo("2");
    assertThat(last.values()).containsExactly(Map.entry("prompt", "Say 2"));
    assertThat(last.origin()).isEqualTo("generated[2]");
    assertThatThrownBy(() -> Sources.generate(-1, i -> Map.of()))
        .hasMessageContaining("records")
        .hasMessageContaining("-1");
  }
}
