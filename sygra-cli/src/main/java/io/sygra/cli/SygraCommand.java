package io.sygra.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The top-level {@code sygra} command. */
@Command(
    name = "sygra",
    mixinStandardHelpOptions = true,
    versionProvider = SygraCommand.Version.class,
    description = "Generate, quality-tag and shape LLM training data (SFT and DPO).",
    subcommands = {
      RunCommand.class,
      ConvertCommand.class,
      TagCommand.class,
      ClasspathCommand.class,
      CommandLine.HelpCommand.class
    })
public final class SygraCommand implements Callable<Integer> {

  @Option(
      names = {"-v", "--verbose"},
      description = "Log progress and decisions (INFO).",
      scope = CommandLine.ScopeType.INHERIT)
  void verbose(boolean on) {
    if (on) {
      System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "info");
    }
  }

  @Option(
      names = "--debug",
      description =
          "Log everything, including prompts and completions (DEBUG). Keys are never logged.",
      scope = CommandLine.ScopeType.INHERIT)
  void debug(boolean on) {
    if (on) {
      System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "debug");
    }
  }

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** A configured command line: usage errors exit with 2, failures with 1. */
  public static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new SygraCommand());
    cl.setExecutionExceptionHandler(
        (ex, cmd, parseResult) -> {
          cmd.getErr().println("error: " + ex.getMessage());
          if (Boolean.getBoolean("sygra.stacktrace")) {
            ex.printStackTrace(cmd.getErr());
          }
          return 1;
        });
    return cl;
  }

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getOut());
    return 0;
  }

  /** The version from the build. */
  public static String version() {
    try (InputStream in = SygraCommand.class.getResourceAsStream("version.properties")) {
      Properties p = new Properties();
      if (in != null) {
        p.load(in);
      }
      return p.getProperty("version", "unknown");
    } catch (IOException e) {
      return "unknown";
    }
  }

  /** Supplies {@code --version}. */
  public static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {
        "sygra " + version(),
        "Java "
            + System.getProperty("java.version")
            + " ("
            + System.getProperty("java.vendor")
            + ")"
      };
    }
  }
}
