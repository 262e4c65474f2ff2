package dev.trainwatch.collector.system;

import java.util.Map;

/**
 * Facts about the host read once at start, never per sample.
 *
 * @param cores logical CPUs (tick rows per sample)
 * @param userHz unit of /proc/stat ticks
 * @param pageSize bytes per page, the unit of /proc/vmstat swap counters
 * @param diskSerials kernel disk name to serial, where udev knows it
 */
public record StaticInventory(
    int cores, long userHz, long pageSize, Map<String, String> diskSerials) {
  public StaticInventory {
    diskSerials = Map.copyOf(diskSerials);
  }
}
