package io.sygra.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the {@code sygra} command ({@code io.sygra.cli.Main}) in a child JVM, as {@code ./sygra}
 * does, with a controlled environment, and captures its exit code, stdout and stderr.
 */
public final class Cli {
  private Cli() {}

  /** What a command did. */
  public record Result(List<String> command, int exit, String stdout, String stderr) {
    /** Stdout and stderr together. */
    public String output() {
      return stdout + stderr;
    }

    @Override
    public String toString() {
      return "sygra "
          + String.join(" ", command)
          + " -> exit "
          + exit
          + "\n--- stdout ---\n"
          + stdout
          + "\n--- stderr ---\n"
          + stderr;
    }
  }

  /**
   * Runs {@code sygra args...} in {@code workDir} with exactly the given environment variables
   * (plus {@code PATH} and {@code HOME}, so nothing from the test's own environment leaks in).
   */
  public static Result run(Path workDir, Map<String, String> env, String... args) {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> cmd = new ArrayList<>();
    cmd.add(java);
    cmd.add("-XX:TieredStopAtLevel=1");
    cmd.add("-XX:+UseSerialGC");
    cmd.add("-Xmx512m");
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add("io.sygra.cli.Main");
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(workDir.toFile());
    Map<String, String> e = pb.environment();
    String path = e.get("PATH");
    String home = e.get("HOME");
    e.clear();
    if (path != null) {
      e.put("PATH", path);
    }
    if (home != null) {
      e.put("HOME", home);
    }
    e.putAll(env);
    try {
      Path out = Files.createTempFile(workDir, "cli-", ".out");
      Path err = Files.createTempFile(workDir, "cli-", ".err");
      pb.redirectOutput(out.toFile()).redirectError(err.toFile());
      Process p = pb.start();
      if (!p.waitFor(180, TimeUnit.SECONDS)) {
        p.destroyForcibly().waitFor();
        throw new AssertionError("sygra " + String.join(" ", args) + " did not finish in 180 s");
      }
      Result r =
          new Result(
              List.of(args),
              p.exitValue(),
              Files.readString(out, StandardCharsets.UTF_8),
              Files.readString(err, StandardCharsets.UTF_8));
      Files.delete(out);
      Files.delete(err);
      return r;
    } catch (IOException e1) {
      throw new UncheckedIOException(e1);
    } catch (InterruptedException e2) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e2);
    }
  }
}
