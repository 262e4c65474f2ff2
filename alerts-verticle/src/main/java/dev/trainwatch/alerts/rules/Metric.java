package dev.trainwatch.alerts.rules;

import dev.trainwatch.bus.derived.DerivedSnapshot;
import dev.trainwatch.bus.derived.DiskRates;
import dev.trainwatch.bus.derived.GpuFigures;
import dev.trainwatch.bus.raw.XidEvent;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What a rule can watch: a selector name, whether it is read per GPU or per server, its unit, and
 * how to read it from a derived snapshot. A reading is a {@code Double}, a {@code String} (the
 * bottleneck label) or null when the snapshot does not carry it: unavailable is absent, and an
 * absent reading neither starts nor resolves an alert.
 */
public enum Metric {
  GPU_TEMPERATURE("gpu.temperature", true, "°C", (s, g) -> g.temperature()),
  GPU_UTILIZATION("gpu.utilization", true, "%", (s, g) -> g.utilization()),
  GPU_MEMORY_USED_PERCENT(
      "gpu.memory_used_percent", true, "%", (s, g) -> percent(g.memoryUsed(), g.memoryTotal())),
  GPU_POWER("gpu.power", true, "W", (s, g) -> g.power()),
  /** The most severe XID code this sample carries (absent when none): an event, not a level. */
  GPU_XID("gpu.xid", true, "", (s, g) -> worstXid(g.xidEvents())),
  /** The driver's running total of uncorrected ECC errors: rules on it use {@link Op#RISES}. */
  GPU_ECC_UNCORRECTED(
      "gpu.ecc_uncorrected", true, "errors", (s, g) -> unsigned(g.eccUncorrectedTotal())),
  /** 1 while a thermal or power clock-event reason holds the clocks down, else 0. */
  GPU_THROTTLED("gpu.throttled", true, "", (s, g) -> throttled(g.clockEventReasons())),
  /**
   * Memory used (%) while utilization is 0 %; 0 while the GPU works: memory held by a job that does
   * nothing.
   */
  GPU_IDLE_MEMORY_PERCENT("gpu.idle_memory_percent", true, "%", (s, g) -> idleMemory(g)),
  CPU_UTILIZATION(
      "cpu.utilization", false, "%", (s, g) -> s.cpu() == null ? null : s.cpu().utilization()),
  MEMORY_USED_PERCENT(
      "memory.used_percent",
      false,
      "%",
      (s, g) -> s.memory() == null ? null : percent(s.memory().ramUsed(), s.memory().ramTotal())),
  /** The busiest disk's utilization. */
  DISK_UTILIZATION("disk.utilization", false, "%", (s, g) -> busiestDisk(s)),
  /**
   * Seconds since the server's last snapshot reached the evaluator: judged on a timer, not per
   * snapshot.
   */
  SERVER_OFFLINE("server.offline", false, "s", (s, g) -> 0d),
  BOTTLENECK_LABEL(
      "bottleneck.label",
      false,
      "",
      (s, g) -> s.bottleneck() == null ? null : s.bottleneck().label());

  /**
   * Clock-event reasons that mean heat or power is limiting the clocks (ClockEventReasons' names).
   */
  public static final Set<String> THROTTLE_REASONS =
      Set.of(
          "sw_power_cap",
          "hw_slowdown",
          "sw_thermal_slowdown",
          "hw_thermal_slowdown",
          "hw_power_brake_slowdown");

  @FunctionalInterface
  interface Reader {
    Object read(DerivedSnapshot s, GpuFigures gpu);
  }

  public final String id;
  public final boolean perGpu;
  public final String unit;
  private final Reader reader;

  Metric(String id, boolean perGpu, String unit, Reader reader) {
    this.id = id;
    this.perGpu = perGpu;
    this.unit = unit;
    this.reader = reader;
  }

  /** The reading for one GPU ({@code gpu} non-null) or for the server ({@code gpu} null). */
  public Object read(DerivedSnapshot s, GpuFigures gpu) {
    return reader.read(s, gpu);
  }

  public boolean textual() {
    return this == BOTTLENECK_LABEL;
  }

  public static Optional<Metric> of(String id) {
    return Arrays.stream(values()).filter(m -> m.id.equals(id)).findFirst();
  }

  private static Double percent(Long used, Long total) {
    if (used == null || total == null || total == 0) {
      return null;
    }
    // Hundredths: the float noise of a byte ratio (96.99999999866) is not information, and it shows
    // in the UI.
    return Math.min(100, Math.round(10_000.0 * toDouble(used) / toDouble(total)) / 100.0);
  }

  private static double toDouble(long unsigned) {
    return unsigned >= 0 ? unsigned : (unsigned >>> 1) * 2.0;
  }

  private static Double unsigned(Long counter) {
    return counter == null ? null : toDouble(counter);
  }

  private static Double worstXid(List<XidEvent> events) {
    if (events == null || events.isEmpty()) {
      return null;
    }
    XidEvent worst = events.get(0);
    for (XidEvent e : events) {
      if (Xid.critical(e.xid()) && !Xid.critical(worst.xid())) {
        worst = e;
      }
    }
    return (double) worst.xid();
  }

  private static Double throttled(List<String> reasons) {
    if (reasons == null) {
      return null;
    }
    for (String r : reasons) {
      if (THROTTLE_REASONS.contains(r)) {
        return 1d;
      }
    }
    return 0d;
  }

  private static Double idleMemory(GpuFigures g) {
    Double used = percent(g.memoryUsed(), g.memoryTotal());
    if (used == null || g.utilization() == null) {
      return null;
    }
    return g.utilization() == 0 ? used : 0d;
  }

  private static Double busiestDisk(DerivedSnapshot s) {
    if (s.disk() == null || s.disk().disks() == null) {
      return null;
    }
    Double max = null;
    for (DiskRates d : s.disk().disks()) {
      if (d.utilization() != null && (max == null || d.utilization() > max)) {
        max = d.utilization();
      }
    }
    return max;
  }
}
