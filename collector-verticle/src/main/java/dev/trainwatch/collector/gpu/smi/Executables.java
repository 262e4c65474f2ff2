package dev.trainwatch.collector.gpu.smi;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Resolves a command the way a shell would: a name with a slash as a path, otherwise through {@code
 * PATH}.
 */
final class Executables {
  private Executables() {}

  /** The executable's path, or null when there is none. */
  static Path find(String command, String pathVariable) {
    if (command.contains("/")) {
      Path p = Path.of(command);
      return Files.isRegularFile(p) && Files.isExecutable(p) ? p : null;
    }
    if (pathVariable == null) {
      return null;
    }
    for (String dir : pathVariable.split(File.pathSeparator)) {
      if (dir.isEmpty()) {
        continue;
      }
      Path p = Path.of(dir, command);
      if (Files.isRegularFile(p) && Files.isExecutable(p)) {
        return p;
      }
    }
    return null;
  }
}
