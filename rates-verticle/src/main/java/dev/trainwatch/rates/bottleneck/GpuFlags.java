package dev.trainwatch.rates.bottleneck;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The flags that stand beside the label, judged over the same window: GPUs whose clocks are being
 * held down ({@code gpu-throttled:<index>:<reason>}) and GPUs whose utilization keeps collapsing
 * while the host side is saturated, the signature of a data loader that cannot keep up ({@code
 * gpu-input-starved:<index>}). Each flag gets a reason with its numbers.
 */
final class GpuFlags {
  private GpuFlags() {}

  static void collect(
      SignalWindow window, Averages a, long windowMs, List<String> flags, List<String> reasons) {
    throttled(window, a, flags, reasons);
    starved(window, a, windowMs, flags, reasons);
  }

  /**
   * A reason seen in any sample of the window counts, so a flag does not blink with a reason that
   * comes and goes.
   */
  private static void throttled(
      SignalWindow window, Averages a, List<String> flags, List<String> reasons) {
    Map<String, Throttle> byGpu = null;
    for (WindowSample w : window) {
      for (GpuSample g : w.gpus()) {
        if (g.throttle().isEmpty()) {
          continue;
        }
        if (byGpu == null) {
          byGpu = new LinkedHashMap<>();
        }
        Throttle t = byGpu.computeIfAbsent(g.key(), k -> new Throttle());
        t.index = g.index();
        for (String r : g.throttle()) {
          t.samples.merge(r, 1, Integer::sum);
        }
      }
    }
    if (byGpu == null) {
      return;
    }
    List<Throttle> sorted = new ArrayList<>(byGpu.values());
    sorted.sort(Comparator.comparingInt(t -> t.index));
    for (Throttle t : sorted) {
      for (Map.Entry<String, Integer> e : t.samples.entrySet()) {
        String flag = "gpu-throttled:" + t.index + ":" + e.getKey();
        flags.add(flag);
        reasons.add(flag + ": in " + e.getValue() + " of " + a.samples() + " samples");
      }
    }
  }

  private static void starved(
      SignalWindow window, Averages a, long windowMs, List<String> flags, List<String> reasons) {
    WindowSample newest = window.newest();
    if (newest == null || newest.gpus().length == 0 || !RuleTable.hostSaturated(a)) {
      return;
    }
    GpuSample[] latest = newest.gpus();
    for (int i = 0; i < latest.length; i++) {
      int drops = drops(window, latest[i].key(), i);
      if (drops >= RuleTable.STARVED_MIN_DROPS) {
        String flag = "gpu-input-starved:" + latest[i].index();
        flags.add(flag);
        reasons.add(starvedReason(flag, drops, a, windowMs));
      }
    }
  }

  /** Falls from ≥ high to ≤ low; a fall counts once, however many low samples follow it. */
  private static int drops(SignalWindow window, String key, int position) {
    int drops = 0;
    boolean high = false;
    for (WindowSample w : window) {
      GpuSample g = find(w.gpus(), key, position);
      if (g == null || Double.isNaN(g.util())) {
        continue;
      }
      if (g.util() >= RuleTable.STARVED_HIGH_PERCENT) {
        high = true;
      } else if (high && g.util() <= RuleTable.STARVED_LOW_PERCENT) {
        drops++;
        high = false;
      }
    }
    return drops;
  }

  private static GpuSample find(GpuSample[] gpus, String key, int position) {
    if (position < gpus.length && gpus[position].key().equals(key)) {
      return gpus[position];
    }
    for (GpuSample g : gpus) {
      if (g.key().equals(key)) {
        return g;
      }
    }
    return null;
  }

  private static String starvedReason(String flag, int drops, Averages a, long windowMs) {
    StringBuilder b = new StringBuilder(160).append(flag).append(": utilization fell from ≥ ");
    Fmt.number(b, RuleTable.STARVED_HIGH_PERCENT).append(" % to ≤ ");
    Fmt.number(b, RuleTable.STARVED_LOW_PERCENT).append(" % ").append(drops).append(" times in ");
    Fmt.seconds(b, windowMs).append(" while ");
    String sep = "";
    for (Signal s :
        List.of(Signal.CPU_UTIL, Signal.CPU_IOWAIT, Signal.DISK_UTIL_MAX, Signal.PSI_IO_SOME)) {
      double v = a.get(s);
      if (!Double.isNaN(v)) {
        Fmt.value(b.append(sep).append(s.title).append(' '), s, v);
        sep = ", ";
      }
    }
    return b.toString();
  }

  private static final class Throttle {
    int index;
    final Map<String, Integer> samples = new LinkedHashMap<>();
  }
}
