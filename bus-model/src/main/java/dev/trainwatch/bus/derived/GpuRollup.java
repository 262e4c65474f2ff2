package dev.trainwatch.bus.derived;

import static dev.trainwatch.bus.Json.*;

import io.vertx.core.json.JsonObject;

/**
 * Fleet-card figures over all GPUs of a server; flat keys of the derived snapshot (CONTRACT.md §4).
 */
public record GpuRollup(Double utilMax, Double utilAvg, Long memoryUsed, Long memoryTotal) {

  static GpuRollup fromJson(JsonObject o, String p) {
    return new GpuRollup(
        optDouble(o, p, "gpu_util_max", 0, 100),
        optDouble(o, p, "gpu_util_avg", 0, 100),
        optCounter(o, p, "gpu_memory_used"),
        optCounter(o, p, "gpu_memory_total"));
  }

  void writeInto(JsonObject o) {
    putOpt(o, "gpu_util_max", utilMax);
    putOpt(o, "gpu_util_avg", utilAvg);
    putCounter(o, "gpu_memory_used", memoryUsed);
    putCounter(o, "gpu_memory_total", memoryTotal);
  }
}
