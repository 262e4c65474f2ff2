package dev.trainwatch.rates;

import dev.trainwatch.bus.raw.AgentInfo;
import dev.trainwatch.bus.raw.CpuRaw;
import dev.trainwatch.bus.raw.DiskRaw;
import dev.trainwatch.bus.raw.GpuProcess;
import dev.trainwatch.bus.raw.GpuRaw;
import dev.trainwatch.bus.raw.MemoryRaw;
import dev.trainwatch.bus.raw.NicRaw;
import dev.trainwatch.bus.raw.PressureRaw;
import dev.trainwatch.bus.raw.RawSample;
import dev.trainwatch.bus.raw.RawSnapshot;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Builds raw snapshots by hand for tests: only what a test sets is present. */
public final class Raw {
  public static final Instant T0 = Instant.parse("2026-11-22T06:00:00Z");

  private String boot = "boot-a";
  private long seq;
  private long uptimeMs;
  private CpuRaw cpu;
  private MemoryRaw memory;
  private PressureRaw pressure;
  private final List<DiskRaw> disks = new ArrayList<>();
  private final List<NicRaw> nics = new ArrayList<>();
  private final List<GpuRaw> gpus = new ArrayList<>();
  private final List<GpuProcess> processes = new ArrayList<>();

  public static Raw at(long seq, long uptimeMs) {
    Raw r = new Raw();
    r.seq = seq;
    r.uptimeMs = uptimeMs;
    return r;
  }

  public Raw boot(String bootId) {
    this.boot = bootId;
    return this;
  }

  public Raw cpu(long[]... ticks) {
    this.cpu = new CpuRaw(ticks, List.of(1.5, 1.0, 0.5), null);
    return this;
  }

  public Raw cpu(CpuRaw cpu) {
    this.cpu = cpu;
    return this;
  }

  public Raw memory(MemoryRaw memory) {
    this.memory = memory;
    return this;
  }

  public Raw pressure(PressureRaw pressure) {
    this.pressure = pressure;
    return this;
  }

  public Raw disk(DiskRaw d) {
    disks.add(d);
    return this;
  }

  public Raw nic(NicRaw n) {
    nics.add(n);
    return this;
  }

  public Raw gpu(GpuRaw g) {
    gpus.add(g);
    return this;
  }

  public Raw process(GpuProcess p) {
    processes.add(p);
    return this;
  }

  public RawSnapshot snapshot() {
    return new RawSnapshot(
        T0.plusMillis(uptimeMs),
        new AgentInfo("0.1.0", "gpu-box-01", Map.of("rack", "r1"), boot, seq, uptimeMs),
        cpu,
        memory,
        pressure,
        List.copyOf(disks),
        List.copyOf(nics),
        List.copyOf(gpus),
        List.copyOf(processes));
  }

  public RawSample sample() {
    return new RawSample("gpu-box-01", "10.0.0.7", snapshot());
  }

  /** One core's eight counters in {@link CpuRaw#STATES} order. */
  public static long[] ticks(
      long user,
      long nice,
      long system,
      long idle,
      long iowait,
      long irq,
      long softirq,
      long steal) {
    return new long[] {user, nice, system, idle, iowait, irq, softirq, steal};
  }

  public static DiskRaw disk(
      String name, long readBytes, long writeBytes, long reads, long writes, long busyMs) {
    return new DiskRaw(name, null, readBytes, writeBytes, reads, writes, busyMs);
  }

  public static NicRaw nic(String name, long rxBytes, long txBytes, Long rxErrors, Long txErrors) {
    return new NicRaw(name, null, rxBytes, txBytes, null, null, rxErrors, txErrors);
  }

  public static MemoryRaw memory(long total, long available, long swapIn, long swapOut) {
    return new MemoryRaw(total, available, total - available, 8L << 30, 1L << 30, swapIn, swapOut);
  }

  public static GpuRaw gpu(
      int index, String uuid, Double util, Long energyMj, List<String> clockReasons) {
    return new GpuRaw(
        index,
        uuid,
        "NVIDIA H100 80GB HBM3",
        null,
        util,
        41.0,
        20L << 30,
        80L << 30,
        64.0,
        512.3,
        700.0,
        null,
        1980.0,
        2619.0,
        energyMj,
        null,
        null,
        null,
        null,
        clockReasons,
        0L,
        null,
        null);
  }

  public static GpuRaw gpu(int index, String uuid, Double util, Long energyMj) {
    return gpu(index, uuid, util, energyMj, null);
  }
}
