package io.sygra.cli;

import io.sygra.core.run.RunReport;
import io.sygra.samples.Sample;
import io.sygra.samples.SampleContext;
import io.sygra.samples.Samples;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code sygra run <sample>}: runs a shipped sample into a resumable run directory. */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = {
      "Run a shipped sample. Offline (simulated model) unless an endpoint is configured with"
          + " --base-url, SYGRA_BASE_URL or OPENAI_API_KEY.",
      "Running again with the same --out resumes: finished records are not redone."
    })
public final class RunCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(
      index = "0",
      paramLabel = "SAMPLE",
      description = "Sample name (see --list).",
      arity = "0..1")
  String sample;

  @Option(names = "--list", description = "List the samples and exit.")
  boolean list;

  @Option(
      names = "--out",
      paramLabel = "DIR",
      description = "Run directory (default: runs/SAMPLE).")
  Path out;

  @Option(
      names = "--records",
      paramLabel = "N",
      description = "Number of records to produce or read.")
  Long records;

  @Option(
      names = "--concurrency",
      paramLabel = "C",
      defaultValue = "64",
      description = "Records in flight (default: ${DEFAULT-VALUE}).")
  int concurrency;

  @Option(names = "--model", paramLabel = "NAME", description = "Model name (or SYGRA_MODEL).")
  String model;

  @Option(
      names = "--base-url",
      paramLabel = "URL",
      description =
          "OpenAI-compatible endpoint, e.g. http://localhost:8000/v1 (or SYGRA_BASE_URL).")
  String baseUrl;

  @Option(
      names = "--input",
      paramLabel = "PATH",
      description = "Input file, for samples that read one.")
  Path input;

  @Option(names = "--force", description = "Resume a run directory made by a different graph.")
  boolean force;

  @Option(names = "--retry-failed", description = "Re-run records that failed in an earlier run.")
  boolean retryFailed;

  @Override
  public Integer call() {
    PrintWriter outW = spec.commandLine().getOut();
    if (list || sample == null) {
      for (Sample s : Samples.all()) {
        outW.printf("%-18s %s%n", s.name(), s.description());
      }
      outW.flush();
      return sample == null && !list ? 2 : 0;
    }
    Optional<Sample> found = Samples.find(sample);
    if (found.isEmpty()) {
      throw new CommandLine.ParameterException(
          spec.commandLine(),
          "unknown sample '"
              + sample
              + "'; available: "
              + Samples.all().stream().map(Sample::name).collect(Collectors.joining(", ")));
    }
    Path dir = out != null ? out : Path.of("runs", sample);
    java.io.PrintStream ps =
        new java.io.PrintStream(
            new WriterOutputStream(outW), true, java.nio.charset.StandardCharsets.UTF_8);
    SampleContext ctx =
        SampleContext.builder()
            .outDir(dir)
            .records(records)
            .concurrency(concurrency)
            .model(model)
            .baseUrl(baseUrl)
            .input(input)
            .env(System.getenv())
            .out(ps)
            .force(force)
            .retryFailed(retryFailed)
            .build();
    RunReport report = found.get().run(ctx);
    ps.flush();
    outW.print(report.summary());
    if (report.nothingNew() && report.skippedDone() > 0) {
      outW.printf(
          "nothing new: all %d records in %s were already done by an earlier run%n",
          report.skippedDone(), dir);
    }
    outW.printf("output: %s%n", dir.resolve("output.jsonl"));
    outW.flush();
    return "completed".equals(report.status()) ? 0 : 1;
  }

  /** Bridges a PrintWriter to the PrintStream samples print to. */
  private static final class WriterOutputStream extends java.io.OutputStream {
    private final PrintWriter w;
    private final java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();

    WriterOutputStream(PrintWriter w) {
      this.w = w;
    }

    @Override
    public void write(int b) {
      line.write(b);
      if (b == '\n') {
        flush();
      }
    }

    @Override
    public void flush() {
      if (line.size() > 0) {
        w.print(line.toString(java.nio.charset.StandardCharsets.UTF_8));
        line.reset();
      }
      w.flush();
    }
  }
}
