package dev.trainwatch.rates.calc;

import dev.trainwatch.bus.derived.GpuFigures;
import dev.trainwatch.bus.raw.RawSnapshot;
import java.util.List;

/**
 * Derives all figures of one sample. Pure: the only side effect is tallying anomalies into {@code
 * stats}.
 */
public final class RateCalculator {
  private RateCalculator() {}

  /**
   * @param prev the reference sample, or null when the interval has no rates (first sample, reset,
   *     stale); then only gauges are filled
   * @param dtMs the interval from the agent's monotonic clock, positive when {@code prev} is given
   */
  public static Figures compute(RawSnapshot prev, RawSnapshot cur, long dtMs, RateStats stats) {
    if (prev != null && dtMs <= 0) {
      throw new IllegalArgumentException("an interval with rates needs dtMs > 0, got " + dtMs);
    }
    double dtS = dtMs / 1000.0;
    List<GpuFigures> gpus =
        GpuCalc.compute(prev == null ? null : prev.gpus(), cur.gpus(), dtMs, stats);
    return new Figures(
        CpuCalc.compute(prev == null ? null : prev.cpu(), cur.cpu(), dtMs, stats),
        MemoryCalc.compute(prev == null ? null : prev.memory(), cur.memory(), dtS, stats),
        DiskCalc.compute(prev == null ? null : prev.disks(), cur.disks(), dtMs, stats),
        NicCalc.compute(prev == null ? null : prev.networks(), cur.networks(), dtS, stats),
        gpus,
        GpuCalc.rollup(gpus),
        PressureCalc.compute(prev == null ? null : prev.pressure(), cur.pressure(), dtMs, stats));
  }
}
