package dev.trainwatch.rates.calc;

import dev.trainwatch.bus.derived.DiskFigures;
import dev.trainwatch.bus.derived.DiskRates;
import dev.trainwatch.bus.raw.DiskRaw;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Per-disk bytes/s, IOPS and busy %, and the server's summed bytes/s. Utilization is Δbusy_ms /
 * Δt_ms (iostat's %util); on parallel devices (NVMe, RAID) 100 % means "always one request in
 * flight", not saturated.
 */
public final class DiskCalc {
  private DiskCalc() {}

  /**
   * @param prev the reference sample's disks, or null when this interval has no rates
   */
  public static DiskFigures compute(
      List<DiskRaw> prev, List<DiskRaw> cur, long dtMs, RateStats stats) {
    if (cur == null || cur.isEmpty()) {
      return null;
    }
    double dtS = dtMs / 1000.0;
    List<DiskRates> out = new ArrayList<>(cur.size());
    Double readSum = null;
    Double writeSum = null;
    for (int i = 0; i < cur.size(); i++) {
      DiskRaw c = cur.get(i);
      DiskRaw p = prev == null ? null : Devices.find(prev, i, c, DiskCalc::same);
      if (p == null) {
        out.add(new DiskRates(c.name(), null, null, null, null, null));
        continue;
      }
      Double read =
          Counters.rate(p.readBytesTotal(), c.readBytesTotal(), dtS, Bounds.DEVICE_RATE_MAX, stats);
      Double write =
          Counters.rate(
              p.writeBytesTotal(), c.writeBytesTotal(), dtS, Bounds.DEVICE_RATE_MAX, stats);
      Double readIops =
          Counters.rate(p.readCountTotal(), c.readCountTotal(), dtS, Bounds.IOPS_MAX, stats);
      Double writeIops =
          Counters.rate(p.writeCountTotal(), c.writeCountTotal(), dtS, Bounds.IOPS_MAX, stats);
      double busy = Counters.delta(p.busyTimeMsTotal(), c.busyTimeMsTotal(), stats);
      Double util = Counters.has(busy) ? Bounds.percent(100 * busy / dtMs, stats) : null;
      out.add(new DiskRates(c.name(), read, write, readIops, writeIops, util));
      readSum = Bounds.sum(readSum, read);
      writeSum = Bounds.sum(writeSum, write);
    }
    return new DiskFigures(
        Bounds.clamp(readSum, 0, Bounds.SUM_RATE_MAX, stats),
        Bounds.clamp(writeSum, 0, Bounds.SUM_RATE_MAX, stats),
        List.copyOf(out));
  }

  /**
   * Same name, and the same physical disk where both samples know its serial (a name can move to a
   * new disk).
   */
  static boolean same(DiskRaw a, DiskRaw b) {
    return a.name().equals(b.name())
        && (a.serial() == null || b.serial() == null || Objects.equals(a.serial(), b.serial()));
  }
}
