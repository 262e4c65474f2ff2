package dev.trainwatch.collector.system;

import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which disks and network interfaces a sample reports. An explicit list wins over every default
 * rule, so an operator can ask for a partition, a device-mapper volume or a bridge by name.
 *
 * @param disks kernel names ({@code nvme0n1}; a {@code /dev/} prefix is dropped); empty = every
 *     physical whole disk
 * @param nics interface names; empty = every interface that is not loopback or virtual (unless
 *     {@code includeVirtualNics})
 */
public record DeviceFilter(Set<String> disks, Set<String> nics, boolean includeVirtualNics) {

  /**
   * Interfaces created by container runtimes, CNIs, hypervisors and tunnels. Their traffic is
   * already counted on a physical NIC (or never leaves the host), so summing them would
   * double-count. Bonds and VLANs are not here: on GPU servers they are usually the real uplink.
   */
  private static final List<String> VIRTUAL_NIC_PREFIXES =
      List.of(
          "docker",
          "veth",
          "br-",
          "virbr",
          "cni",
          "flannel",
          "cali",
          "cilium",
          "lxc",
          "vxlan",
          "genev",
          "tun",
          "tap",
          "ifb",
          "dummy",
          "kube-",
          "weave",
          "vnet",
          "nodelocaldns",
          "sit",
          "ip6tnl",
          "gre",
          "erspan",
          "ip_vti",
          "ip6_vti",
          "nerdctl",
          "podman",
          "zt");

  /** Optical drives and floppies are physical but never what "disk I/O" means on a server. */
  private static final Pattern REMOVABLE = Pattern.compile("(sr|fd)\\d+");

  public DeviceFilter {
    disks = Set.copyOf(disks.stream().map(DeviceFilter::stripDev).toList());
    nics = Set.copyOf(nics);
  }

  public static DeviceFilter defaults() {
    return new DeviceFilter(Set.of(), Set.of(), false);
  }

  /**
   * @param whole the name is a whole block device ({@code /sys/block/<name>} exists), not a
   *     partition
   * @param virtual the device lives under {@code /sys/devices/virtual} (loop, ram, zram,
   *     device-mapper, md, nbd): its I/O is already counted on the physical disks beneath it
   */
  public boolean acceptDisk(String name, boolean whole, boolean virtual) {
    if (!disks.isEmpty()) {
      return disks.contains(name);
    }
    return whole && !virtual && !REMOVABLE.matcher(name).matches();
  }

  public boolean acceptNic(String name) {
    if (!nics.isEmpty()) {
      return nics.contains(name);
    }
    return includeVirtualNics || !isVirtualNic(name);
  }

  public static boolean isVirtualNic(String name) {
    if (name.equals("lo")) {
      return true;
    }
    for (String p : VIRTUAL_NIC_PREFIXES) {
      if (name.startsWith(p)) {
        return true;
      }
    }
    return false;
  }

  private static String stripDev(String name) {
    return name.startsWith("/dev/") ? name.substring(5) : name;
  }
}
