package dev.trainwatch.collector.gpu.smi;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One CSV cell of nvidia-smi output to a value. Absent is any bracketed token ({@code [N/A]},
 * {@code [Not Supported]}, {@code [Unknown Error]}, {@code [Insufficient Permissions]}, {@code
 * [Requested functionality has been deprecated]}, …), a bare {@code N/A} (printed by a few fields),
 * or an empty cell. A trailing unit ({@code 631.95 W}) is tolerated, so output without {@code
 * nounits} parses the same.
 */
final class SmiCells {
  private SmiCells() {}

  private static final Pattern NUMBER =
      Pattern.compile("^([-+]?[0-9]*\\.?[0-9]+(?:[eE][-+]?[0-9]+)?)(?:\\s*[A-Za-z%/]+)?$");
  private static final double MIB = 1024.0 * 1024.0;

  static boolean absent(String cell) {
    if (cell == null) {
      return true;
    }
    String c = cell.strip();
    return c.isEmpty() || c.equalsIgnoreCase("N/A") || (c.startsWith("[") && c.endsWith("]"));
  }

  static String text(String cell) {
    return absent(cell) ? null : cell.strip();
  }

  static Double number(String cell) {
    if (absent(cell)) {
      return null;
    }
    Matcher m = NUMBER.matcher(cell.strip());
    if (!m.matches()) {
      return null;
    }
    try {
      return Double.parseDouble(m.group(1));
    } catch (NumberFormatException e) {
      return null;
    }
  }

  static Long whole(String cell) {
    Double d = number(cell);
    return d == null || d < 0 || d != Math.rint(d) ? null : d.longValue();
  }

  /**
   * nvidia-smi prints memory in MiB (rounded up from bytes, so the bytes here are within 1 MiB
   * above truth).
   */
  static Long mibToBytes(String cell) {
    Double d = number(cell);
    return d == null || d < 0 ? null : Math.round(d * MIB);
  }

  /** A {@code 0x%016X} bitmask such as {@code 0x0000000000000004}. */
  static Long hexMask(String cell) {
    if (absent(cell)) {
      return null;
    }
    String c = cell.strip();
    if (!(c.startsWith("0x") || c.startsWith("0X")) || c.length() < 3 || c.length() > 18) {
      return null;
    }
    try {
      return Long.parseUnsignedLong(c.substring(2), 16);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  static Boolean enabled(String cell) {
    String c = text(cell);
    if (c == null) {
      return null;
    }
    return c.equalsIgnoreCase("Enabled")
        ? Boolean.TRUE
        : c.equalsIgnoreCase("Disabled") ? Boolean.FALSE : null;
  }
}
