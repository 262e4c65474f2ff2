package dev.trainwatch.collector.system;

import dev.trainwatch.bus.raw.CpuRaw;
import dev.trainwatch.bus.raw.DiskRaw;
import dev.trainwatch.bus.raw.MemoryRaw;
import dev.trainwatch.bus.raw.NicRaw;
import dev.trainwatch.bus.raw.PressureRaw;
import java.util.List;

/**
 * Reads the host's raw counters. Every method blocks (file reads, native calls) and is called from
 * one worker thread at a time, never from an event loop. A method throws when its source cannot be
 * read at all; a single value the host does not provide is null inside the returned record.
 */
public interface SystemReader {

  /** {@code procfs} or {@code oshi}. */
  String kind();

  /** Identifies this boot of the host; it changes when every kernel counter has been reset. */
  String bootId();

  /** Host name as the kernel knows it. */
  String hostname();

  /** Milliseconds since boot on a monotonic clock: the clock every rate is computed from. */
  long uptimeMs();

  CpuRaw cpu();

  MemoryRaw memory();

  /** Null where the kernel has no pressure stall information. */
  PressureRaw pressure();

  List<DiskRaw> disks();

  List<NicRaw> networks();
}
