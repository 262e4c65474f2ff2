package dev.trainwatch.bus.raw;

import static dev.trainwatch.bus.Json.*;

import dev.trainwatch.bus.JsonCursor;
import io.vertx.core.json.JsonObject;

/**
 * Linux pressure stall information: the {@code total=} microsecond counters of {@code
 * /proc/pressure/*}. Absent on kernels without PSI. (An extension of CONTRACT.md §1, which ignores
 * unknown keys.)
 */
public record PressureRaw(
    Long cpuSomeUsTotal,
    Long ioSomeUsTotal,
    Long ioFullUsTotal,
    Long memorySomeUsTotal,
    Long memoryFullUsTotal) {

  public static PressureRaw fromJson(JsonObject o, String p) {
    return JsonCursor.readObject(o, p, PressureRaw::read);
  }

  public static PressureRaw read(JsonCursor c) {
    Long cpuSome = null, ioSome = null, ioFull = null, memSome = null, memFull = null;
    for (String k; (k = c.nextKey()) != null; ) {
      switch (k) {
        case "cpu_some_us_total" -> cpuSome = c.optCounter();
        case "io_some_us_total" -> ioSome = c.optCounter();
        case "io_full_us_total" -> ioFull = c.optCounter();
        case "memory_some_us_total" -> memSome = c.optCounter();
        case "memory_full_us_total" -> memFull = c.optCounter();
        default -> c.skipValue();
      }
    }
    return new PressureRaw(cpuSome, ioSome, ioFull, memSome, memFull);
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
