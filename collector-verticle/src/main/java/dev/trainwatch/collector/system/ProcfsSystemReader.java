package dev.trainwatch.collector.system;

import dev.trainwatch.bus.raw.CpuRaw;
import dev.trainwatch.bus.raw.DiskRaw;
import dev.trainwatch.bus.raw.MemoryRaw;
import dev.trainwatch.bus.raw.NicRaw;
import dev.trainwatch.bus.raw.PressureRaw;
import dev.trainwatch.collector.system.proc.Uptime;
import java.util.List;
import java.util.function.Supplier;

/**
 * Linux: every counter straight from {@code /proc}, a handful of small file reads per sample. OSHI
 * supplies only the static inventory: its per-sample paths are memoized for 300 ms, enumerate udev
 * on every disk or CPU-frequency update, and read eight sysfs files per network interface.
 */
public final class ProcfsSystemReader implements SystemReader {
  private final String bootId;
  private final String hostname;
  private final UptimeClock uptime;
  private final ProcfsCpu cpu;
  private final ProcfsMemory memory;
  private final ProcfsPressure pressure;
  private final ProcfsDisks disks;
  private final ProcfsNetworks networks;

  /**
   * @param fallbackBootId asked only when the kernel has no {@code boot_id} (pre-2.6 or a
   *     restricted /proc)
   */
  public ProcfsSystemReader(
      ProcFiles files,
      StaticInventory inventory,
      DeviceFilter filter,
      Supplier<String> fallbackBootId) {
    String boot = ProcFiles.readOptional(files.proc("sys/kernel/random/boot_id"));
    this.bootId = boot != null ? boot : fallbackBootId.get();
    this.hostname = ProcFiles.readOptional(files.proc("sys/kernel/hostname"));
    this.uptime = UptimeClock.startingAt(Uptime.parseMs(ProcFiles.read(files.proc("uptime"))));
    this.cpu = new ProcfsCpu(files, inventory.userHz(), inventory.cores());
    this.memory = new ProcfsMemory(files, inventory.pageSize());
    this.pressure = new ProcfsPressure(files);
    this.disks = new ProcfsDisks(files, new DiskInventory(files, inventory.diskSerials()), filter);
    this.networks = new ProcfsNetworks(files, filter);
  }

  @Override
  public String kind() {
    return "procfs";
  }

  @Override
  public String bootId() {
    return bootId;
  }

  @Override
  public String hostname() {
    return hostname;
  }

  @Override
  public long uptimeMs() {
    return uptime.nowMs();
  }

  @Override
  public CpuRaw cpu() {
    return cpu.read();
  }

  @Override
  public MemoryRaw memory() {
    return memory.read();
  }

  @Override
  public PressureRaw pressure() {
    return pressure.read();
  }

  @Override
  public List<DiskRaw> disks() {
    return disks.read();
  }

  @Override
  public List<NicRaw> networks() {
    return networks.read();
  }
}
