package dev.trainwatch.collector.system.proc;

import java.util.regex.Pattern;

/**
 * Tokenizing shared by the /proc parsers. Lenient: a malformed number is null, never a guessed 0.
 */
final class ProcText {
  private static final Pattern WS = Pattern.compile("\\s+");
  private static final String[] NONE = new String[0];

  private ProcText() {}

  static String[] words(String line) {
    String t = line.strip();
    return t.isEmpty() ? NONE : WS.split(t);
  }

  /**
   * Kernel counters are unsigned 64-bit; values past {@link Long#MAX_VALUE} stay as their
   * two's-complement bits.
   */
  static Long unsigned(String s) {
    try {
      return Long.parseUnsignedLong(s);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  static Long unsigned(String[] words, int i) {
    return i < words.length ? unsigned(words[i]) : null;
  }
}
