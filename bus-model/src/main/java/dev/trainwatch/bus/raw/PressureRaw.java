package dev.trainwatch.bus.raw;

import static dev.trainwatch.bus.Json.*;

import io.vertx.core.json.JsonObject;

/**
 * Linux pressure stall information: the {@code total=} microsecond counters of {@code /proc/pressure/*}. Absent on
 * kernels without PSI. (An extension of CONTRACT.md §1, which ignores unknown keys.)
 */
public record PressureRaw(Long cpuSomeUsTotal, Long ioSomeUsTotal, Long ioFullUsTotal, Long memorySomeUsTotal,
                          Long memoryFullUsTotal) {

  public static PressureRaw fromJson(JsonObject o, String p) {
    return new PressureRaw(optCounter(o, p, "cpu_some_us_total"), optCounter(o, p, "io_some_us_total"),
        optCounter(o, p, "io_full_us_total"), optCounter(o, p, "memory_some_us_total"),
        optCounter(o, p, "memory_full_us_total"));
  }

  public JsonObject toJson() {
    JsonObject o = new JsonObject();
    putCounter(o, "cpu_some_us_total", cpuSomeUsTotal);
    putCounter(o, "io_some_us_total", ioSomeUsTotal);
    putCounter(o, "io_full_us_total", ioFullUsTotal);
    putCounter(o, "memory_some_us_total", memorySomeUsTotal);
    return putCounter(o, "memory_full_us_total", memoryFullUsTotal);
  }
}
