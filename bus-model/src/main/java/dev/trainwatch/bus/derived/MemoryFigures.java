package dev.trainwatch.bus.derived;

import static dev.trainwatch.bus.Json.*;

import io.vertx.core.json.JsonObject;

/** The {@code system/memory} channel data, bytes and bytes/s. */
public record MemoryFigures(
    Long ramUsed,
    Long ramTotal,
    Long ramAvailable,
    Long swapUsed,
    Long swapTotal,
    Double swapInRate,
    Double swapOutRate) {

  public static MemoryFigures fromJson(JsonObject o, String p) {
    return new MemoryFigures(
        optCounter(o, p, "ram_used"),
        optCounter(o, p, "ram_total"),
        optCounter(o, p, "ram_available"),
        optCounter(o, p, "swap_used"),
        optCounter(o, p, "swap_total"),
        optDouble(o, p, "swap_in_rate", 0, 1e13),
        optDouble(o, p, "swap_out_rate", 0, 1e13));
  }

  public JsonObject toJson() {
    JsonObject o = new JsonObject();
    putCounter(o, "ram_used", ramUsed);
    putCounter(o, "ram_total", ramTotal);
    putCounter(o, "ram_available", ramAvailable);
    putCounter(o, "swap_used", swapUsed);
    putCounter(o, "swap_total", swapTotal);
    putOpt(o, "swap_in_rate", swapInRate);
    return putOpt(o, "swap_out_rate", swapOutRate);
  }
}
