package dev.trainwatch.collector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.trainwatch.bus.raw.CpuRaw;
import dev.trainwatch.bus.raw.DiskRaw;
import dev.trainwatch.bus.raw.MemoryRaw;
import dev.trainwatch.bus.raw.NicRaw;
import dev.trainwatch.bus.raw.PressureRaw;
import dev.trainwatch.collector.system.DeviceFilter;
import dev.trainwatch.collector.system.SystemReader;
import dev.trainwatch.collector.system.SystemReaders;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import oshi.SystemInfo;

/**
 * The collector on this machine against /proc read independently just before and just after.
 * Monotonic counters must fall between the two reads exactly; the rest have a stated tolerance.
 */
class LiveProcfsReaderTest {
  private static SystemReader reader;
  private static long userHz;

  @BeforeAll
  static void open() {
    assumeTrue(Files.isReadable(Path.of("/proc/stat")), "needs Linux /proc");
    reader = SystemReaders.open("procfs", new SystemInfo(), DeviceFilter.defaults());
    userHz = HostProc.userHz();
  }

  private static long ms(long ticks) {
    return ticks * 1000 / userHz;
  }

  @Test
  void cpuTicksPerCoreBetweenTwoIndependentReads() {
    long t0 = System.nanoTime();
    Map<Integer, long[]> before = HostProc.cpuTicks();
    CpuRaw cpu = reader.cpu();
    Map<Integer, long[]> after = HostProc.cpuTicks();
    long elapsedMs = (System.nanoTime() - t0) / 1_000_000;

    assertThat(cpu.ticks().length)
        .isEqualTo(before.size())
        .isEqualTo(Runtime.getRuntime().availableProcessors());
    for (int c = 0; c < cpu.ticks().length; c++) {
      long[] s = cpu.ticks()[c];
      long[] a = before.get(c);
      long[] b = after.get(c);
      assertThat(s).hasSize(8);
      for (int st :
          new int[] {
            CpuRaw.USER, CpuRaw.NICE, CpuRaw.SYSTEM, CpuRaw.IRQ, CpuRaw.SOFTIRQ, CpuRaw.STEAL
          }) {
        assertThat(s[st])
            .as("core %d %s", c, CpuRaw.STATES.get(st))
            .isBetween(ms(a[st]), ms(b[st]));
      }
      // The kernel may move time between idle and iowait (proc_stat(5): iowait can decrease); their
      // sum is monotonic.
      long idle = s[CpuRaw.IDLE] + s[CpuRaw.IOWAIT];
      assertThat(idle)
          .as("core %d idle+iowait", c)
          .isBetween(
              ms(a[CpuRaw.IDLE] + a[CpuRaw.IOWAIT]) - 20,
              ms(b[CpuRaw.IDLE] + b[CpuRaw.IOWAIT]) + 20);
      // A core accrues at most one wall-clock ms per ms, plus a tick of rounding at each end.
      long grew = sum(b) - sum(a);
      assertThat(ms(grew))
          .as("core %d growth between reads", c)
          .isLessThanOrEqualTo(elapsedMs + 2 * 1000 / userHz);
    }
    assertThat(cpu.loadAvg()).hasSize(3).allSatisfy(l -> assertThat(l).isGreaterThanOrEqualTo(0));
    List<String> mhz =
        Stream.of(HostProc.read("/proc/cpuinfo").split("\n"))
            .filter(l -> l.startsWith("cpu MHz"))
            .collect(Collectors.toList());
    if (!mhz.isEmpty()
        || Files.exists(Path.of("/sys/devices/system/cpu/cpu0/cpufreq/scaling_cur_freq"))) {
      assertThat(cpu.freqMhz())
          .hasSize(cpu.ticks().length)
          .allSatisfy(f -> assertThat(f).isBetween(100.0, 10_000.0));
    }
  }

  private static long sum(long[] t) {
    long s = 0;
    for (long v : t) {
      s += v;
    }
    return s;
  }

  @Test
  void memoryTotalExactAndAvailableWithinTheChurnBetweenReads() {
    long availBefore = HostProc.meminfoKb("MemAvailable") * 1024;
    MemoryRaw m = reader.memory();
    long availAfter = HostProc.meminfoKb("MemAvailable") * 1024;
    assertThat(m.totalBytes()).isEqualTo(HostProc.meminfoKb("MemTotal") * 1024);
    // Other builds run on this machine: allow 64 MiB of allocation between the reads.
    long slack = 64L << 20;
    assertThat(m.availableBytes())
        .isBetween(
            Math.min(availBefore, availAfter) - slack, Math.max(availBefore, availAfter) + slack);
    assertThat(m.usedBytes()).isEqualTo(m.totalBytes() - m.availableBytes());
    assertThat(m.swapTotalBytes()).isEqualTo(HostProc.meminfoKb("SwapTotal") * 1024);
    assertThat(m.swapUsedBytes()).isBetween(0L, m.swapTotalBytes());
    assertThat(m.swapInBytesTotal()).isNotNull().isGreaterThanOrEqualTo(0);
    assertThat(m.swapOutBytesTotal()).isNotNull().isGreaterThanOrEqualTo(0);
  }

