package dev.trainwatch.collector.system;

import dev.trainwatch.bus.raw.CpuRaw;
import dev.trainwatch.collector.system.proc.Cpuinfo;
import dev.trainwatch.collector.system.proc.Loadavg;
import dev.trainwatch.collector.system.proc.ProcStat;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

/**
 * Per-core ticks from {@code /proc/stat}, load from {@code /proc/loadavg}, frequency from cpufreq
 * or cpuinfo.
 */
final class ProcfsCpu {
  private final ProcFiles files;
  private final long userHz;
  private final int cores;

  /**
   * Null where the kernel has no cpufreq driver (most VMs): {@code /proc/cpuinfo} is the fallback.
   */
  private final Path[] curFreqFiles;

  /**
   * @param userHz the unit of /proc/stat ticks (sysconf(_SC_CLK_TCK), 100 on every mainstream
   *     architecture)
   * @param cores logical CPUs known at start; the tick array always has this many rows so a core's
   *     index is stable
   */
  ProcfsCpu(ProcFiles files, long userHz, int cores) {
    this.files = files;
    this.userHz = userHz;
    this.cores = cores;
    Path[] freq = new Path[cores];
    boolean any = false;
    for (int c = 0; c < cores; c++) {
      Path p = files.sys("devices/system/cpu/cpu" + c + "/cpufreq/scaling_cur_freq");
      if (Files.isReadable(p)) {
        freq[c] = p;
        any = true;
      }
    }
    this.curFreqFiles = any ? freq : null;
  }

  CpuRaw read() {
    SortedMap<Integer, long[]> perCpu = ProcStat.parseCpuTicks(ProcFiles.read(files.proc("stat")));
    if (perCpu.isEmpty()) {
      throw new IllegalStateException("no cpuN lines in " + files.proc("stat"));
    }
    int rows = Math.max(cores, perCpu.lastKey() + 1);
    long[][] ticks = new long[rows][];
    for (int c = 0; c < rows; c++) {
      long[] t = perCpu.get(c);
      // A core that went offline has no line. Zeros read as a counter reset downstream, so no rate
      // is invented.
      ticks[c] = t == null ? new long[ProcStat.STATES] : toMillis(t);
    }
    return new CpuRaw(
        ticks, Loadavg.parse(ProcFiles.read(files.proc("loadavg"))), frequencies(rows));
  }

  private long[] toMillis(long[] t) {
    long[] ms = new long[t.length];
    for (int s = 0; s < t.length; s++) {
      // Exact for USER_HZ 100 and 1000; for other rates each reading rounds down, so the error
      // never accumulates.
      ms[s] = t[s] * 1000 / userHz;
    }
    return ms;
  }

  /** All cores or none: the wire format has no way to leave one core's frequency out. */
  private List<Double> frequencies(int rows) {
    List<Double> mhz = new ArrayList<>(rows);
    if (curFreqFiles != null && rows == curFreqFiles.length) {
      for (Path p : curFreqFiles) {
        String khz = p == null ? null : ProcFiles.readOptional(p);
        if (khz == null) {
          return null;
        }
        try {
          mhz.add(Long.parseLong(khz) / 1000.0);
        } catch (NumberFormatException e) {
          return null;
        }
      }
      return mhz;
    }
    Map<Integer, Double> fromCpuinfo = Cpuinfo.parseMhz(ProcFiles.read(files.proc("cpuinfo")));
    for (int c = 0; c < rows; c++) {
      Double v = fromCpuinfo.get(c);
      if (v == null) {
        return null;
      }
      mhz.add(v);
    }
    return mhz;
  }
}
