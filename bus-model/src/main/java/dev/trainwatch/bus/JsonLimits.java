package dev.trainwatch.bus;

import com.fasterxml.jackson.core.StreamReadConstraints;

/**
 * Tight Jackson read limits for everything this JVM parses, set before Vert.x's codec first loads
 * (it reads them once, from system properties). A contract snapshot nests 6 deep, its longest
 * number is a 20-digit counter and its longest string a command line; anything far beyond that is
 * an attack or a bug and fails as invalid JSON.
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

  /**
   * The same limits as a Jackson {@link StreamReadConstraints}, for the parsers this project builds
   * itself ({@link JsonCursor}): they honour the same system properties, so an operator override
   * applies to both paths.
   */
  public static StreamReadConstraints constraints() {
    StreamReadConstraints.Builder b =
        StreamReadConstraints.builder()
            .maxNestingDepth(prop("vertx.jackson.defaultReadMaxNestingDepth", MAX_NESTING_DEPTH))
            .maxNumberLength(prop("vertx.jackson.defaultReadMaxNumberLength", MAX_NUMBER_LENGTH))
            .maxStringLength(prop("vertx.jackson.defaultReadMaxStringLength", MAX_STRING_LENGTH))
            .maxNameLength(prop("vertx.jackson.defaultReadMaxNameLength", MAX_NAME_LENGTH));
    String doc = System.getProperty("vertx.jackson.defaultReadMaxDocumentLength");
    if (doc != null) {
      b.maxDocumentLength(Long.parseLong(doc.trim()));
    }
    String tokens = System.getProperty("vertx.jackson.defaultMaxTokenCount");
    if (tokens != null) {
      b.maxTokenCount(Long.parseLong(tokens.trim()));
    }
    return b.build();
  }

  private static int prop(String key, int fallback) {
    String v = System.getProperty(key);
    if (v == null) {
      return fallback;
    }
    try {
      return Integer.parseInt(v.trim());
    } catch (NumberFormatException e) {
      return fallback;
    }
  }

  private static void setIfAbsent(String key, int value) {
    if (System.getProperty(key) == null) {
      System.setProperty(key, Integer.toString(value));
    }
  }
}