  @Test
  void everyPhysicalWholeDiskWithCountersBetweenReads() throws Exception {
    List<String> physical;
    try (Stream<Path> s = Files.list(Path.of("/sys/block"))) {
      physical =
          s.filter(
                  p ->
                      !Files.exists(Path.of("/sys/devices/virtual/block").resolve(p.getFileName())))
              .map(p -> p.getFileName().toString())
              .filter(n -> !n.matches("(sr|fd)\\d+"))
              .sorted()
              .toList();
    }
    Map<String, long[]> before = HostProc.diskstats();
    List<DiskRaw> disks = reader.disks();
    Map<String, long[]> after = HostProc.diskstats();
    assertThat(disks).extracting(DiskRaw::name).containsExactlyInAnyOrderElementsOf(physical);
    assumeTrue(!disks.isEmpty(), "no physical disk on this machine");
    for (DiskRaw d : disks) {
      long[] a = before.get(d.name());
      long[] b = after.get(d.name());
      assertThat(d.readCountTotal()).isBetween(a[0], b[0]);
      assertThat(d.readBytesTotal()).isBetween(a[2] * 512, b[2] * 512);
      assertThat(d.writeCountTotal()).isBetween(a[4], b[4]);
      assertThat(d.writeBytesTotal()).isBetween(a[6] * 512, b[6] * 512);
      assertThat(d.busyTimeMsTotal()).isBetween(a[9], b[9]);
    }
  }

  @Test
  void physicalInterfacesWithCountersBetweenReadsAndTheirMac() {
    Map<String, long[]> before = HostProc.netDev();
    List<NicRaw> nics = reader.networks();
    Map<String, long[]> after = HostProc.netDev();
    assertThat(nics)
        .extracting(NicRaw::name)
        .doesNotContain("lo")
        .containsExactlyInAnyOrderElementsOf(
            before.keySet().stream().filter(n -> !DeviceFilter.isVirtualNic(n)).toList());
    for (NicRaw n : nics) {
      long[] a = before.get(n.name());
      long[] b = after.get(n.name());
      assertThat(n.rxBytesTotal()).isBetween(a[0], b[0]);
      assertThat(n.rxPacketsTotal()).isBetween(a[1], b[1]);
      assertThat(n.rxErrorsTotal()).isBetween(a[2], b[2]);
      assertThat(n.txBytesTotal()).isBetween(a[8], b[8]);
      assertThat(n.txPacketsTotal()).isBetween(a[9], b[9]);
      assertThat(n.txErrorsTotal()).isBetween(a[10], b[10]);
      String mac = HostProc.read("/sys/class/net/" + n.name() + "/address").trim();
      assertThat(n.mac()).isEqualTo(mac.equals("00:00:00:00:00:00") ? null : mac);
    }
  }

  @Test
  void pressureWhereTheKernelHasIt() {
    String before = readOrNull("/proc/pressure/cpu");
    PressureRaw p = reader.pressure();
    if (before == null) {
      assertThat(p).isNull();
      return;
    }
    String after = HostProc.read("/proc/pressure/cpu");
    assertThat(p.cpuSomeUsTotal()).isBetween(total(before), total(after));
    assertThat(p.ioSomeUsTotal()).isNotNull();
    assertThat(p.ioFullUsTotal()).isNotNull();
    assertThat(p.memorySomeUsTotal()).isNotNull();
    assertThat(p.memoryFullUsTotal()).isNotNull();
  }

  private static long total(String psi) {
    return Long.parseLong(psi.split("\n")[0].replaceAll(".*total=", ""));
  }

  private static String readOrNull(String path) {
    try {
      return Files.readString(Path.of(path));
    } catch (Exception e) {
      return null;
    }
  }

  @Test
  void bootIdHostnameAndUptime() {
    assertThat(reader.bootId()).isEqualTo(HostProc.read("/proc/sys/kernel/random/boot_id").trim());
    assertThat(reader.hostname()).isEqualTo(HostProc.read("/proc/sys/kernel/hostname").trim());
    long procUptimeMs =
        (long) (Double.parseDouble(HostProc.read("/proc/uptime").split(" ")[0]) * 1000);
    // /proc/uptime has 10 ms resolution and the JVM clock is read a moment later
    assertThat(reader.uptimeMs()).isBetween(procUptimeMs - 20, procUptimeMs + 1_000);
  }
}
