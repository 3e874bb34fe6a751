package io.sygra.samples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's tour is code users paste: its Java blocks, joined into one program, must compile
 * against the published API and run as the README says (a lambda graph over a JSONL file into a run
 * directory; an LLM graph that builds).
 */
class ReadmeTourTest {
  private static final Pattern JAVA_BLOCK = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL);

  @TempDir Path tmp;

  private static Path readme() {
    Path p = Path.of("..", "README.md");
    return Files.exists(p) ? p : Path.of("README.md");
  }

  @Test
  void theTourCompilesAndRunsAsDocumented() throws Exception {
    String text = Files.readString(readme(), StandardCharsets.UTF_8);
    List<String> imports = new ArrayList<>();
    List<String> body = new ArrayList<>();
    Matcher m = JAVA_BLOCK.matcher(text);
    int blocks = 0;
    while (m.find()) {
      blocks++;
      for (String line : m.group(1).split("\n")) {
        (line.startsWith("import ") ? imports : body).add(line);
      }
    }
    assertThat(blocks).as("java blocks in the README").isGreaterThanOrEqualTo(2);
    String source =
        String.join("\n", imports)
            + "\nimport java.nio.file.*;\npublic class Tour {\n"
            + "public static void main(String[] args) throws Exception {\n"
            + String.join("\n", body)
            + "\nSystem.out.println(\"LLM GRAPH NODES \" + qa.nodeNames().size());\n}\n}\n";
    Path src = tmp.resolve("Tour.java");
    Files.writeString(src, source);
    Path classes = Files.createDirectories(tmp.resolve("classes"));
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    String cp = System.getProperty("java.class.path");
    java.io.ByteArrayOutputStream errors = new java.io.ByteArrayOutputStream();
    int rc =
        javac.run(
            null,
            errors,
            errors,
            "-cp",
            cp,
            "-d",
            classes.toString(),
            "-proc:none",
            src.toString());
    assertThat(rc).as("compiling the README's Java:\n%s\n%s", errors, source).isZero();

    Path work = Files.createDirectories(tmp.resolve("work"));
    StringBuilder input = new StringBuilder();
    for (int i = 0; i < 5; i++) {
      input.append("{\"id\":\"r").append(i).append("\",\"text\":\"  text number ");
      input.append(i).append(" that is long enough  \"}\n");
    }
    input.append("{\"id\":\"short\",\"text\":\"tiny\"}\n");
    Files.writeString(work.resolve("input.jsonl"), input);

    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    ProcessBuilder pb =
        new ProcessBuilder(java.toString(), "-cp", classes + File.pathSeparator + cp, "Tour")
            .directory(work.toFile())
            .redirectErrorStream(true)
            .redirectOutput(tmp.resolve("tour.log").toFile());
    pb.environment().keySet().removeIf(k -> k.endsWith("_API_KEY") || k.startsWith("SYGRA_"));
    Process p = pb.start();
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("the tour finishes").isTrue();
    String log = Files.readString(tmp.resolve("tour.log"));
    assertThat(p.exitValue()).as(log).isZero();
    assertThat(log).contains("written=5", "dropped=1", "reconciles", "LLM GRAPH NODES 4");

    Path run = work.resolve("runs/first");
    List<String> out = Files.readAllLines(run.resolve("output.jsonl"));
    assertThat(out).hasSize(5);
    assertThat(out.get(0)).contains("\"upper\":\"TEXT NUMBER");
    assertThat(Files.readString(run.resolve("dropped.jsonl")))
        .contains("\"id\":\"short\"", "too short");
    assertThat(run.resolve("report.json")).exists();
  }
}
