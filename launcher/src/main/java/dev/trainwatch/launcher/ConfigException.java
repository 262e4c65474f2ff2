package dev.trainwatch.launcher;

/**
 * A configuration value that cannot be used; the message starts with the key so the operator knows
 * what to fix.
 */
public final class ConfigException extends RuntimeException {
  public ConfigException(String key, String message) {
    super(key + ": " + message, null, false, false);
  }
}
