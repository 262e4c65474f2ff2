package dev.trainwatch.bus.raw;

import static dev.trainwatch.bus.Json.*;

import io.vertx.core.json.JsonObject;

/** Memory and swap in bytes; the swap in/out values are counters. Any of them may be absent. */
public record MemoryRaw(Long totalBytes, Long availableBytes, Long usedBytes, Long swapTotalBytes, Long swapUsedBytes,
                        Long swapInBytesTotal, Long swapOutBytesTotal) {

  public static MemoryRaw fromJson(JsonObject o, String p) {
    return new MemoryRaw(
        optCounter(o, p, "total_bytes"), optCounter(o, p, "available_bytes"), optCounter(o, p, "used_bytes"),
        optCounter(o, p, "swap_total_bytes"), optCounter(o, p, "swap_used_bytes"),
        optCounter(o, p, "swap_in_bytes_total"), optCounter(o, p, "swap_out_bytes_total"));
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
