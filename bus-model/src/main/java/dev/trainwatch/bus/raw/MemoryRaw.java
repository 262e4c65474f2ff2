package dev.trainwatch.bus.raw;

import static dev.trainwatch.bus.Json.*;

import dev.trainwatch.bus.JsonCursor;
import io.vertx.core.json.JsonObject;

/** Memory and swap in bytes; the swap in/out values are counters. Any of them may be absent. */
public record MemoryRaw(
    Long totalBytes,
    Long availableBytes,
    Long usedBytes,
    Long swapTotalBytes,
    Long swapUsedBytes,
    Long swapInBytesTotal,
    Long swapOutBytesTotal) {

  public static MemoryRaw fromJson(JsonObject o, String p) {
    return JsonCursor.readObject(o, p, MemoryRaw::read);
  }

  public static MemoryRaw read(JsonCursor c) {
    Long total = null,
        available = null,
        used = null,
        swapTotal = null,
        swapUsed = null,
        swapIn = null,
        swapOut = null;
    for (String k; (k = c.nextKey()) != null; ) {
      switch (k) {
        case "total_bytes" -> total = c.optCounter();
        case "available_bytes" -> available = c.optCounter();
        case "used_bytes" -> used = c.optCounter();
        case "swap_total_bytes" -> swapTotal = c.optCounter();
        case "swap_used_bytes" -> swapUsed = c.optCounter();
        case "swap_in_bytes_total" -> swapIn = c.optCounter();
        case "swap_out_bytes_total" -> swapOut = c.optCounter();
        default -> c.skipValue();
      }
    }
    return new MemoryRaw(total, available, used, swapTotal, swapUsed, swapIn, swapOut);
  }

  public JsonObject toJson() {
    JsonObject o = new JsonObject();
    putCounter(o, "total_bytes", totalBytes);
    putCounter(o, "available_bytes", availableBytes);
    putCounter(o, "used_bytes", usedBytes);
    putCounter(o, "swap_total_bytes", swapTotalBytes);
    putCounter(o, "swap_used_bytes", swapUsedBytes);
    putCounter(o, "swap_in_bytes_total", swapInBytesTotal);
    return putCounter(o, "swap_out_bytes_total", swapOutBytesTotal);
  }
}
