package dev.trainwatch.collector;

/**
 * When the next sample starts: an interval after the last one started, less the time it took, so
 * the cadence holds; yet never sooner than {@link #MIN_DELAY_MS} after it ended, so even a sample
 * that overran its interval leaves the thread (the event loop, the sender) a moment. Both the
 * collector verticle and the standalone agent schedule by it.
 */
public final class Cadence {
  static final long MIN_DELAY_MS = 5;

  private Cadence() {}

  /** The delay before the next sample, for one that started at {@code startedNanos}. */
  public static long nextDelayMs(long intervalMs, long startedNanos) {
    long tookMs = (System.nanoTime() - startedNanos) / 1_000_000;
    return Math.max(MIN_DELAY_MS, intervalMs - tookMs);
  }
}
