package dev.trainwatch.rates.calc;

/**
 * Deltas of unsigned 64-bit counters. Java has no unsigned long, so counters travel as {@code long}
 * bit patterns; two's-complement subtraction is already correct modulo 2^64, only comparisons and
 * the conversion to double need care.
 *
 * <p>A decrease is a wrap only when Netdata's plausibility rule allows it: the increase implied by
 * wrapping must be under 10 % of the counter's range. Anything else is a reset (driver reload,
 * device swap, kernel glitch) and yields no delta, because inventing one is how fake multi-terabit
 * spikes get onto dashboards (Netdata #6077).
 */
public final class Counters {
  /** The delta of an interval that has none (counter reset). */
  public static final double NO_DELTA = Double.NaN;

  static final long U32_MAX = 0xFFFF_FFFFL;
  private static final long U32_RANGE = 1L << 32;
  private static final long U32_WRAP_LIMIT = U32_RANGE / 10;
  private static final long U64_WRAP_LIMIT = Long.divideUnsigned(-1L, 10);

  private Counters() {}

  /**
   * The increase from {@code prev} to {@code cur}, or {@link #NO_DELTA} when the counter was reset.
   * A previous value that fits 32 bits is taken to be a 32-bit counter (the kernel still has many:
   * diskstats ms fields, some NIC drivers); a larger one must be 64-bit.
   */
  public static double delta(long prev, long cur, RateStats stats) {
    if (Long.compareUnsigned(cur, prev) >= 0) {
      return toDouble(cur - prev);
    }
    if (Long.compareUnsigned(prev, U32_MAX) <= 0) {
      long wrapped = U32_RANGE - prev + cur;
      if (wrapped < U32_WRAP_LIMIT) {
        stats.wrap32();
        return wrapped;
      }
    } else {
      long wrapped = cur - prev;
      if (Long.compareUnsigned(wrapped, U64_WRAP_LIMIT) < 0) {
        stats.wrap64();
        return toDouble(wrapped);
      }
    }
    stats.reset();
    return NO_DELTA;
  }

  /**
   * Same as {@link #delta(long, long, RateStats)} for optional fields: absent on either side means
   * no delta.
   */
  public static double delta(Long prev, Long cur, RateStats stats) {
    if (prev == null || cur == null) {
      return NO_DELTA;
    }
    return delta(prev.longValue(), cur.longValue(), stats);
  }

  /**
   * The counter's increase per second over {@code seconds}, within [0, {@code max}]; absent when
   * there is no delta (a reset).
   */
  public static Double rate(long prev, long cur, double seconds, double max, RateStats stats) {
    return Bounds.rate(delta(prev, cur, stats), seconds, max, stats);
  }

  /** Same as {@link #rate(long, long, double, double, RateStats)} for optional fields. */
  public static Double rate(Long prev, Long cur, double seconds, double max, RateStats stats) {
    return Bounds.rate(delta(prev, cur, stats), seconds, max, stats);
  }

  public static boolean has(double delta) {
    return !Double.isNaN(delta);
  }

  /**
   * The unsigned value of a counter's bit pattern, as a double (exact below 2^53, rounded above).
   */
  public static double toDouble(long unsigned) {
    if (unsigned >= 0) {
      return unsigned;
    }
    return ((unsigned >>> 1) | (unsigned & 1)) * 2.0;
  }
}
