package dev.trainwatch.launcher;

import dev.trainwatch.bus.JsonLimits;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code java -jar trainwatch.jar <command>}. */
@Command(
    name = "trainwatch",
    mixinStandardHelpOptions = true,
    versionProvider = Main.VersionProvider.class,
    description =
        "GPU-cluster monitoring: collector, ingest, rates, history and dashboard in one jar.",
    subcommands = {
      RunCommand.class,
      RegisterServerCommand.class,
      ListServersCommand.class,
      LoginUrlCommand.class,
      ApiTokenCommand.class,
      PostgresCommand.class
    })
public final class Main implements Runnable {

  public static void main(String[] args) {
    JsonLimits.apply();
    System.exit(commandLine().execute(args));
  }

  static CommandLine commandLine() {
    return new CommandLine(new Main())
        .setCaseInsensitiveEnumValuesAllowed(true)
        .setExecutionExceptionHandler(
            (e, cmd, parsed) -> {
              if (e instanceof ConfigException) {
                cmd.getErr().println("trainwatch: configuration error: " + e.getMessage());
                return 2;
              }
              throw e;
            });
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
