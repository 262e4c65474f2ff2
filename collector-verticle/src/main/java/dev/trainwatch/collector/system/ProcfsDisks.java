package dev.trainwatch.collector.system;

import dev.trainwatch.bus.raw.DiskRaw;
import dev.trainwatch.collector.system.proc.Diskstats;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Block device counters from {@code /proc/diskstats}, one read per sample whatever the number of
 * disks.
 */
final class ProcfsDisks {
  private final ProcFiles files;
  private final DiskInventory inventory;
  private final DeviceFilter filter;

  ProcfsDisks(ProcFiles files, DiskInventory inventory, DeviceFilter filter) {
    this.files = files;
    this.inventory = inventory;
    this.filter = filter;
  }

  List<DiskRaw> read() {
    List<Diskstats.Device> all = Diskstats.parse(ProcFiles.read(files.proc("diskstats")));
    List<DiskRaw> out = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (Diskstats.Device d : all) {
      seen.add(d.name());
      DiskInventory.Entry e = inventory.lookup(d.name());
      if (filter.acceptDisk(d.name(), e.whole(), e.virtual())) {
        out.add(
            new DiskRaw(
                d.name(),
                e.serial(),
                d.readBytes(),
                d.writeBytes(),
                d.reads(),
                d.writes(),
                d.ioTimeMs()));
      }
    }
    inventory.retain(seen);
    return out;
  }
}
