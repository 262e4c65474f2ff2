package dev.trainwatch.collector.system.proc;

import java.util.SortedMap;
import java.util.TreeMap;

/**
 * {@code /proc/stat}: the per-CPU {@code cpuN} lines (the aggregate {@code cpu} line is not
 * needed).
 */
public final class ProcStat {
  /** user, nice, system, idle, iowait, irq, softirq, steal: the order of {@code CpuRaw.STATES}. */
  public static final int STATES = 8;

  private ProcStat() {}

  /**
   * Ticks in USER_HZ per logical CPU number. guest and guest_nice are left out because the kernel
   * already counts them inside user and nice. A state an old kernel does not report reads 0 (the
   * array shape is fixed); a line whose numbers do not parse is skipped. Offline CPUs have no line,
   * so the map can have holes.
   */
  public static SortedMap<Integer, long[]> parseCpuTicks(String text) {
    SortedMap<Integer, long[]> out = new TreeMap<>();
    for (String line : text.split("\n")) {
      if (line.length() < 4 || !line.startsWith("cpu") || !Character.isDigit(line.charAt(3))) {
        continue;
      }
      String[] w = ProcText.words(line);
      int cpu;
      try {
        cpu = Integer.parseInt(w[0].substring(3));
      } catch (NumberFormatException e) {
        continue;
      }
      if (w.length < 5) {
        continue; // user, nice, system, idle are in every kernel since 2.4
      }
      long[] ticks = new long[STATES];
      boolean ok = true;
      for (int s = 0; s < STATES && s + 1 < w.length; s++) {
        Long v = ProcText.unsigned(w[s + 1]);
        if (v == null) {
          ok = false;
          break;
        }
        ticks[s] = v;
      }
      if (ok) {
        out.put(cpu, ticks);
      }
    }
    return out;
  }
}
