package io.sygra.benchmarks.harness;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time of this JVM's JIT compiler threads, read from {@code /proc/self/task/<tid>/stat} (Linux;
 * zero elsewhere). The harness subtracts it from the process CPU so that CPU per request reflects
 * the steady state rather than how much compiling a run happened to overlap; it is reported
 * separately. Run with {@code -XX:-UseDynamicNumberOfCompilerThreads}, so compiler threads do not
 * exit and take their counts with them.
 */
final class JitCpu {
  private static final Path TASKS = Path.of("/proc/self/task");
  private static final long TICK_NANOS = 10_000_000L; // USER_HZ = 100 on Linux

  private JitCpu() {}

  /** Summed user + system time of the threads named {@code C1/C2 CompilerThread...}. */
  static long nanos() {
    if (!Files.isDirectory(TASKS)) {
      return 0;
    }
    long ticks = 0;
    try (DirectoryStream<Path> tasks = Files.newDirectoryStream(TASKS)) {
      for (Path task : tasks) {
        ticks += compilerTicks(task.resolve("stat"));
      }
    } catch (IOException e) {
      return 0;
    }
    return ticks * TICK_NANOS;
  }

  private static long compilerTicks(Path stat) {
    String s;
    try {
      s = Files.readString(stat);
    } catch (IOException e) {
      return 0; // the thread ended meanwhile
    }
    return parseCompilerTicks(s);
  }

  /** utime + stime of a {@code stat} line when its thread is a JIT compiler thread, else 0. */
  static long parseCompilerTicks(String stat) {
    int open = stat.indexOf('(');
    int close = stat.lastIndexOf(')');
    if (open < 0 || close < open) {
      return 0;
    }
    String comm = stat.substring(open + 1, close);
    if (!comm.startsWith("C1 CompilerThre") && !comm.startsWith("C2 CompilerThre")) {
      return 0;
    }
    // After ") ": state(3) ppid(4) ... utime(14) stime(15); index 0 here is field 3.
    String[] f = stat.substring(close + 2).split(" ");
    return Long.parseLong(f[11]) + Long.parseLong(f[12]);
  }
}
