package io.sygra.core.run;

import io.sygra.core.Graph;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Test helpers: run a graph in memory and collect what it wrote. */
final class Runs {
  private Runs() {}

  record Result(RunReport report, List<Map<String, Object>> output) {}

  static RunOptions quiet() {
    return RunOptions.builder().progress(RunOptions.ProgressMode.NEVER).build();
  }

  static Result inMemory(Graph g, Source source) {
    return inMemory(g, source, quiet());
  }

  static Result inMemory(Graph g, Source source, RunOptions options) {
    List<Map<String, Object>> out = new ArrayList<>();
    RunReport r =
        Pipeline.builder()
            .graph(g)
            .source(source)
            .sink(Sinks.collecting(out))
            .options(options)
            .build()
            .run();
    return new Result(r, out);
  }
}
