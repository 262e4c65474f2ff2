package dev.trainwatch.rates.calc;

import java.util.Arrays;

/**
 * The interval an agent actually samples at, so that gap detection suits each agent: the configured
 * nominal interval is one number for the whole service, while agents run with their own {@code
 * --interval}, and an agent at 10 s would otherwise have every interval marked as a gap. The
 * effective nominal interval is the larger of the configured one and the median of the last few
 * usable intervals; a median shrugs off the gaps themselves.
 */
public final class Cadence {
  private static final int KEPT = 8;

  private final long configuredMs;
  private final long[] recent = new long[KEPT];
  private final long[] sorted = new long[KEPT];
  private int count;
  private int next;

  public Cadence(long configuredMs) {
    this.configuredMs = configuredMs;
  }

  public long nominalMs() {
    if (count == 0) {
      return configuredMs;
    }
    System.arraycopy(recent, 0, sorted, 0, count);
    Arrays.sort(sorted, 0, count);
    return Math.max(configuredMs, sorted[(count - 1) / 2]);
  }

  /** Records the length of a usable interval. */
  public void record(long dtMs) {
    recent[next] = dtMs;
    next = (next + 1) % KEPT;
    count = Math.min(count + 1, KEPT);
  }
}
