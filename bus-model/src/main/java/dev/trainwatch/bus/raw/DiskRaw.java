package dev.trainwatch.bus.raw;

import static dev.trainwatch.bus.Json.*;

import io.vertx.core.json.JsonObject;

/** One whole block device's cumulative counters. */
public record DiskRaw(String name, String serial, Long readBytesTotal, Long writeBytesTotal, Long readCountTotal,
                      Long writeCountTotal, Long busyTimeMsTotal) {
  public static final int MAX = 256;

  public static DiskRaw fromJson(JsonObject o, String p) {
    return new DiskRaw(reqString(o, p, "name", 128), optString(o, p, "serial", 128),
        optCounter(o, p, "read_bytes_total"), optCounter(o, p, "write_bytes_total"),
        optCounter(o, p, "read_count_total"), optCounter(o, p, "write_count_total"),
        optCounter(o, p, "busy_time_ms_total"));
  }

  public JsonObject toJson() {
    JsonObject o = new JsonObject().put("name", name);
    putOpt(o, "serial", serial);
    putCounter(o, "read_bytes_total", readBytesTotal);
    putCounter(o, "write_bytes_total", writeBytesTotal);
    putCounter(o, "read_count_total", readCountTotal);
    putCounter(o, "write_count_total", writeCountTotal);
    return putCounter(o, "busy_time_ms_total", busyTimeMsTotal);
  }
}
