package dev.trainwatch.launcher;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * {@code --config FILE}, shared by every command (picocli mixin): the admin commands read what
 * `run` reads.
 */
final class ConfigOption {
  @Option(
      names = "--config",
      paramLabel = "FILE",
      description =
          "JSON file overriding conf/trainwatch.json "
              + "(give the admin commands the same one as `trainwatch run`).")
  Path file;

  /** Defaults ← file ← environment, validated. */
  JsonObject load() {
    return ConfigLoader.load(file, System.getenv());
  }

  /** As {@link #load()}, or null once the mistake is printed (the command then exits 2). */
  JsonObject loadOrReport() {
    try {
      return load();
    } catch (ConfigException e) {
      System.err.println("trainwatch: configuration error: " + e.getMessage());
      return null;
    }
  }

  /** The database of that configuration, for an admin command. */
  AdminDb openDb() throws Exception {
    return AdminDb.open(load());
  }
}
