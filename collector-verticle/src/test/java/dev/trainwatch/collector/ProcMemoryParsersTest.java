package dev.trainwatch.collector;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainwatch.collector.system.proc.Meminfo;
import dev.trainwatch.collector.system.proc.Vmstat;
import org.junit.jupiter.api.Test;

class ProcMemoryParsersTest {

  @Test
  void meminfoInBytes() {
    String text =
        """
        MemTotal:       24684084 kB
        MemFree:        24446740 kB
        MemAvailable:   24403288 kB
        Buffers:            1300 kB
        SwapCached:            0 kB
        SwapTotal:       8388604 kB
        SwapFree:        8000000 kB
        HugePages_Total:       0
        Hugepagesize:       2048 kB
        """;
    Meminfo m = Meminfo.parse(text);
    assertThat(m.totalBytes()).isEqualTo(24684084L * 1024);
    assertThat(m.availableBytes()).isEqualTo(24403288L * 1024);
    assertThat(m.swapTotalBytes()).isEqualTo(8388604L * 1024);
    assertThat(m.swapFreeBytes()).isEqualTo(8000000L * 1024);
  }

  @Test
  void meminfoBeforeMemAvailableExistedLeavesItNull() {
    Meminfo m =
        Meminfo.parse("MemTotal:  1000 kB\nMemFree:  500 kB\nSwapTotal: 0 kB\nSwapFree: 0 kB\n");
    assertThat(m.totalBytes()).isEqualTo(1024000);
    assertThat(m.availableBytes()).isNull();
    assertThat(m.swapTotalBytes()).isZero();
  }

  @Test
  void meminfoGarbageIsNullNotZero() {
    Meminfo m = Meminfo.parse("MemTotal: lots kB\nMemAvailable:\n");
    assertThat(m.totalBytes()).isNull();
    assertThat(m.availableBytes()).isNull();
  }

  @Test
  void vmstatSwapPages() {
    String text =
        """
        nr_free_pages 6111685
        pswpin 1234
        pswpout 98765
        pswpin_zero 5
        """;
    assertThat(Vmstat.parse(text)).isEqualTo(new Vmstat(1234L, 98765L));
    assertThat(Vmstat.parse("nr_free_pages 1\n")).isEqualTo(new Vmstat(null, null));
  }
}
