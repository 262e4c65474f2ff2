package dev.trainwatch.launcher;

import dev.trainwatch.bus.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A host that exists only as a sequence of CONTRACT §1 snapshots: set its readings, take a step,
 * repeat. Counters (CPU ticks, disk busy time, uptime) advance consistently with the clock, so
 * rates derive exactly what was set.
 */
final class CraftedHost {
  private static final long MEM_TOTAL = 64L << 30;
  private static final long GPU_MEM_TOTAL = 80L << 30;

  private String boot = "boot-a";
  private long seq;
  private Instant ts;
  private long uptimeMs = 3_600_000;
  private long busyMs;
  private long cpuMs;

  double temperature = 60;
  double utilization = 90;
  double gpuMemoryPercent = 50;
  List<String> reasons = List.of();
  long ecc;
  Long xid;
  double ramPercent = 50;
  double diskBusyPercent = 10;

  CraftedHost(Instant start) {
    this.ts = start;
  }

  /** A reboot: new boot id, uptime from zero, driver counters from zero. */
  CraftedHost reboot() {
    boot = boot + "'";
    uptimeMs = 60_000;
    ecc = 0;
    return this;
  }

  /**
   * The snapshot for now, then the clock moves on by {@code step} (disk busy time accrues over it).
   */
  JsonObject next(Duration step) {
    seq++;
    JsonObject gpu =
        new JsonObject()
            .put("index", 0)
            .put("uuid", "GPU-crafted-0")
            .put("name", "NVIDIA H100")
            .put("utilization_percent", utilization)
            .put("memory_utilization_percent", 10)
            .put("memory_used_bytes", (long) (GPU_MEM_TOTAL * gpuMemoryPercent / 100))
            .put("memory_total_bytes", GPU_MEM_TOTAL)
            .put("temperature_c", temperature)
            .put("power_w", 300.0)
            .put("clock_event_reasons", new JsonArray(reasons))
            .put("ecc_uncorrected_total", ecc);
    if (xid != null) {
      gpu.put(
          "xid_events",
          new JsonArray().add(new JsonObject().put("xid", xid).put("ts", Json.ts(ts))));
    }
    long cores = cpuMs / 2;
    JsonObject s =
        new JsonObject()
            .put("schema", 1)
            .put("ts", Json.ts(ts))
            .put(
                "agent",
                new JsonObject()
                    .put("version", "test")
                    .put("hostname", "crafted")
                    .put("boot_id", boot)
                    .put("seq", seq)
                    .put("uptime_ms", uptimeMs))
            .put(
                "cpu",
                new JsonObject()
                    .put(
                        "ticks_ms_total",
                        new JsonArray()
                            .add(
                                new JsonArray()
                                    .add(cores)
                                    .add(0)
                                    .add(0)
                                    .add(cpuMs - cores)
                                    .add(0)
                                    .add(0)
                                    .add(0)
                                    .add(0))))
            .put(
                "memory",
                new JsonObject()
                    .put("total_bytes", MEM_TOTAL)
                    .put("used_bytes", (long) (MEM_TOTAL * ramPercent / 100))
                    .put("available_bytes", MEM_TOTAL - (long) (MEM_TOTAL * ramPercent / 100)))
            .put(
                "disks",
                new JsonArray()
                    .add(
                        new JsonObject()
                            .put("name", "nvme0n1")
                            .put("read_bytes_total", 0)
                            .put("write_bytes_total", 0)
                            .put("read_count_total", 0)
                            .put("write_count_total", 0)
                            .put("busy_time_ms_total", busyMs)))
            .put("gpus", new JsonArray().add(gpu));
    xid = null;
    long ms = step.toMillis();
    ts = ts.plus(step);
    uptimeMs += ms;
    cpuMs += ms;
    busyMs += (long) (ms * diskBusyPercent / 100);
    return s;
  }

  /** {@code n} steps with the current readings. */
  List<JsonObject> steps(int n, Duration step) {
    List<JsonObject> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(next(step));
    }
    return out;
  }

  Instant now() {
    return ts;
  }
}
