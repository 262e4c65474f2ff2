package dev.trainwatch.rates.calc;

/**
 * Anomaly tallies of one server's rate state, kept so the service can report how often the input
 * needed correcting (self-metrics) instead of silently smoothing it away. Not thread-safe: owned by
 * one {@code ServerRates}.
 */
public final class RateStats {
  private long clamped;
  private long wraps32;
  private long wraps64;
  private long resets;

  /** A value was outside its physical bounds (or not a number) and was clamped or dropped. */
  public void clamped() {
    clamped++;
  }

  void wrap32() {
    wraps32++;
  }

  void wrap64() {
    wraps64++;
  }

  /**
   * A counter went down with no plausible wrap to explain it: its rate was left out for that
   * interval.
   */
  void reset() {
    resets++;
  }

  public long clampedCount() {
    return clamped;
  }

  public long wrap32Count() {
    return wraps32;
  }

  public long wrap64Count() {
    return wraps64;
  }

  public long resetCount() {
    return resets;
  }
}
