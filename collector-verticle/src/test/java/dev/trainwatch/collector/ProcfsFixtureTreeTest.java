package dev.trainwatch.collector;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainwatch.bus.raw.CpuRaw;
import dev.trainwatch.bus.raw.DiskRaw;
import dev.trainwatch.bus.raw.MemoryRaw;
import dev.trainwatch.bus.raw.NicRaw;
import dev.trainwatch.bus.raw.PressureRaw;
import dev.trainwatch.collector.system.DeviceFilter;
import dev.trainwatch.collector.system.ProcFiles;
import dev.trainwatch.collector.system.ProcfsSystemReader;
import dev.trainwatch.collector.system.StaticInventory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The procfs reader over a fake /proc and /sys: exact values, units and device selection. */
class ProcfsFixtureTreeTest {
  @TempDir Path root;
  private ProcFiles files;
  private final StaticInventory inventory =
      new StaticInventory(2, 100, 4096, Map.of("sda", "WD-WX12345"));

  @BeforeEach
  void tree() throws IOException {
    files = new ProcFiles(root.resolve("proc"), root.resolve("sys"));
    proc(
        "stat",
        """
        cpu  30 0 60 900 12 0 3 0 0 0
        cpu0 10 0 20 300 4 0 1 0 0 0
        cpu1 20 0 40 600 8 0 2 0 0 0
        intr 1 2 3
        """);
    proc("loadavg", "1.50 0.75 0.25 2/300 4242\n");
    proc(
        "cpuinfo",
        "processor\t: 0\ncpu MHz\t\t: 1000.000\n\nprocessor\t: 1\ncpu MHz\t\t: 1000.000\n");
    proc("uptime", "100.25 150.00\n");
    proc(
        "meminfo",
        """
        MemTotal:       16000000 kB
        MemFree:         1000000 kB
        MemAvailable:   12000000 kB
        SwapTotal:       2000000 kB
        SwapFree:        1500000 kB
        """);
    proc("vmstat", "pswpin 10\npswpout 20\n");
    proc(
        "diskstats",
        """
           8       0 sda 100 0 2000 0 50 0 1000 0 0 700 0
           8       1 sda1 90 0 1800 0 50 0 1000 0 0 650 0
         259       0 nvme0n1 7 0 64 0 3 0 24 0 0 5 0 0 0 0 0 0 0
         259       1 nvme0n1p1 7 0 64 0 3 0 24 0 0 5 0 0 0 0 0 0 0
           7       0 loop0 1 0 8 0 0 0 0 0 0 1 0
         253       0 dm-0 9 0 72 0 9 0 72 0 0 9 0
          11       0 sr0 1 0 4 0 0 0 0 0 0 1 0
        """);
    proc(
        "net/dev",
        """
        Inter-|   Receive                                                |  Transmit
         face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed
            lo:  500 5 0 0 0 0 0 0  500 5 0 0 0 0 0 0
          eth0: 1000 10 1 0 0 0 0 0 2000 20 2 0 0 0 0 0
        docker0:  300 3 0 0 0 0 0 0  400 4 0 0 0 0 0 0
         bond0: 7000 70 0 0 0 0 0 0 8000 80 0 0 0 0 0 0
        """);
    proc(
        "pressure/cpu",
        "some avg10=0.00 avg60=0.00 avg300=0.00 total=111\nfull avg10=0.00 avg60=0.00 avg300=0.00 total=0\n");
    proc(
        "pressure/io",
        "some avg10=0.00 avg60=0.00 avg300=0.00 total=222\nfull avg10=0.00 avg60=0.00 avg300=0.00 total=333\n");
    proc(
        "pressure/memory",
        "some avg10=0.00 avg60=0.00 avg300=0.00 total=444\nfull avg10=0.00 avg60=0.00 avg300=0.00 total=555\n");
    proc("sys/kernel/random/boot_id", "6f0c1d2e-0000-4000-8000-000000000001\n");
    proc("sys/kernel/hostname", "gpu-box-01\n");
    for (String d : List.of("sda", "nvme0n1", "loop0", "dm-0", "sr0")) {
      Files.createDirectories(files.sys("block/" + d));
    }
    Files.createDirectories(files.sys("block/sda/sda1"));
    Files.createDirectories(files.sys("devices/virtual/block/loop0"));
    Files.createDirectories(files.sys("devices/virtual/block/dm-0"));
    sys("block/nvme0n1/device/serial", "S5GXNX0R123456   \n");
    sys("class/net/eth0/address", "02:fc:00:00:00:01\n");
    sys("class/net/lo/address", "00:00:00:00:00:00\n");
    sys("class/net/docker0/address", "02:42:ac:11:00:01\n");
    sys("class/net/bond0/address", "0c:42:a1:00:00:02\n");
    sys("devices/system/cpu/cpu0/cpufreq/scaling_cur_freq", "3400000\n");
    sys("devices/system/cpu/cpu1/cpufreq/scaling_cur_freq", "1200500\n");
  }

