package io.sygra.samples;

import io.sygra.core.ConfigurationException;
import io.sygra.core.run.Pipeline;
import io.sygra.core.run.RunOptions;
import io.sygra.core.run.RunReport;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What a {@link Sample} is asked to do: where to write, how many records, how much concurrency,
 * which model endpoint (if any), and where to print. Immutable; build with {@link #builder()}.
 */
public final class SampleContext {
  private final Path outDir;
  private final Long records;
  private final int concurrency;
  private final String model;
  private final String baseUrl;
  private final Path input;
  private final Map<String, String> env;
  private final PrintStream out;
  private final boolean force;
  private final boolean retryFailed;
  private final RunOptions.ProgressMode progress;
  private final List<String> printedNotices = new ArrayList<>();

  private SampleContext(Builder b) {
    this.outDir = b.outDir;
    this.records = b.records;
    this.concurrency = b.concurrency;
    this.model = b.model;
    this.baseUrl = b.baseUrl;
    this.input = b.input;
    this.env = Map.copyOf(b.env);
    this.out = b.out;
    this.force = b.force;
    this.retryFailed = b.retryFailed;
    this.progress = b.progress;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The run directory (created if absent). */
  public Path outDir() {
    return outDir;
  }

  /** Requested number of records, if given. */
  public OptionalLong records() {
    return records == null ? OptionalLong.empty() : OptionalLong.of(records);
  }

  /** Requested records, or {@code dflt}. */
  public long records(long dflt) {
    return records == null ? dflt : records;
  }

  /** Records in flight (default 64). */
  public int concurrency() {
    return concurrency;
  }

  /** Model name from {@code --model} or {@code SYGRA_MODEL}. */
  public Optional<String> model() {
    return Optional.ofNullable(model != null ? model : blankToNull(env.get("SYGRA_MODEL")));
  }

  /** Endpoint from {@code --base-url}, {@code SYGRA_BASE_URL} or {@code OPENAI_BASE_URL}. */
  public Optional<String> baseUrl() {
    if (baseUrl != null) {
      return Optional.of(baseUrl);
    }
    String e = blankToNull(env.get("SYGRA_BASE_URL"));
    return Optional.ofNullable(e != null ? e : blankToNull(env.get("OPENAI_BASE_URL")));
  }

  /** Input file from {@code --input}, if given. */
  public Optional<Path> input() {
    return Optional.ofNullable(input);
  }

  /** The environment (for API keys and endpoints); never printed. */
  public Map<String, String> env() {
    return env;
  }

  /**
   * True when a real endpoint is configured ({@code --base-url}, {@code SYGRA_BASE_URL}, {@code
   * OPENAI_BASE_URL} or {@code OPENAI_API_KEY}); samples otherwise use the simulated model.
   */
  public boolean realEndpoint() {
    return baseUrl().isPresent() || blankToNull(env.get("OPENAI_API_KEY")) != null;
  }

  /** Where samples print (notices first, then their summary). */
  public PrintStream out() {
    return out;
  }

  /** Run options derived from this context. */
  public RunOptions runOptions() {
    return RunOptions.builder()
        .concurrency(concurrency)
        .force(force)
        .retryFailed(retryFailed)
        .progress(progress)
        .build();
  }

  /** Prints the pipeline's notices (once each) and runs it. */
  public RunReport run(Pipeline pipeline) {
    printNotices(pipeline.notices());
    return pipeline.run();
  }

  /** Prints notices not printed yet. */
  public void printNotices(List<String> notices) {
    for (String n : notices) {
      if (!printedNotices.contains(n)) {
        printedNotices.add(n);
        out.println(n);
      }
    }
    out.flush();
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }

  /** Builds a {@link SampleContext}. */
  public static final class Builder {
    private Path outDir;
    private Long records;
    private int concurrency = 64;
    private String model;
    private String baseUrl;
    private Path input;
    private Map<String, String> env = Map.of();
    private PrintStream out = System.out;
    private boolean force;
    private boolean retryFailed;
    private RunOptions.ProgressMode progress = RunOptions.ProgressMode.AUTO;

    private Builder() {}

    public Builder outDir(Path outDir) {
      this.outDir = Objects.requireNonNull(outDir, "outDir");
      return this;
    }

    public Builder records(Long records) {
      ConfigurationException.check(
          records == null || records >= 0, "records", "must be >= 0, was " + records);
      this.records = records;
      return this;
    }

    public Builder concurrency(int concurrency) {
      ConfigurationException.check(
          concurrency >= 1, "concurrency", "must be >= 1, was " + concurrency);
      this.concurrency = concurrency;
      return this;
    }

    public Builder model(String model) {
      this.model = model;
      return this;
    }

    public Builder baseUrl(String baseUrl) {
      this.baseUrl = baseUrl;
      return this;
    }

    public Builder input(Path input) {
      this.input = input;
      return this;
    }

    public Builder env(Map<String, String> env) {
      this.env = Objects.requireNonNull(env, "env");
      return this;
    }

    public Builder out(PrintStream out) {
      this.out = Objects.requireNonNull(out, "out");
      return this;
    }

    public Builder force(boolean force) {
      this.force = force;
      return this;
    }

    public Builder retryFailed(boolean retryFailed) {
      this.retryFailed = retryFailed;
      return this;
    }

    public Builder progress(RunOptions.ProgressMode progress) {
      this.progress = Objects.requireNonNull(progress, "progress");
      return this;
    }

    public SampleContext build() {
      ConfigurationException.check(outDir != null, "outDir", "is required");
      return new SampleContext(this);
    }
  }
}
