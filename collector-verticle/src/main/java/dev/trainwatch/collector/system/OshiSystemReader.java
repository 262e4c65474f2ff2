package dev.trainwatch.collector.system;

import dev.trainwatch.bus.raw.CpuRaw;
import dev.trainwatch.bus.raw.DiskRaw;
import dev.trainwatch.bus.raw.MemoryRaw;
import dev.trainwatch.bus.raw.NicRaw;
import dev.trainwatch.bus.raw.PressureRaw;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import oshi.SystemInfo;
import oshi.hardware.CentralProcessor;
import oshi.hardware.GlobalMemory;
import oshi.hardware.HWDiskStore;
import oshi.hardware.NetworkIF;
import oshi.hardware.VirtualMemory;
import oshi.software.os.OperatingSystem;

/**
 * Everything through OSHI: the reader for hosts without {@code /proc} (a developer's macOS or
 * Windows machine in embedded mode). Disks and interfaces are the ones present at start. OSHI
 * memoizes readings for 300 ms, which is why the collection interval has a 500 ms floor.
 */
public final class OshiSystemReader implements SystemReader {
  /** Block devices layered on others (their I/O is counted on the physical disks beneath). */
  private static final Pattern VIRTUAL_DISK = Pattern.compile("(loop|ram|zram|dm-|md|nbd).*");

  private final CentralProcessor processor;
  private final GlobalMemory memory;
  private final List<HWDiskStore> disks;
  private final List<NetworkIF> nics;
  private final DeviceFilter filter;
  private final String bootId;
  private final String hostname;
  private final UptimeClock uptime;

  public OshiSystemReader(SystemInfo si, DeviceFilter filter) {
    OperatingSystem os = si.getOperatingSystem();
    this.processor = si.getHardware().getProcessor();
    this.memory = si.getHardware().getMemory();
    this.disks = si.getHardware().getDiskStores();
    this.nics = si.getHardware().getNetworkIFs(true);
    this.filter = filter;
    this.bootId = bootTimeId(si);
    this.hostname = os.getNetworkParams().getHostName();
    this.uptime = UptimeClock.startingAt(os.getSystemUptime() * 1000);
  }

  /**
   * The boot time (epoch seconds) stands in for a boot id where the OS has none; it changes on
   * every boot.
   */
  static String bootTimeId(SystemInfo si) {
    return "boot-time-" + si.getOperatingSystem().getSystemBootTime();
  }

  @Override
  public String kind() {
    return "oshi";
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

  /**
   * OSHI's ticks are already milliseconds on every platform, in {@code TickType} order, which is
   * ours.
   */
  @Override
  public CpuRaw cpu() {
    long[][] all = processor.getProcessorCpuLoadTicks();
    long[][] ticks = new long[all.length][];
    for (int c = 0; c < all.length; c++) {
      ticks[c] = Arrays.copyOf(all[c], CpuRaw.STATES.size());
    }
    double[] load = processor.getSystemLoadAverage(3);
    List<Double> loadAvg =
        load[0] < 0 || load[1] < 0 || load[2] < 0 ? null : List.of(load[0], load[1], load[2]);
    long[] hz = processor.getCurrentFreq();
    List<Double> freq = new ArrayList<>(hz.length);
    for (long f : hz) {
      if (f <= 0) {
        freq = null;
        break;
      }
      freq.add(f / 1e6);
    }
    return new CpuRaw(ticks, loadAvg, freq);
  }

  @Override
  public MemoryRaw memory() {
    long total = memory.getTotal();
    long available = memory.getAvailable();
    VirtualMemory vm = memory.getVirtualMemory();
    long page = memory.getPageSize();
    return new MemoryRaw(
        total,
        available,
        Math.max(0, total - available),
        vm.getSwapTotal(),
        vm.getSwapUsed(),
        vm.getSwapPagesIn() < 0 ? null : vm.getSwapPagesIn() * page,
        vm.getSwapPagesOut() < 0 ? null : vm.getSwapPagesOut() * page);
  }

  @Override
  public PressureRaw pressure() {
    return null;
  }

  @Override
  public List<DiskRaw> disks() {
    List<DiskRaw> out = new ArrayList<>();
    for (HWDiskStore d : disks) {
      String name = OshiInventory.kernelName(d.getName());
      if (!filter.acceptDisk(name, true, VIRTUAL_DISK.matcher(name).matches())) {
        continue;
      }
      if (!d.updateAttributes()) {
        continue; // gone since start
      }
      String serial = d.getSerial();
      boolean noSerial = serial == null || serial.isBlank() || serial.equalsIgnoreCase("unknown");
      out.add(
          new DiskRaw(
              name,
              noSerial ? null : serial,
              d.getReadBytes(),
              d.getWriteBytes(),
              d.getReads(),
              d.getWrites(),
              d.getTransferTime()));
    }
    return out;
  }

  @Override
  public List<NicRaw> networks() {
    List<NicRaw> out = new ArrayList<>();
    for (NetworkIF n : nics) {
      if (!filter.acceptNic(n.getName()) || !n.updateAttributes()) {
        continue;
      }
      String mac = n.getMacaddr();
      out.add(
          new NicRaw(
              n.getName(),
              mac == null || mac.isBlank() || mac.equals("00:00:00:00:00:00") ? null : mac,
              n.getBytesRecv(),
              n.getBytesSent(),
              n.getPacketsRecv(),
              n.getPacketsSent(),
              n.getInErrors(),
              n.getOutErrors()));
    }
    return out;
  }
}
