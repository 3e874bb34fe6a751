package io.sygra.samples;

import static org.assertj.core.api.Assertions.assertThat;

import io.sygra.core.run.RunReport;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EchoSampleTest {

  @TempDir Path dir;

  @Test
  void isFoundByName() {
    assertThat(Samples.find("echo")).get().isInstanceOf(EchoSample.class);
  }

  @Test
  void generatesPromptsAndWritesAnswers() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    RunReport r = new EchoSample().run(SampleTestSupport.ctx(dir, 7, out).build());

    assertThat(r.written()).isEqualTo(7);
    SampleTestSupport.assertReconciles(dir, r);
    List<Map<String, Object>> rows = SampleTestSupport.jsonl(dir.resolve("output.jsonl"));
    assertThat(rows)
        .extracting(m -> m.get("prompt"))
        .containsExactlyInAnyOrder(
            "Echo record 0",
            "Echo record 1",
            "Echo record 2",
            "Echo record 3",
            "Echo record 4",
            "Echo record 5",
            "Echo record 6");
    assertThat(rows).allSatisfy(m -> assertThat((String) m.get("answer")).isNotBlank());
    assertThat(out.toString(StandardCharsets.UTF_8)).containsIgnoringCase("simulated");
  }

  @Test
  void readsPromptsFromInputAndHonoursRecords() throws Exception {
    Path input = Files.createTempFile(dir, "prompts", ".jsonl");
    Files.writeString(
        input,
        "{\"id\":\"a\",\"prompt\":\"first\"}\n"
            + "{\"id\":\"b\",\"prompt\":\"second\"}\n"
            + "{\"id\":\"c\",\"prompt\":\"third\"}\n");
    Path run = dir.resolve("run");
    RunReport r =
        new EchoSample()
            .run(SampleTestSupport.ctx(run, 2, new ByteArrayOutputStream()).input(input).build());

    assertThat(r.written()).isEqualTo(2);
    List<Map<String, Object>> rows = SampleTestSupport.jsonl(run.resolve("output.jsonl"));
    assertThat(rows).extracting(m -> m.get("prompt")).containsExactlyInAnyOrder("first", "second");
  }

  @Test
  void recordWithoutPromptFailsNamingTheVariable() throws Exception {
    Path input = Files.createTempFile(dir, "bad", ".jsonl");
    Files.writeString(input, "{\"id\":\"x\",\"text\":\"no prompt here\"}\n");
    Path run = dir.resolve("bad-run");
    RunReport r =
        new EchoSample()
            .run(SampleTestSupport.ctx(run, 1, new ByteArrayOutputStream()).input(input).build());

    assertThat(r.failed()).isEqualTo(1);
    String failed = Files.readString(run.resolve("failed.jsonl"));
    assertThat(failed).contains("prompt").contains("echo");
  }

  @Test
  void generatedSourceHasUniqueIdsAndKnownSize() {
    var source = EchoSample.generated(3);
    assertThat(source.idsAreUnique()).isTrue();
    assertThat(source.size()).hasValue(3);
    try (var reader = source.open()) {
      assertThat(reader.next().id()).isEqualTo("0");
      assertThat(reader.next().values()).containsEntry("prompt", "Echo record 1");
      assertThat(reader.next().origin()).isEqualTo("generated[2]");
      assertThat(reader.hasNext()).isFalse();
    }
  }
}
