package dev.trainwatch.collector.system;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where {@code /proc} and {@code /sys} are. Tests point both at a temporary tree of fixture files;
 * a containerised collector can point them at the host's, mounted elsewhere.
 */
public record ProcFiles(Path proc, Path sys) {

  public static ProcFiles host() {
    return new ProcFiles(Path.of("/proc"), Path.of("/sys"));
  }

  public Path proc(String relative) {
    return proc.resolve(relative);
  }

  public Path sys(String relative) {
    return sys.resolve(relative);
  }

  /**
   * Whole file as text. /proc files report size 0, so this reads to EOF rather than trusting the
   * size.
   */
  public static String read(Path file) {
    try {
      return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * First line, trimmed, or null when the file is missing, unreadable or blank (optional sysfs
   * attributes).
   */
  public static String readOptional(Path file) {
    try {
      String s = new String(Files.readAllBytes(file), StandardCharsets.UTF_8).strip();
      return s.isEmpty() ? null : s.lines().findFirst().orElse(null);
    } catch (IOException | SecurityException e) {
      return null;
    }
  }
}
