package dev.trainwatch.collector.system;

import java.nio.file.Files;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * What each name in {@code /proc/diskstats} is: whole device or partition, physical or virtual, and
 * its serial. Looked up once per name and kept while the name keeps appearing; a name that
 * disappears is forgotten, so a disk hot-swapped under the same name gets its new serial.
 */
final class DiskInventory {
  record Entry(boolean whole, boolean virtual, String serial) {}

  private final ProcFiles files;

  /** Serials found by OSHI (through udev) at start, consumed on first lookup. */
  private final Map<String, String> startSerials;

  private final Map<String, Entry> entries = new HashMap<>();

  DiskInventory(ProcFiles files, Map<String, String> startSerials) {
    this.files = files;
    this.startSerials = new HashMap<>(startSerials);
  }

  Entry lookup(String name) {
    Entry e = entries.get(name);
    if (e == null) {
      e = probe(name);
      entries.put(name, e);
    }
    return e;
  }

  void retain(Set<String> seen) {
    entries.keySet().retainAll(seen);
  }

  private Entry probe(String name) {
    // Partitions live under their disk (/sys/block/sda/sda1), never directly in /sys/block.
    boolean whole = Files.isDirectory(files.sys("block/" + name));
    boolean virtual = Files.exists(files.sys("devices/virtual/block/" + name));
    String serial = startSerials.remove(name);
    if (serial == null && whole) {
      serial = ProcFiles.readOptional(files.sys("block/" + name + "/device/serial"));
      if (serial == null) {
        serial = ProcFiles.readOptional(files.sys("block/" + name + "/serial"));
      }
    }
    return new Entry(whole, virtual, serial);
  }
}
