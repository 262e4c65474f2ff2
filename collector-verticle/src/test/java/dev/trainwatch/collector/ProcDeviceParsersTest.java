package dev.trainwatch.collector;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainwatch.collector.system.proc.Diskstats;
import dev.trainwatch.collector.system.proc.NetDev;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProcDeviceParsersTest {

  @Test
  void diskstatsEveryKernelVintage() {
    String text =
        """
           7       0 loop0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0
         254       0 vda 13957 5232 1168242 55457 2249 5426 594320 6181 0 23596 62276 3110 57 41008 636 4 0
         259       0 nvme0n1 100 1 2000 30 40 2 800 9 1 4294967295 39 0 0 0 0
         259       1 nvme0n1p1 90 1 1800 25 40 2 800 9 0 30 34
           8       1 sda1 44 3528 2 16
         253       0 dm-0 5 0 40 1 0 0 0 0 0 1 1 0 0 0 0 0 0
        """;
    List<Diskstats.Device> d = Diskstats.parse(text);
    assertThat(d)
        .extracting(Diskstats.Device::name)
        .containsExactly("loop0", "vda", "nvme0n1", "nvme0n1p1", "dm-0");
    Diskstats.Device vda = d.get(1);
    assertThat(vda).isEqualTo(new Diskstats.Device("vda", 13957, 1168242, 2249, 594320, 23596));
    assertThat(vda.readBytes()).isEqualTo(1168242L * 512);
    assertThat(vda.writeBytes()).isEqualTo(594320L * 512);
    // io_ticks is a 32-bit counter; its maximum passes through unchanged, the wrap is the rates
    // side's job
    assertThat(d.get(2).ioTimeMs()).isEqualTo(4294967295L);
  }

  @Test
  void netDevCountersIncludingGluedNamesAndHugeValues() {
    String text =
        """
        Inter-|   Receive                                                |  Transmit
         face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed
            lo:    3293      31    0    0    0     0          0         0     3293      31    0    0    0     0       0          0
          eth0: 167490504    5616    3    0    0     0          0         0   684755    5088    4    0    0     0       0          0
        ens1f0:98765432109876 123456789 7 8 9 10 11 12 12345678901234 987654321 13 14 15 16 17 18
          bad0: 1 2 3
        """;
    List<NetDev.Interface> n = NetDev.parse(text);
    assertThat(n).extracting(NetDev.Interface::name).containsExactly("lo", "eth0", "ens1f0");
    assertThat(n.get(1))
        .isEqualTo(new NetDev.Interface("eth0", 167490504, 5616, 3, 684755, 5088, 4));
    assertThat(n.get(2))
        .isEqualTo(
            new NetDev.Interface(
                "ens1f0", 98765432109876L, 123456789, 7, 12345678901234L, 987654321, 13));
  }
}
