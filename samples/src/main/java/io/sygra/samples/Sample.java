package io.sygra.samples;

import io.sygra.core.run.RunReport;

/**
 * A runnable recipe: {@code ./sygra run <name>}. Samples are found with {@link
 * java.util.ServiceLoader}, so other modules can add their own (list the class in {@code
 * META-INF/services/io.sygra.samples.Sample}).
 */
public interface Sample {

  /** The name used on the command line, e.g. {@code quickstart}. */
  String name();

  /** One line on what the sample does. */
  String description();

  /**
   * Runs the sample into {@link SampleContext#outDir()} and returns the main run's report. Runs
   * through {@link SampleContext#run(io.sygra.core.run.Pipeline)} so notices (such as "output is
   * simulated") are printed first.
   */
  RunReport run(SampleContext context);
}
