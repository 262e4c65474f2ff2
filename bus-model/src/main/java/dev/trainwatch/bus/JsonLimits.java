package dev.trainwatch.bus;

/**
 * Tight Jackson read limits for everything this JVM parses, set before Vert.x's codec first loads (it reads them
 * once, from system properties). A contract snapshot nests 6 deep, its longest number is a 20-digit counter and its
 * longest string a command line; anything far beyond that is an attack or a bug and fails as invalid JSON.
 */
public final class JsonLimits {
  private JsonLimits() {}

  public static final int MAX_NESTING_DEPTH = 16;
  public static final int MAX_NUMBER_LENGTH = 64;
  public static final int MAX_STRING_LENGTH = 64 * 1024;
  public static final int MAX_NAME_LENGTH = 256;

  public static void apply() {
    setIfAbsent("vertx.jackson.defaultReadMaxNestingDepth", MAX_NESTING_DEPTH);
    setIfAbsent("vertx.jackson.defaultReadMaxNumberLength", MAX_NUMBER_LENGTH);
    setIfAbsent("vertx.jackson.defaultReadMaxStringLength", MAX_STRING_LENGTH);
    setIfAbsent("vertx.jackson.defaultReadMaxNameLength", MAX_NAME_LENGTH);
  }

  private static void setIfAbsent(String key, int value) {
    if (System.getProperty(key) == null) {
      System.setProperty(key, Integer.toString(value));
    }
  }
}
