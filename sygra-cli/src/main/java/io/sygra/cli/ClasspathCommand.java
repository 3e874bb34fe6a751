package io.sygra.cli;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * Prints the class path of the SyGra jars, so {@code jshell --class-path "$(./sygra classpath)"}
 * and scripts can use the library.
 */
@Command(
    name = "classpath",
    mixinStandardHelpOptions = true,
    description = "Print the class path (for jshell --class-path and scripts).")
public final class ClasspathCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    List<String> parts = new ArrayList<>();
    for (String p : System.getProperty("java.class.path").split(File.pathSeparator)) {
      if (!p.isBlank()) {
        parts.add(Path.of(p).toAbsolutePath().normalize().toString());
      }
    }
    spec.commandLine().getOut().println(String.join(File.pathSeparator, parts));
    return 0;
  }
}
