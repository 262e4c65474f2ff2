package dev.trainwatch.rates;

import dev.trainwatch.bus.raw.AgentInfo;
import dev.trainwatch.bus.raw.CpuRaw;
import dev.trainwatch.bus.raw.DiskRaw;
import dev.trainwatch.bus.raw.GpuRaw;
import dev.trainwatch.bus.raw.MemoryRaw;
import dev.trainwatch.bus.raw.RawSample;
import dev.trainwatch.bus.raw.RawSnapshot;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A simulated host for scenario tests: set the load you want (CPU %, iowait %, GPU utilization,
 * disk busy %, free RAM, swapping) and it advances raw counters so that the rate calculator derives
 * exactly that load.
 */
public final class HostSim {
  private static final long RAM = 64L << 30;

  private final int cores;
  private final long[][] ticks;
  private String boot = "boot-a";
  private long seq;
  private long uptimeMs = 100_000;
  private double busyPct;
  private double iowaitPct;
  private double[] gpuUtil;
  private List<List<String>> gpuReasons;
  private double diskPct;
  private long diskBusyMs;
  private double availablePct = 50;
  private double swapBytesPerS;
  private long swapIn;

  public HostSim(int cores, int gpus) {
    this.cores = cores;
    this.ticks = new long[cores][CpuRaw.STATES.size()];
    this.gpuUtil = new double[gpus];
    this.gpuReasons = new ArrayList<>();
    for (int i = 0; i < gpus; i++) {
      gpuReasons.add(null);
    }
  }

  public HostSim cpu(double busyPct, double iowaitPct) {
    this.busyPct = busyPct;
    this.iowaitPct = iowaitPct;
    return this;
  }

  /** Utilization per GPU; one value is applied to every GPU. */
  public HostSim gpus(double... util) {
    if (util.length == 1) {
      Arrays.fill(gpuUtil, util[0]);
    } else {
      gpuUtil = util.clone();
    }
    return this;
  }

  public HostSim clockReasons(int gpu, List<String> reasons) {
    gpuReasons.set(gpu, reasons);
    return this;
  }

  public HostSim disk(double busyPct) {
    this.diskPct = busyPct;
    return this;
  }

  public HostSim ram(double availablePct) {
    this.availablePct = availablePct;
    return this;
  }

  public HostSim swap(double bytesPerS) {
    this.swapBytesPerS = bytesPerS;
    return this;
  }

  public HostSim reboot(String bootId) {
    this.boot = bootId;
    this.uptimeMs = 30_000;
    for (long[] t : ticks) {
      Arrays.fill(t, 0);
    }
    diskBusyMs = 0;
    swapIn = 0;
    return this;
  }

  public long uptimeMs() {
    return uptimeMs;
  }

  /** Advances the counters by {@code ms} at the current load and returns the sample. */
  public RawSample next(long ms) {
    seq++;
    uptimeMs += ms;
    long busy = Math.round(busyPct * ms / 100);
    long iowait = Math.round(iowaitPct * ms / 100);
    for (long[] t : ticks) {
      t[CpuRaw.USER] += busy;
      t[CpuRaw.IOWAIT] += iowait;
      t[CpuRaw.IDLE] += ms - busy - iowait;
    }
    diskBusyMs += Math.round(diskPct * ms / 100);
    swapIn += Math.round(swapBytesPerS * ms / 1000);
    long[][] copy = new long[cores][];
    for (int c = 0; c < cores; c++) {
      copy[c] = ticks[c].clone();
    }
    List<GpuRaw> gpus = new ArrayList<>();
    for (int i = 0; i < gpuUtil.length; i++) {
      gpus.add(
          new GpuRaw(
              i,
              "GPU-" + i,
              "NVIDIA H100 80GB HBM3",
              null,
              gpuUtil[i],
              null,
              10L << 30,
              80L << 30,
              60.0,
              300.0,
              700.0,
              null,
              null,
              null,
              null,
              null,
              null,
              null,
              null,
              gpuReasons.get(i),
              null,
              null,
              null));
    }
    long available = Math.round(RAM * availablePct / 100);
    RawSnapshot s =
        new RawSnapshot(
            Raw.T0.plusMillis(uptimeMs),
            new AgentInfo("0.1.0", "sim", Map.of(), boot, seq, uptimeMs),
            new CpuRaw(copy, List.of(1.0, 1.0, 1.0), null),
            new MemoryRaw(RAM, available, RAM - available, 8L << 30, 0L, swapIn, 0L),
            null,
            List.of(new DiskRaw("nvme0n1", null, 0L, 0L, 0L, 0L, diskBusyMs)),
            List.of(),
            gpus,
            List.of());
    return new RawSample("sim", "10.0.0.9", s);
  }
}
