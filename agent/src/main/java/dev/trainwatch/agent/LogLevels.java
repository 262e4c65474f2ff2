package dev.trainwatch.agent;

import ch.qos.logback.classic.Logger;
import java.util.Locale;
import org.slf4j.LoggerFactory;

/** Seed 001's level names (Python's) mapped onto Logback's. */
public final class LogLevels {
  public enum Level {
    DEBUG(ch.qos.logback.classic.Level.DEBUG),
    INFO(ch.qos.logback.classic.Level.INFO),
    WARNING(ch.qos.logback.classic.Level.WARN),
    ERROR(ch.qos.logback.classic.Level.ERROR),
    /** Logback has nothing above ERROR; CRITICAL keeps only errors. */
    CRITICAL(ch.qos.logback.classic.Level.ERROR);

    final ch.qos.logback.classic.Level logback;

    Level(ch.qos.logback.classic.Level logback) {
      this.logback = logback;
    }
  }

  private LogLevels() {}

  /** {@code --log-level} wins over {@code --quiet}; WARN is taken for WARNING. */
  static Level parse(String name, boolean quiet) {
    if (name == null || name.isBlank()) {
      return quiet ? Level.WARNING : Level.INFO;
    }
    String n = name.strip().toUpperCase(Locale.ROOT);
    if (n.equals("WARN")) {
      return Level.WARNING;
    }
    try {
      return Level.valueOf(n);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "--log-level must be DEBUG, INFO, WARNING, ERROR or CRITICAL, got '" + name + "'");
    }
  }

  static void apply(Level level) {
    if (LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME) instanceof Logger root) {
      root.setLevel(level.logback);
    }
  }
}