  private void proc(String rel, String text) throws IOException {
    write(files.proc(rel), text);
  }

  private void sys(String rel, String text) throws IOException {
    write(files.sys(rel), text);
  }

  private static void write(Path p, String text) throws IOException {
    Files.createDirectories(p.getParent());
    Files.writeString(p, text);
  }

  private ProcfsSystemReader reader(DeviceFilter filter) {
    return new ProcfsSystemReader(files, inventory, filter, () -> "unused");
  }

  @Test
  void identity() {
    ProcfsSystemReader r = reader(DeviceFilter.defaults());
    assertThat(r.kind()).isEqualTo("procfs");
    assertThat(r.bootId()).isEqualTo("6f0c1d2e-0000-4000-8000-000000000001");
    assertThat(r.hostname()).isEqualTo("gpu-box-01");
    assertThat(r.uptimeMs()).isBetween(100_250L, 100_250L + 5_000);
  }

  @Test
  void bootIdFallsBackWhenTheKernelHasNone() throws IOException {
    Files.delete(files.proc("sys/kernel/random/boot_id"));
    assertThat(
            new ProcfsSystemReader(
                    files, inventory, DeviceFilter.defaults(), () -> "boot-time-1795000000")
                .bootId())
        .isEqualTo("boot-time-1795000000");
  }

  @Test
  void cpuTicksInMillisecondsWithLoadAndCpufreq() {
    CpuRaw cpu = reader(DeviceFilter.defaults()).cpu();
    assertThat(cpu.ticks()).hasDimensions(2, 8);
    // USER_HZ 100: one tick is 10 ms
    assertThat(cpu.ticks()[0]).containsExactly(100, 0, 200, 3000, 40, 0, 10, 0);
    assertThat(cpu.ticks()[1]).containsExactly(200, 0, 400, 6000, 80, 0, 20, 0);
    assertThat(cpu.loadAvg()).containsExactly(1.50, 0.75, 0.25);
    assertThat(cpu.freqMhz()).containsExactly(3400.0, 1200.5);
  }

  @Test
  void otherUserHzConvertsPerCounter() {
    CpuRaw cpu =
        new ProcfsSystemReader(
                files,
                new StaticInventory(2, 250, 4096, Map.of()),
                DeviceFilter.defaults(),
                () -> "x")
            .cpu();
    assertThat(cpu.ticks()[0]).containsExactly(40, 0, 80, 1200, 16, 0, 4, 0);
  }

  @Test
  void cpuinfoFrequencyWithoutCpufreqAndAbsentWhenNeitherHasIt() throws IOException {
    deleteTree(files.sys("devices/system/cpu"));
    assertThat(reader(DeviceFilter.defaults()).cpu().freqMhz()).containsExactly(1000.0, 1000.0);
    proc("cpuinfo", "processor\t: 0\nBogoMIPS\t: 50.00\n");
    assertThat(reader(DeviceFilter.defaults()).cpu().freqMhz()).isNull();
  }

