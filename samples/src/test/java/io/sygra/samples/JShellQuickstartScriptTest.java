package io.sygra.samples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs {@code samples/jshell/quickstart.jsh} with the jshell binary, as the README tells users. */
class JShellQuickstartScriptTest {
  @TempDir Path tmp;

  @Test
  void scriptRunsOfflineAndWritesReconciledOutput() throws Exception {
    Path script = Path.of("jshell", "quickstart.jsh");
    if (!Files.exists(script)) {
      script = Path.of("samples", "jshell", "quickstart.jsh");
    }
    assertThat(script).exists();
    Path jshell = Path.of(System.getProperty("java.home"), "bin", "jshell");
    assertThat(jshell).as("jshell ships with the JDK").exists();
    Path out = tmp.resolve("run");
    ProcessBuilder pb =
        new ProcessBuilder(
                jshell.toString(),
                "--class-path",
                classPath(),
                "-R-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                script.toString())
            .redirectErrorStream(true)
            .redirectOutput(tmp.resolve("jshell.log").toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    Map<String, String> env = pb.environment();
    for (String k :
        List.of(
            "OPENAI_API_KEY",
            "SYGRA_BASE_URL",
            "OPENAI_BASE_URL",
            "SYGRA_PROVIDER",
            "AZURE_OPENAI_ENDPOINT",
            "ANTHROPIC_API_KEY",
            "SYGRA_MODEL")) {
      env.remove(k);
    }
    env.put("SYGRA_OUT", out.toString());
    env.put("SYGRA_RECORDS", "6");
    Process p = pb.start();
    boolean done = p.waitFor(90, TimeUnit.SECONDS);
    if (!done) {
      p.destroyForcibly();
    }
    String log = Files.readString(tmp.resolve("jshell.log"), StandardCharsets.UTF_8);
    assertThat(done).as("jshell finished; log:%n%s", log).isTrue();
    assertThat(p.exitValue()).as("exit code; log:%n%s", log).isZero();
    assertThat(log).contains("SIMULATED MODEL");
    SampleTestSupport.assertReconciles(out);
    Map<String, Object> report = SampleTestSupport.json(out.resolve("report.json"));
    assertThat(((Number) report.get("input")).intValue()).isEqualTo(6);
    List<Map<String, Object>> records = SampleTestSupport.jsonl(out.resolve("output.jsonl"));
    assertThat(records)
        .allSatisfy(
            r ->
                assertThat(SampleTestSupport.messages(r))
                    .extracting(m -> m.get("role"))
                    .containsExactly("user", "assistant"));
  }

  /** The test class path without surefire's own jars. */
  private static String classPath() {
    StringBuilder sb = new StringBuilder();
    for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
      if (e.contains("surefire") || e.isBlank()) {
        continue;
      }
      if (sb.length() > 0) {
        sb.append(File.pathSeparator);
      }
      sb.append(e);
    }
    return sb.toString();
  }
}
