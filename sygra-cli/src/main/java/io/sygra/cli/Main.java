package io.sygra.cli;

/** Entry point of the {@code sygra} command. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.exit(SygraCommand.commandLine().execute(args));
  }
}
