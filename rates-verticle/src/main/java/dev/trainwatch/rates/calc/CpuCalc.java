package dev.trainwatch.rates.calc;

import static dev.trainwatch.bus.raw.CpuRaw.IDLE;
import static dev.trainwatch.bus.raw.CpuRaw.IOWAIT;
import static dev.trainwatch.bus.raw.CpuRaw.STEAL;

import dev.trainwatch.bus.derived.CpuFigures;
import dev.trainwatch.bus.raw.CpuRaw;
import java.util.ArrayList;
import java.util.List;

/**
 * CPU percentages from per-core tick deltas. The denominator is the sum of a core's tick deltas,
 * not Δt: ticks and the agent's clock are read at slightly different instants, and dividing ticks
 * by ticks keeps every share in [0, 100] by construction (what top and psutil do).
 *
 * <p>Busy is everything but idle and iowait; steal counts as busy (the vCPU wanted to run) and is
 * also reported on its own. Cores carry no stable id, only their position, so a change in core
 * count (hotplug) makes positions meaningless: that interval has no CPU rates.
 */
public final class CpuCalc {
  private static final int STATES = CpuRaw.STATES.size();

  private CpuCalc() {}

  /**
   * @param prev the reference sample's CPU section, or null when this interval has no rates
   */
  public static CpuFigures compute(CpuRaw prev, CpuRaw cur, long dtMs, RateStats stats) {
    if (cur == null) {
      return null;
    }
    List<Double> load = loadAvg(cur.loadAvg(), stats);
    if (prev == null
        || prev.ticks() == null
        || cur.ticks() == null
        || prev.ticks().length != cur.ticks().length
        || cur.ticks().length == 0) {
      return new CpuFigures(null, null, null, null, load);
    }
    long[][] p = prev.ticks();
    long[][] c = cur.ticks();
    Double[] perCore = new Double[c.length];
    boolean everyCore = true;
    double busySum = 0;
    double totalSum = 0;
    double iowaitSum = 0;
    double stealSum = 0;
    double[] d = new double[STATES];
    for (int core = 0; core < c.length; core++) {
      if (!coreDeltas(p[core], c[core], dtMs, d, stats)) {
        everyCore = false;
        continue;
      }
      double total = 0;
      for (double v : d) {
        total += v;
      }
      if (total <= 0) {
        everyCore = false;
        continue;
      }
      double busy = total - d[IDLE] - d[IOWAIT];
      perCore[core] = Bounds.percent(100 * busy / total, stats);
      busySum += busy;
      totalSum += total;
      iowaitSum += d[IOWAIT];
      stealSum += d[STEAL];
    }
    if (totalSum <= 0) {
      return new CpuFigures(null, null, null, null, load);
    }
    // The bus model's per_core is a list of numbers without holes, so one core without a rate hides
    // the list for
    // this interval; the machine total still covers the cores that have one.
    return new CpuFigures(
        Bounds.percent(100 * busySum / totalSum, stats),
        everyCore ? List.of(perCore) : null,
        Bounds.percent(100 * iowaitSum / totalSum, stats),
        Bounds.percent(100 * stealSum / totalSum, stats),
        load);
  }

  /**
   * Fills {@code out} with one core's per-state deltas; false when the core has no rate this
   * interval. A small decrease is the kernel's known iowait/idle accounting dip (proc_stat(5)),
   * clamped to 0 rather than taken for a reset; a decrease larger than the interval itself cannot
   * be a dip and goes through the wrap/reset rule.
   */
  private static boolean coreDeltas(
      long[] prev, long[] cur, long dtMs, double[] out, RateStats stats) {
    if (prev == null || cur == null || prev.length != STATES || cur.length != STATES) {
      return false;
    }
    for (int s = 0; s < STATES; s++) {
      long a = prev[s];
      long b = cur[s];
      if (Long.compareUnsigned(b, a) >= 0) {
        out[s] = Counters.toDouble(b - a);
      } else if (Long.compareUnsigned(a - b, dtMs) <= 0) {
        stats.clamped();
        out[s] = 0;
      } else {
        double delta = Counters.delta(a, b, stats);
        if (!Counters.has(delta)) {
          return false;
        }
        out[s] = delta;
      }
    }
    return true;
  }

  private static List<Double> loadAvg(List<Double> raw, RateStats stats) {
    if (raw == null) {
      return null;
    }
    List<Double> out = new ArrayList<>(raw.size());
    for (Double v : raw) {
      Double clamped =
          v == null
              ? Bounds.clamp(Double.NaN, 0, Bounds.LOAD_AVG_MAX, stats)
              : Bounds.clamp(v.doubleValue(), 0, Bounds.LOAD_AVG_MAX, stats);
      if (clamped == null) {
        // A hole would shift the 1/5/15-minute positions; no load average beats a mislabelled one.
        return null;
      }
      out.add(clamped);
    }
    return List.copyOf(out);
  }
}
