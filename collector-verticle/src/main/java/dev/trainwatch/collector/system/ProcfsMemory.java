package dev.trainwatch.collector.system;

import dev.trainwatch.bus.raw.MemoryRaw;
import dev.trainwatch.collector.system.proc.Meminfo;
import dev.trainwatch.collector.system.proc.Vmstat;

/** RAM and swap from {@code /proc/meminfo}, swap traffic from {@code /proc/vmstat}. */
final class ProcfsMemory {
  private final ProcFiles files;
  private final long pageSize;

  ProcfsMemory(ProcFiles files, long pageSize) {
    this.files = files;
    this.pageSize = pageSize;
  }

  MemoryRaw read() {
    Meminfo m = Meminfo.parse(ProcFiles.read(files.proc("meminfo")));
    if (m.totalBytes() == null) {
      throw new IllegalStateException("no MemTotal in " + files.proc("meminfo"));
    }
    // "used" is what applications hold: total minus what could be handed out without swapping
    // (cache included).
    Long used =
        m.availableBytes() == null ? null : Math.max(0, m.totalBytes() - m.availableBytes());
    Long swapUsed =
        m.swapTotalBytes() == null || m.swapFreeBytes() == null
            ? null
            : Math.max(0, m.swapTotalBytes() - m.swapFreeBytes());
    Vmstat v = Vmstat.parse(ProcFiles.read(files.proc("vmstat")));
    return new MemoryRaw(
        m.totalBytes(),
        m.availableBytes(),
        used,
        m.swapTotalBytes(),
        swapUsed,
        v.swapInPages() == null ? null : v.swapInPages() * pageSize,
        v.swapOutPages() == null ? null : v.swapOutPages() * pageSize);
  }
}
