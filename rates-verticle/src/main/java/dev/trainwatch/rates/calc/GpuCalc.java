package dev.trainwatch.rates.calc;

import dev.trainwatch.bus.derived.GpuFigures;
import dev.trainwatch.bus.derived.GpuRollup;
import dev.trainwatch.bus.raw.GpuRaw;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Per-GPU figures: gauges clamped to their physical ranges, plus the mean power over the interval
 * from the energy counter (ΔmJ / Δms = W), which sees every spike that the ~1 s power sample
 * misses. GPUs are matched by UUID, else by index, because indexes are renumbered when a GPU drops
 * off the bus.
 */
public final class GpuCalc {
  private static final double TEMP_MIN_C = -60;
  private static final double TEMP_MAX_C = 200;
  private static final double FAN_MAX = 255;
  private static final double CLOCK_MAX_MHZ = 1e5;

  private GpuCalc() {}

  /**
   * @param prev the reference sample's GPUs, or null when this interval has no rates
   */
  public static List<GpuFigures> compute(
      List<GpuRaw> prev, List<GpuRaw> cur, long dtMs, RateStats stats) {
    if (cur == null || cur.isEmpty()) {
      return List.of();
    }
    List<GpuFigures> out = new ArrayList<>(cur.size());
    for (int i = 0; i < cur.size(); i++) {
      GpuRaw c = cur.get(i);
      GpuRaw p = prev == null ? null : Devices.find(prev, i, c, GpuCalc::same);
      Double avgPower = null;
      if (p != null) {
        double mj = Counters.delta(p.energyMjTotal(), c.energyMjTotal(), stats);
        avgPower = Counters.has(mj) ? Bounds.clamp(mj / dtMs, 0, Bounds.POWER_MAX_W, stats) : null;
      }
      out.add(figures(c, avgPower, stats));
    }
    return List.copyOf(out);
  }

  private static GpuFigures figures(GpuRaw g, Double avgPower, RateStats s) {
    return new GpuFigures(
        g.index(),
        g.uuid(),
        g.name(),
        Bounds.clamp(g.utilizationPercent(), 0, Bounds.PERCENT_MAX, s),
        Bounds.clamp(g.memoryUtilizationPercent(), 0, Bounds.PERCENT_MAX, s),
        g.memoryUsedBytes(),
        g.memoryTotalBytes(),
        Bounds.clamp(g.temperatureC(), TEMP_MIN_C, TEMP_MAX_C, s),
        Bounds.clamp(g.powerW(), 0, Bounds.POWER_MAX_W, s),
        avgPower,
        Bounds.clamp(g.powerLimitW(), 0, Bounds.POWER_MAX_W, s),
        Bounds.clamp(g.fanPercent(), 0, FAN_MAX, s),
        Bounds.clamp(g.smClockMhz(), 0, CLOCK_MAX_MHZ, s),
        Bounds.clamp(g.memClockMhz(), 0, CLOCK_MAX_MHZ, s),
        Bounds.clamp(g.pcieRxBytesPerS(), 0, Bounds.DEVICE_RATE_MAX, s),
        Bounds.clamp(g.pcieTxBytesPerS(), 0, Bounds.DEVICE_RATE_MAX, s),
        Bounds.clamp(g.encoderPercent(), 0, Bounds.PERCENT_MAX, s),
        Bounds.clamp(g.decoderPercent(), 0, Bounds.PERCENT_MAX, s),
        g.clockEventReasons(),
        g.eccUncorrectedTotal(),
        g.migEnabled(),
        g.xidEvents());
  }

  /**
   * The key a GPU is tracked by across samples: its UUID when the driver gives one, else its index.
   */
  static boolean same(GpuRaw a, GpuRaw b) {
    if (a.uuid() != null || b.uuid() != null) {
      return Objects.equals(a.uuid(), b.uuid());
    }
    return a.index() == b.index();
  }

  /**
   * Max and mean utilization over the GPUs that report one (MIG parents report none), and memory
   * used/total summed over the GPUs that report both, so that used/total stays a meaningful ratio.
   */
  public static GpuRollup rollup(List<GpuFigures> gpus) {
    double max = Double.NEGATIVE_INFINITY;
    double sum = 0;
    int n = 0;
    long used = 0;
    long total = 0;
    boolean memory = false;
    for (GpuFigures g : gpus) {
      if (g.utilization() != null) {
        max = Math.max(max, g.utilization());
        sum += g.utilization();
        n++;
      }
      if (g.memoryUsed() != null && g.memoryTotal() != null) {
        used += g.memoryUsed();
        total += g.memoryTotal();
        memory = true;
      }
    }
    return new GpuRollup(
        n == 0 ? null : max, n == 0 ? null : sum / n, memory ? used : null, memory ? total : null);
  }
}
