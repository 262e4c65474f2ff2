package dev.trainwatch.launcher;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code java -jar trainwatch.jar <command>}. */
@Command(name = "trainwatch", mixinStandardHelpOptions = true, versionProvider = Main.VersionProvider.class,
    description = "GPU-cluster monitoring: collector, ingest, rates, history and dashboard in one jar.",
    subcommands = {RunCommand.class})
public final class Main implements Runnable {

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  static CommandLine commandLine() {
    return new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true);
  }

  @Override
  public void run() {
    CommandLine.usage(this, System.out);
  }

  static final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"trainwatch " + Version.get()};
    }
  }
}
