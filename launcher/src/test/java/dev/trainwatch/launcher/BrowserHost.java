package dev.trainwatch.launcher;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * The agent snapshot the browser tests feed through ingest: 4 cores, 256 GiB of RAM and H100s,
 * stamped now. Each test sets what it is about (GPU figures, XIDs, labels, processes) on top.
 */
final class BrowserHost {
  private BrowserHost() {}

  /** One H100 as the agent reports it, with the figures a test varies. */
  static JsonObject gpu(
      int index,
      String uuidSuffix,
      long seq,
      int util,
      long memUsedGib,
      int temp,
      double powerW,
      long mjPerSeq) {
    return new JsonObject()
        .put("index", index)
        .put("uuid", "GPU-0000000" + index + "-" + uuidSuffix)
        .put("name", "NVIDIA H100 80GB HBM3")
        .put("utilization_percent", util)
        .put("memory_utilization_percent", 30)
        .put("memory_used_bytes", memUsedGib << 30)
        .put("memory_total_bytes", 80L << 30)
        .put("temperature_c", temp)
        .put("power_w", powerW)
        .put("power_limit_w", 700)
        .put("sm_clock_mhz", 1980)
        .put("mem_clock_mhz", 2619)
        .put("energy_mj_total", seq * mjPerSeq)
        .put("clock_event_reasons", new JsonArray())
        .put("ecc_uncorrected_total", 0)
        .put("xid_events", new JsonArray());
  }

  /**
   * Sample {@code seq} of a host whose cores are 20 % busy, 500 ms apart, with these GPUs and no
   * processes.
   */
  static JsonObject snapshot(String hostname, String bootId, long seq, JsonArray gpus) {
    JsonArray ticks = new JsonArray();
    for (int c = 0; c < 4; c++) {
      ticks.add(
          new JsonArray()
              .add(seq * 200)
              .add(0)
              .add(seq * 50)
              .add(seq * 750)
              .add(0)
              .add(0)
              .add(0)
              .add(0));
    }
    return new JsonObject()
        .put("schema", 1)
        .put("ts", Instant.now().truncatedTo(ChronoUnit.MILLIS).toString())
        .put(
            "agent",
            new JsonObject()
                .put("version", "0.1.0")
                .put("hostname", hostname)
                .put("boot_id", bootId)
                .put("seq", seq)
                .put("uptime_ms", 1000 + seq * 500))
        .put(
            "cpu",
            new JsonObject()
                .put("ticks_ms_total", ticks)
                .put("load_avg", new JsonArray().add(1.0).add(1.0).add(1.0)))
        .put(
            "memory",
            new JsonObject()
                .put("total_bytes", 256L << 30)
                .put("available_bytes", 200L << 30)
                .put("used_bytes", 56L << 30)
                .put("swap_total_bytes", 0)
                .put("swap_used_bytes", 0))
        .put("gpus", gpus)
        .put("gpu_processes", new JsonArray());
  }
}
