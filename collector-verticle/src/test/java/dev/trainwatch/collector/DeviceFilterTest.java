package dev.trainwatch.collector;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainwatch.collector.system.DeviceFilter;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DeviceFilterTest {
  private final DeviceFilter defaults = DeviceFilter.defaults();

  @Test
  void disksDefaultToPhysicalWholeDevices() {
    assertThat(defaults.acceptDisk("nvme0n1", true, false)).isTrue();
    assertThat(defaults.acceptDisk("sda", true, false)).isTrue();
    assertThat(defaults.acceptDisk("nvme0n1p1", false, false)).as("partition").isFalse();
    assertThat(defaults.acceptDisk("loop0", true, true)).as("loop").isFalse();
    assertThat(defaults.acceptDisk("zram0", true, true)).as("zram").isFalse();
    assertThat(defaults.acceptDisk("dm-0", true, true)).as("device-mapper").isFalse();
    assertThat(defaults.acceptDisk("md0", true, true)).as("md raid").isFalse();
    assertThat(defaults.acceptDisk("sr0", true, false)).as("optical").isFalse();
  }

  @Test
  void anExplicitDiskListIsExactlyWhatIsReported() {
    DeviceFilter f = new DeviceFilter(Set.of("/dev/dm-0", "sda1"), Set.of(), false);
    assertThat(f.disks()).containsExactlyInAnyOrder("dm-0", "sda1");
    assertThat(f.acceptDisk("dm-0", true, true)).isTrue();
    assertThat(f.acceptDisk("sda1", false, false)).isTrue();
    assertThat(f.acceptDisk("sda", true, false)).isFalse();
  }

  @Test
  void virtualInterfaces() {
    for (String v :
        new String[] {
          "lo",
          "docker0",
          "veth1a2b3c",
          "br-5f2e",
          "virbr0",
          "cni0",
          "flannel.1",
          "cali12ab",
          "tun0",
          "tap0",
          "vxlan.calico",
          "cilium_host",
          "kube-ipvs0",
          "ifb0"
        }) {
      assertThat(DeviceFilter.isVirtualNic(v)).as(v).isTrue();
      assertThat(defaults.acceptNic(v)).as(v).isFalse();
    }
    for (String p :
        new String[] {
          "eth0", "ens1f0", "enp65s0f1np1", "eno1", "ib0", "bond0", "bond0.100", "em1", "wlan0"
        }) {
      assertThat(defaults.acceptNic(p)).as(p).isTrue();
    }
  }

  @Test
  void virtualInterfacesOnRequestAndExplicitListWins() {
    assertThat(new DeviceFilter(Set.of(), Set.of(), true).acceptNic("docker0")).isTrue();
    DeviceFilter only = new DeviceFilter(Set.of(), Set.of("ib0", "lo"), false);
    assertThat(only.acceptNic("lo")).isTrue();
    assertThat(only.acceptNic("ib0")).isTrue();
    assertThat(only.acceptNic("eth0")).isFalse();
  }
}
