package dev.trainwatch.rates.bottleneck;

import dev.trainwatch.bus.derived.CpuFigures;
import dev.trainwatch.bus.derived.DiskFigures;
import dev.trainwatch.bus.derived.DiskRates;
import dev.trainwatch.bus.derived.GpuFigures;
import dev.trainwatch.bus.derived.GpuRollup;
import dev.trainwatch.bus.derived.MemoryFigures;
import dev.trainwatch.rates.calc.Counters;
import dev.trainwatch.rates.calc.Figures;
import dev.trainwatch.rates.calc.PressureRates;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What the classifier keeps of one sample: its signals (NaN when absent) and per-GPU readings.
 *
 * @param rated whether the sample had an interval with rates (the first one after a start or reset
 *     has only gauges)
 */
record WindowSample(long uptimeMs, boolean rated, double[] signals, GpuSample[] gpus) {

  double get(Signal s) {
    return signals[s.ordinal()];
  }

  /**
   * @param previous the previous sample, whose GPU keys are reused so later key comparisons are
   *     identity checks
   */
  static WindowSample of(long uptimeMs, boolean rated, Figures f, WindowSample previous) {
    double[] s = new double[Signal.ALL.length];
    Arrays.fill(s, Double.NaN);
    GpuRollup rollup = f.gpuRollup();
    if (rollup != null) {
      s[Signal.GPU_UTIL_AVG.ordinal()] = value(rollup.utilAvg());
      s[Signal.GPU_UTIL_MAX.ordinal()] = value(rollup.utilMax());
    }
    cpu(f.cpu(), s);
    s[Signal.DISK_UTIL_MAX.ordinal()] = busiestDisk(f.disk());
    memory(f.memory(), s);
    PressureRates p = f.pressure();
    if (p != null) {
      s[Signal.PSI_IO_SOME.ordinal()] = value(p.ioSome());
      s[Signal.PSI_MEMORY_SOME.ordinal()] = value(p.memorySome());
    }
    return new WindowSample(uptimeMs, rated, s, gpus(f.gpus(), previous));
  }

  private static void cpu(CpuFigures cpu, double[] s) {
    if (cpu == null) {
      return;
    }
    s[Signal.CPU_UTIL.ordinal()] = value(cpu.utilization());
    s[Signal.CPU_IOWAIT.ordinal()] = value(cpu.iowait());
    List<Double> perCore = cpu.perCore();
    if (perCore != null && !perCore.isEmpty()) {
      int saturated = 0;
      for (int i = 0; i < perCore.size(); i++) {
        if (perCore.get(i) >= RuleTable.SATURATED_CORE_PERCENT) {
          saturated++;
        }
      }
      s[Signal.CPU_SATURATED_CORES.ordinal()] = saturated;
      s[Signal.CPU_CORES.ordinal()] = perCore.size();
    }
  }

  private static double busiestDisk(DiskFigures disk) {
    double max = Double.NaN;
    if (disk != null) {
      for (DiskRates d : disk.disks()) {
        if (d.utilization() != null && !(d.utilization() <= max)) {
          max = d.utilization();
        }
      }
    }
    return max;
  }

  private static void memory(MemoryFigures m, double[] s) {
    if (m == null) {
      return;
    }
    if (m.ramAvailable() != null && m.ramTotal() != null && m.ramTotal() != 0) {
      s[Signal.RAM_AVAILABLE.ordinal()] =
          100 * Counters.toDouble(m.ramAvailable()) / Counters.toDouble(m.ramTotal());
    }
    Double in = m.swapInRate();
    Double out = m.swapOutRate();
    if (in != null || out != null) {
      s[Signal.SWAP_IO.ordinal()] = (in == null ? 0 : in) + (out == null ? 0 : out);
    }
  }

  private static GpuSample[] gpus(List<GpuFigures> gpus, WindowSample previous) {
    if (gpus == null || gpus.isEmpty()) {
      return new GpuSample[0];
    }
    GpuSample[] out = new GpuSample[gpus.size()];
    for (int i = 0; i < out.length; i++) {
      GpuFigures g = gpus.get(i);
      out[i] =
          new GpuSample(
              canonicalKey(g, i, previous),
              g.index(),
              value(g.utilization()),
              throttleReasons(g.clockEventReasons()));
    }
    return out;
  }

  private static String canonicalKey(GpuFigures g, int position, WindowSample previous) {
    String key = g.uuid() != null ? g.uuid() : "#" + g.index();
    if (previous != null) {
      GpuSample[] prev = previous.gpus();
      if (position < prev.length && prev[position].key().equals(key)) {
        return prev[position].key();
      }
      for (GpuSample p : prev) {
        if (p.key().equals(key)) {
          return p.key();
        }
      }
    }
    return key;
  }

  private static List<String> throttleReasons(List<String> reasons) {
    if (reasons == null || reasons.isEmpty()) {
      return List.of();
    }
    List<String> out = null;
    for (String r : reasons) {
      if (!RuleTable.BENIGN_CLOCK_REASONS.contains(r)) {
        if (out == null) {
          out = new ArrayList<>(2);
        }
        out.add(r);
      }
    }
    return out == null ? List.of() : out;
  }

  private static double value(Double d) {
    return d == null ? Double.NaN : d;
  }
}
