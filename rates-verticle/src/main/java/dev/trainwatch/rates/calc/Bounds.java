package dev.trainwatch.rates.calc;

/**
 * Physical bounds for derived values. They are the ranges the bus model accepts when a derived
 * snapshot is read back (so nothing we publish can fail validation downstream) and the ranges real
 * hardware can produce. Out-of-range values are clamped and counted, never published as spikes; a
 * NaN has no sensible clamp and is dropped (counted too).
 */
public final class Bounds {
  public static final double PERCENT_MAX = 100;

  /** One device's bytes/s: 10 TB/s is beyond any disk or NIC. */
  public static final double DEVICE_RATE_MAX = 1e13;

  /** A server's summed bytes/s. */
  public static final double SUM_RATE_MAX = 1e14;

  public static final double IOPS_MAX = 1e9;
  public static final double ERROR_RATE_MAX = 1e12;
  public static final double POWER_MAX_W = 1e4;
  public static final double LOAD_AVG_MAX = 1e6;

  private Bounds() {}

  /** {@code delta / seconds}, clamped to [0, max]; absent when the delta is. */
  public static Double rate(double delta, double seconds, double max, RateStats stats) {
    if (!Counters.has(delta)) {
      return null;
    }
    return clamp(delta / seconds, 0, max, stats);
  }

  public static Double clamp(double v, double min, double max, RateStats stats) {
    if (Double.isNaN(v)) {
      stats.clamped();
      return null;
    }
    if (v < min) {
      stats.clamped();
      return min;
    }
    if (v > max) {
      stats.clamped();
      return max;
    }
    return v;
  }

  /**
   * Clamps an optional gauge; absent stays absent, and an in-range value is passed on as is (no
   * re-boxing).
   */
  public static Double clamp(Double v, double min, double max, RateStats stats) {
    if (v == null) {
      return null;
    }
    double d = v;
    return d >= min && d <= max ? v : clamp(d, min, max, stats);
  }

  public static Double percent(double v, RateStats stats) {
    return clamp(v, 0, PERCENT_MAX, stats);
  }

  /** Sum of the present values; absent when neither is present. */
  public static Double sum(Double a, Double b) {
    if (a == null) {
      return b;
    }
    return b == null ? a : a + b;
  }
}
