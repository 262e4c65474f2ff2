package dev.trainwatch.launcher;

import java.nio.file.Path;

/** Expands {@code ~} in {@code data_dir} (JSON has no shell to do it). */
final class DataDir {
  private DataDir() {}

  static Path resolve(String configured) {
    String home = System.getProperty("user.home");
    String p =
        configured.equals("~")
            ? home
            : configured.startsWith("~/") ? home + configured.substring(1) : configured;
    return Path.of(p).toAbsolutePath().normalize();
  }
}