  @Test
  void anOfflineCoreKeepsItsRowAsZeros() throws IOException {
    proc("stat", "cpu0 10 0 20 300 4 0 1 0 0 0\n");
    CpuRaw cpu = reader(DeviceFilter.defaults()).cpu();
    assertThat(cpu.ticks()).hasDimensions(2, 8);
    assertThat(cpu.ticks()[1]).containsOnly(0);
  }

  @Test
  void memoryAndSwapInBytes() {
    MemoryRaw m = reader(DeviceFilter.defaults()).memory();
    assertThat(m)
        .isEqualTo(
            new MemoryRaw(
                16_000_000L * 1024,
                12_000_000L * 1024,
                4_000_000L * 1024,
                2_000_000L * 1024,
                500_000L * 1024,
                10L * 4096,
                20L * 4096));
  }

  @Test
  void pressureTotalsAndAbsentWithoutPsi() throws IOException {
    assertThat(reader(DeviceFilter.defaults()).pressure())
        .isEqualTo(new PressureRaw(111L, 222L, 333L, 444L, 555L));
    deleteTree(files.proc("pressure"));
    assertThat(reader(DeviceFilter.defaults()).pressure()).isNull();
  }

  @Test
  void physicalWholeDisksOnlyWithSerials() {
    List<DiskRaw> disks = reader(DeviceFilter.defaults()).disks();
    assertThat(disks)
        .containsExactly(
            new DiskRaw("sda", "WD-WX12345", 2000L * 512, 1000L * 512, 100L, 50L, 700L),
            new DiskRaw("nvme0n1", "S5GXNX0R123456", 64L * 512, 24L * 512, 7L, 3L, 5L));
  }

  @Test
  void anExplicitDiskListWinsOverTheDefaults() {
    List<DiskRaw> disks =
        reader(new DeviceFilter(Set.of("dm-0", "/dev/sda1"), Set.of(), false)).disks();
    assertThat(disks).extracting(DiskRaw::name).containsExactly("sda1", "dm-0");
    assertThat(disks.get(0).serial()).isNull();
  }

  @Test
  void networksSkipLoopbackAndVirtualByDefault() {
    List<NicRaw> nics = reader(DeviceFilter.defaults()).networks();
    assertThat(nics)
        .containsExactly(
            new NicRaw("eth0", "02:fc:00:00:00:01", 1000L, 2000L, 10L, 20L, 1L, 2L),
            new NicRaw("bond0", "0c:42:a1:00:00:02", 7000L, 8000L, 70L, 80L, 0L, 0L));
  }

  @Test
  void virtualNicsOnRequestAndExplicitListWins() {
    List<NicRaw> all = reader(new DeviceFilter(Set.of(), Set.of(), true)).networks();
    assertThat(all).extracting(NicRaw::name).containsExactly("lo", "eth0", "docker0", "bond0");
    assertThat(all.get(0).mac()).as("loopback has no MAC").isNull();
    assertThat(reader(new DeviceFilter(Set.of(), Set.of("docker0"), false)).networks())
        .extracting(NicRaw::name)
        .containsExactly("docker0");
  }

  @Test
  void aSwappedDiskUnderTheSameNameGetsItsNewSerial() throws IOException {
    ProcfsSystemReader r = reader(DeviceFilter.defaults());
    assertThat(r.disks())
        .extracting(DiskRaw::serial)
        .containsExactly("WD-WX12345", "S5GXNX0R123456");
    String withoutNvme =
        Files.readString(files.proc("diskstats")).replaceAll("(?m)^.*nvme0n1.*\\n", "");
    String original = Files.readString(files.proc("diskstats"));
    proc("diskstats", withoutNvme);
    assertThat(r.disks()).extracting(DiskRaw::name).containsExactly("sda");
    sys("block/nvme0n1/device/serial", "S5GXNX0R999999\n");
    proc("diskstats", original);
    assertThat(r.disks())
        .extracting(DiskRaw::serial)
        .containsExactly("WD-WX12345", "S5GXNX0R999999");
  }

  private static void deleteTree(Path p) throws IOException {
    try (var s = Files.walk(p)) {
      for (Path x : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(x);
      }
    }
  }
}
