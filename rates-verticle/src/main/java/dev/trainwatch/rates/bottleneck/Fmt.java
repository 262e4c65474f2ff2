package dev.trainwatch.rates.bottleneck;

/**
 * Number formatting for reasons. Hand-rolled because {@code String.format} costs about a
 * microsecond a call and reasons are rebuilt for every sample; Locale-free so a reason reads the
 * same on every server.
 */
final class Fmt {
  private static final double MIB = 1024 * 1024;

  private Fmt() {}

  static StringBuilder value(StringBuilder b, Signal s, double v) {
    return switch (s.unit) {
      case PERCENT -> number(b, v).append(" %");
      case COUNT -> b.append(Math.round(v));
      case BYTES_PER_S -> number(b, v / MIB).append(" MiB/s");
    };
  }

  /** Whole numbers from 10 up, one decimal below, where the decimal still tells something. */
  static StringBuilder number(StringBuilder b, double v) {
    long tenths = Math.round(v * 10);
    if (Math.abs(v) >= 10 || tenths % 10 == 0) {
      return b.append(Math.round(v));
    }
    if (tenths < 0) {
      b.append('-');
      tenths = -tenths;
    }
    return b.append(tenths / 10).append('.').append(tenths % 10);
  }

  static StringBuilder seconds(StringBuilder b, long ms) {
    return number(b, ms / 1000.0).append(" s");
  }
}
