package dev.trainwatch.rates.calc;

import dev.trainwatch.bus.raw.PressureRaw;

/** PSI {@code total=} microsecond counters to stall %: Δµs / (Δt_ms × 1000) × 100. */
public final class PressureCalc {
  private PressureCalc() {}

  public static PressureRates compute(
      PressureRaw prev, PressureRaw cur, long dtMs, RateStats stats) {
    if (prev == null || cur == null) {
      return PressureRates.NONE;
    }
    return new PressureRates(
        share(prev.cpuSomeUsTotal(), cur.cpuSomeUsTotal(), dtMs, stats),
        share(prev.ioSomeUsTotal(), cur.ioSomeUsTotal(), dtMs, stats),
        share(prev.ioFullUsTotal(), cur.ioFullUsTotal(), dtMs, stats),
        share(prev.memorySomeUsTotal(), cur.memorySomeUsTotal(), dtMs, stats),
        share(prev.memoryFullUsTotal(), cur.memoryFullUsTotal(), dtMs, stats));
  }

  private static Double share(Long prev, Long cur, long dtMs, RateStats stats) {
    double us = Counters.delta(prev, cur, stats);
    return Counters.has(us) ? Bounds.percent(us / (dtMs * 10.0), stats) : null;
  }
}
