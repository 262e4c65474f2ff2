package dev.trainwatch.rates.bottleneck;

/**
 * The window's mean of each signal over the samples that have it (an absent reading is not a zero).
 * Plain means, not time-weighted: samples arrive at a near-constant interval, and a gap is already
 * an average over itself.
 */
public final class Averages {
  private final double[] values;
  private final int samples;
  private final boolean rated;
  private final long spanMs;

  Averages(double[] values, int samples, boolean rated, long spanMs) {
    this.values = values;
    this.samples = samples;
    this.rated = rated;
    this.spanMs = spanMs;
  }

  /** NaN when no sample in the window has the signal. */
  public double get(Signal s) {
    return values[s.ordinal()];
  }

  /**
   * Whether any signal has a value at all; a window of empty samples gives no grounds for any
   * label.
   */
  public boolean any() {
    for (double v : values) {
      if (!Double.isNaN(v)) {
        return true;
      }
    }
    return false;
  }

  public int samples() {
    return samples;
  }

  /** Whether any sample in the window had rates; without one there is nothing to classify on. */
  public boolean rated() {
    return rated;
  }

  /** Time from the oldest to the newest sample in the window. */
  public long spanMs() {
    return spanMs;
  }

  /** For tests and tools: averages given directly. */
  public static Averages of(double[] bySignalOrdinal) {
    return new Averages(bySignalOrdinal.clone(), 1, true, 0);
  }
}
