package io.sygra.samples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Java blocks of the module READMEs are what users paste: each must compile against the current
 * API.
 *
 * <p>Blocks are compiled the way a JShell user pastes them: with JShell's default imports plus the
 * import lines the README itself shows (those of the block and of every block above it), so a
 * README that forgets to say where a class lives fails here. Each block becomes the body of its own
 * static method; the free variables a fragment refers to ({@code runDir}, {@code client}...) are
 * that method's parameters, declared below with fully qualified types so that they never import
 * anything on the README's behalf. Compile errors are reported at their README line. (The Spark
 * README's block needs Spark, which this module does not depend on; it is not checked here.)
 */
class DocSnippetsTest {
  private static final Pattern JAVA_BLOCK = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL);

  /** JShell's default imports (what {@code jshell} starts with). */
  private static final List<String> JSHELL_IMPORTS =
      List.of(
          "java.io.*",
          "java.math.*",
          "java.net.*",
          "java.nio.file.*",
          "java.util.*",
          "java.util.concurrent.*",
          "java.util.function.*",
          "java.util.prefs.*",
          "java.util.regex.*",
          "java.util.stream.*");

  /**
   * What one README's snippets take from their surroundings.
   *
   * @param module the module whose README it is
   * @param blocks how many Java blocks it has at least (a deleted block fails the test)
   * @param parameters free variables per 1-based block index, as a method parameter list
   * @param helpers members of the generated class that blocks call or name (stub types, methods)
   */
  private record Doc(String module, int blocks, Map<Integer, String> parameters, String helpers) {}

  private static final List<Doc> DOCS =
      List.of(
          new Doc(
              "sygra-llm",
              4,
              Map.of(
                  2,
                  "io.sygra.llm.ModelClient model, WeatherService weatherService",
                  3,
                  "io.sygra.llm.ModelClient strongClient, io.sygra.llm.ModelClient weakClient",
                  4,
                  "java.nio.file.Path runDir"),
              "interface WeatherService { String now(String city); }"),
          new Doc(
              "sygra-quality",
              3,
              Map.of(
                  2,
                  "io.sygra.llm.ModelClient client, io.sygra.core.Node generator",
                  3,
                  "io.sygra.quality.Judge judge,"
                      + " java.util.List<io.sygra.quality.QualityPipeline.Item> items"),
              "static void write(io.sygra.schema.Example example) {}"),
          new Doc(
              "sygra-schema",
              1,
              Map.of(1, "java.nio.file.Path out, io.sygra.schema.Conversation conversation"),
              ""));

  @TempDir Path tmp;

  @TestFactory
  Stream<DynamicTest> moduleReadmeSnippetsCompile() {
    return DOCS.stream()
        .map(doc -> DynamicTest.dynamicTest(doc.module() + "/README.md", () -> check(doc)));
  }

  @Test
  void aSnippetThatDoesNotCompileFailsAtItsReadmeLine() throws Exception {
    String readme =
        "# x\n\ntext\n\n```java\nimport io.sygra.core.*;\n\nGraph g = Graph.bilder().build();\n```\n";
    List<Unit> units = units("broken", readme, new Doc("broken", 1, Map.of(), ""));
    assertThat(units).hasSize(1);
    String errors = compile(units, System.getProperty("java.class.path"), tmp.resolve("broken"));
    assertThat(errors).contains("README.md:8:", "bilder");
  }

  private void check(Doc doc) throws Exception {
    Path readme = repoRoot().resolve(doc.module()).resolve("README.md");
    String text = Files.readString(readme, StandardCharsets.UTF_8);
    List<Unit> units = units(doc.module(), text, doc);
    assertThat(units).as("java blocks in %s", readme).hasSizeGreaterThanOrEqualTo(doc.blocks());

    String classpath = System.getProperty("java.class.path");
    String errors = compile(units, classpath, tmp.resolve(doc.module()));
    assertThat(errors).as("compiling the Java blocks of %s", readme).isEmpty();
  }

  /** One generated source file: a README block wrapped in a class, with its README line map. */
  private record Unit(String className, String source, List<Integer> readmeLines, String module) {}

  private static List<Unit> units(String module, String readme, Doc doc) {
    List<Unit> units = new ArrayList<>();
    Set<String> imports = new LinkedHashSet<>();
    Matcher m = JAVA_BLOCK.matcher(readme);
    int index = 0;
    while (m.find()) {
      index++;
      int firstLine = lineOf(readme, m.start(1));
      String[] lines = m.group(1).split("\n", -1);
      for (String line : lines) {
        if (line.startsWith("import ")) {
          imports.add(line.strip());
        }
      }
      String className =
          "Doc_" + module.replaceAll("[^A-Za-z0-9]", "_").toLowerCase(Locale.ROOT) + "_" + index;
      StringBuilder src = new StringBuilder();
      List<Integer> map = new ArrayList<>();
      for (String i : JSHELL_IMPORTS) {
        emit(src, map, "import " + i + ";", 0);
      }
      for (String i : imports) {
        emit(src, map, i, 0);
      }
      emit(src, map, "public class " + className + " {", 0);
      emit(src, map, doc.helpers(), 0);
      emit(
          src,
          map,
          "static void block(" + doc.parameters().getOrDefault(index, "") + ") throws Exception {",
          0);
      for (int i = 0; i < lines.length; i++) {
        String line = lines[i];
        emit(src, map, line.startsWith("import ") ? "" : line, firstLine + i);
      }
      emit(src, map, "}", 0);
      emit(src, map, "}", 0);
      units.add(new Unit(className, src.toString(), map, module));
    }
    return units;
  }

  private static void emit(StringBuilder src, List<Integer> map, String line, int readmeLine) {
    src.append(line).append('\n');
    map.add(readmeLine);
  }

  private static int lineOf(String text, int offset) {
    int line = 1;
    for (int i = 0; i < offset; i++) {
      if (text.charAt(i) == '\n') {
        line++;
      }
    }
    return line;
  }

  /** Compiles the units; returns the errors, each at its README line, or "" when all compile. */
  private static String compile(List<Unit> units, String classpath, Path dir) throws Exception {
    Path sources = Files.createDirectories(dir.resolve("src"));
    Path classes = Files.createDirectories(dir.resolve("classes"));
    Map<String, Unit> byFile = new HashMap<>();
    List<File> files = new ArrayList<>();
    for (Unit u : units) {
      Path f = sources.resolve(u.className() + ".java");
      Files.writeString(f, u.source(), StandardCharsets.UTF_8);
      files.add(f.toFile());
      byFile.put(f.toFile().getName(), u);
    }
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    boolean ok;
    try (StandardJavaFileManager fm =
        javac.getStandardFileManager(diagnostics, Locale.ROOT, StandardCharsets.UTF_8)) {
      ok =
          javac
              .getTask(
                  null,
                  fm,
                  diagnostics,
                  List.of("-cp", classpath, "-d", classes.toString(), "-proc:none"),
                  null,
                  fm.getJavaFileObjectsFromFiles(files))
              .call();
    }
    List<String> errors = new ArrayList<>();
    Set<Unit> failed = new LinkedHashSet<>();
    for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
      if (d.getKind() != Diagnostic.Kind.ERROR) {
        continue;
      }
      Unit u =
          d.getSource() == null ? null : byFile.get(new File(d.getSource().getName()).getName());
      if (u == null) {
        errors.add(d.getMessage(Locale.ROOT));
        continue;
      }
      failed.add(u);
      long line = d.getLineNumber();
      int readmeLine =
          line >= 1 && line <= u.readmeLines().size() ? u.readmeLines().get((int) line - 1) : 0;
      String where =
          readmeLine > 0
              ? u.module() + "/README.md:" + readmeLine + ":"
              : u.className() + ".java:" + line + " (generated):";
      errors.add(where + " " + d.getMessage(Locale.ROOT));
    }
    if (ok && errors.isEmpty()) {
      return "";
    }
    String generated =
        failed.stream()
            .map(u -> "--- " + u.className() + ".java\n" + numbered(u.source()))
            .collect(Collectors.joining("\n"));
    return String.join("\n", errors) + (errors.isEmpty() ? "javac failed" : "") + "\n" + generated;
  }

  private static String numbered(String source) {
    String[] lines = source.split("\n", -1);
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < lines.length; i++) {
      b.append(String.format(Locale.ROOT, "%4d  %s%n", i + 1, lines[i]));
    }
    return b.toString();
  }

  private static Path repoRoot() {
    Path here = Path.of("").toAbsolutePath();
    return Files.exists(here.resolve("sygra-llm/README.md")) ? here : here.getParent();
  }
}
