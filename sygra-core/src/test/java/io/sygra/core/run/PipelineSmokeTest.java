package io.sygra.core.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.sygra.core.Graph;
import io.sygra.core.Nodes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PipelineSmokeTest {
  @TempDir Path tmp;

  @Test
  void runsAndResumes() throws Exception {
    Graph g =
        Graph.builder()
            .node("a", Nodes.lambda(s -> s.with("x", 1)))
            .node("f", Nodes.filter(s -> !s.id().endsWith("3"), "ends with 3"))
            .node("split", Nodes.fanOut(s -> List.of(s.with("k", 0), s.with("k", 1))))
            .chain(Graph.START, "a", "f", "split", Graph.END)
            .build();
    Path dir = tmp.resolve("run");
    RunReport r =
        Pipeline.builder()
            .graph(g)
            .source(Sources.generate(10))
            .runDirectory(dir)
            .options(RunOptions.builder().progress(RunOptions.ProgressMode.NEVER).build())
            .build()
            .run();
    assertThat(r.written()).isEqualTo(18);
    assertThat(r.dropped()).isEqualTo(1);
    assertThat(r.reconciles()).isTrue();
    assertThat(Files.readAllLines(dir.resolve("output.jsonl"))).hasSize(18);
    RunReport again =
        Pipeline.builder()
            .graph(g)
            .source(Sources.generate(10))
            .runDirectory(dir)
            .options(RunOptions.builder().progress(RunOptions.ProgressMode.NEVER).build())
            .build()
            .run();
    assertThat(again.nothingNew()).isTrue();
    assertThat(again.written()).isEqualTo(18);
    assertThat(again.reconciles()).isTrue();
    List<Map<String, Object>> out = new ArrayList<>();
    Pipeline.builder()
        .graph(g)
        .source(Sources.generate(3))
        .sink(Sinks.collecting(out))
        .options(RunOptions.builder().progress(RunOptions.ProgressMode.NEVER).build())
        .build()
        .run();
    assertThat(out).hasSize(6);
  }
}
