package dev.trainwatch.rates.calc;

import dev.trainwatch.bus.derived.MemoryFigures;
import dev.trainwatch.bus.raw.MemoryRaw;

/** Memory gauges pass through; swap in/out counters become bytes/s. */
public final class MemoryCalc {
  private MemoryCalc() {}

  /**
   * @param prev the reference sample's memory section, or null when this interval has no rates
   */
  public static MemoryFigures compute(MemoryRaw prev, MemoryRaw cur, double dtS, RateStats stats) {
    if (cur == null) {
      return null;
    }
    Double swapIn = null;
    Double swapOut = null;
    if (prev != null) {
      swapIn =
          Counters.rate(
              prev.swapInBytesTotal(), cur.swapInBytesTotal(), dtS, Bounds.DEVICE_RATE_MAX, stats);
      swapOut =
          Counters.rate(
              prev.swapOutBytesTotal(),
              cur.swapOutBytesTotal(),
              dtS,
              Bounds.DEVICE_RATE_MAX,
              stats);
    }
    return new MemoryFigures(
        cur.usedBytes(),
        cur.totalBytes(),
        cur.availableBytes(),
        cur.swapUsedBytes(),
        cur.swapTotalBytes(),
        swapIn,
        swapOut);
  }
}
