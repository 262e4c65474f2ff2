package dev.trainwatch.collector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.trainwatch.bus.raw.CpuRaw;
import dev.trainwatch.bus.raw.MemoryRaw;
import dev.trainwatch.bus.raw.NicRaw;
import dev.trainwatch.collector.system.DeviceFilter;
import dev.trainwatch.collector.system.OshiSystemReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import oshi.SystemInfo;

/**
 * The OSHI reader (used where there is no /proc) checked on Linux against /proc: this is where the
 * claim "OSHI's ticks are milliseconds" is verified rather than assumed.
 */
class OshiReaderCrossCheckTest {

  @Test
  void oshiTicksAreMillisecondsNotJiffies() {
    assumeTrue(Files.isReadable(Path.of("/proc/stat")), "needs Linux /proc to compare with");
    long hz = HostProc.userHz();
    OshiSystemReader oshi = new OshiSystemReader(new SystemInfo(), DeviceFilter.defaults());
    long t0 = System.nanoTime();
    Map<Integer, long[]> before = HostProc.cpuTicks();
    CpuRaw cpu = oshi.cpu();
    Map<Integer, long[]> after = HostProc.cpuTicks();
    long elapsedMs = (System.nanoTime() - t0) / 1_000_000;
    assertThat(cpu.ticks()).hasNumberOfRows(before.size());
    for (int c = 0; c < cpu.ticks().length; c++) {
      long oshiSum = 0, beforeMs = 0, afterMs = 0;
      for (int s = 0; s < 8; s++) {
        oshiSum += cpu.ticks()[c][s];
        beforeMs += before.get(c)[s] * 1000 / hz;
        afterMs += after.get(c)[s] * 1000 / hz;
      }
      // Jiffies would be 10x smaller than this bracket (USER_HZ 100); milliseconds fall inside it.
      assertThat(oshiSum).as("core %d total ms", c).isBetween(beforeMs - 20, afterMs + 20);
      assertThat(afterMs - beforeMs).isLessThanOrEqualTo(elapsedMs + 20);
    }
  }

  @Test
  void memoryAndInterfacesAgreeWithProc() {
    assumeTrue(Files.isReadable(Path.of("/proc/meminfo")), "needs Linux /proc to compare with");
    OshiSystemReader oshi = new OshiSystemReader(new SystemInfo(), DeviceFilter.defaults());
    MemoryRaw m = oshi.memory();
    assertThat(m.totalBytes()).isEqualTo(HostProc.meminfoKb("MemTotal") * 1024);
    assertThat(m.usedBytes()).isEqualTo(m.totalBytes() - m.availableBytes());
    Map<String, long[]> before = HostProc.netDev();
    List<NicRaw> nics = oshi.networks();
    Map<String, long[]> after = HostProc.netDev();
    assertThat(nics).extracting(NicRaw::name).doesNotContain("lo");
    for (NicRaw n : nics) {
      assertThat(n.rxBytesTotal()).isBetween(before.get(n.name())[0], after.get(n.name())[0]);
      assertThat(n.txBytesTotal()).isBetween(before.get(n.name())[8], after.get(n.name())[8]);
    }
    assertThat(oshi.bootId()).startsWith("boot-time-");
    assertThat(oshi.pressure()).isNull();
  }
}
