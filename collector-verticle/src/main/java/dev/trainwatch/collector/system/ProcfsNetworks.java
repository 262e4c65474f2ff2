package dev.trainwatch.collector.system;

import dev.trainwatch.bus.raw.NicRaw;
import dev.trainwatch.collector.system.proc.NetDev;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Interface counters from {@code /proc/net/dev} (one file for all interfaces, where OSHI reads
 * eight sysfs files per interface), MAC from {@code /sys/class/net/<if>/address}, looked up once
 * per interface name.
 */
final class ProcfsNetworks {
  private static final String NO_MAC = "00:00:00:00:00:00";

  private final ProcFiles files;
  private final DeviceFilter filter;

  /** Name to MAC; an interface without one maps to "" so it is not probed every sample. */
  private final Map<String, String> macs = new HashMap<>();

  ProcfsNetworks(ProcFiles files, DeviceFilter filter) {
    this.files = files;
    this.filter = filter;
  }

  List<NicRaw> read() {
    List<NetDev.Interface> all = NetDev.parse(ProcFiles.read(files.proc("net/dev")));
    List<NicRaw> out = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (NetDev.Interface i : all) {
      if (!filter.acceptNic(i.name())) {
        continue;
      }
      seen.add(i.name());
      out.add(
          new NicRaw(
              i.name(),
              mac(i.name()),
              i.rxBytes(),
              i.txBytes(),
              i.rxPackets(),
              i.txPackets(),
              i.rxErrors(),
              i.txErrors()));
    }
    // Forget interfaces that went away: a re-created veth or a swapped card under the same name
    // gets its new MAC.
    macs.keySet().retainAll(seen);
    return out;
  }

  private String mac(String name) {
    String m =
        macs.computeIfAbsent(
            name,
            n -> {
              String a = ProcFiles.readOptional(files.sys("class/net/" + n + "/address"));
              return a == null || a.equals(NO_MAC) ? "" : a;
            });
    return m.isEmpty() ? null : m;
  }
}
