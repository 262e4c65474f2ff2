package dev.trainwatch.collector.system.proc;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code /proc/diskstats} (Documentation/admin-guide/iostats.rst). Lists every device the kernel
 * prints, partitions and virtual devices included; choosing whole devices is the caller's job.
 */
public final class Diskstats {
  /** The kernel counts sectors in 512-byte units whatever the device's real sector size. */
  public static final long SECTOR_BYTES = 512;

  private Diskstats() {}

  /**
   * One device. {@code ioTimeMs} (field 10) is an unsigned 32-bit counter in the kernel and wraps
   * after 49.7 days of busy time; it is passed on raw, the rates side handles the wrap.
   */
  public record Device(
      String name, long reads, long sectorsRead, long writes, long sectorsWritten, long ioTimeMs) {
    public long readBytes() {
      return sectorsRead * SECTOR_BYTES;
    }

    public long writeBytes() {
      return sectorsWritten * SECTOR_BYTES;
    }
  }

  /**
   * Lines with fewer than the 11 classic fields (2.6 kernels printed 4 for partitions) or bad
   * numbers are skipped.
   */
  public static List<Device> parse(String text) {
    List<Device> out = new ArrayList<>();
    for (String line : text.split("\n")) {
      String[] w = ProcText.words(line);
      if (w.length < 14) {
        continue;
      }
      Long reads = ProcText.unsigned(w[3]);
      Long sectorsRead = ProcText.unsigned(w[5]);
      Long writes = ProcText.unsigned(w[7]);
      Long sectorsWritten = ProcText.unsigned(w[9]);
      Long ioTime = ProcText.unsigned(w[12]);
      if (reads == null
          || sectorsRead == null
          || writes == null
          || sectorsWritten == null
          || ioTime == null) {
        continue;
      }
      out.add(new Device(w[2], reads, sectorsRead, writes, sectorsWritten, ioTime));
    }
    return out;
  }
}
