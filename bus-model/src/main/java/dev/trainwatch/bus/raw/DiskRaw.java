package dev.trainwatch.bus.raw;

import static dev.trainwatch.bus.Json.*;

import dev.trainwatch.bus.JsonCursor;
import io.vertx.core.json.JsonObject;

/** One whole block device's cumulative counters. */
public record DiskRaw(
    String name,
    String serial,
    Long readBytesTotal,
    Long writeBytesTotal,
    Long readCountTotal,
    Long writeCountTotal,
    Long busyTimeMsTotal) {
  public static final int MAX = 256;

  public static DiskRaw fromJson(JsonObject o, String p) {
    return JsonCursor.readObject(o, p, DiskRaw::read);
  }

  public static DiskRaw read(JsonCursor c) {
    String name = null, serial = null;
    Long readBytes = null, writeBytes = null, readCount = null, writeCount = null, busy = null;
    for (String k; (k = c.nextKey()) != null; ) {
      switch (k) {
        case "name" -> name = c.reqString(128);
        case "serial" -> serial = c.optString(128);
        case "read_bytes_total" -> readBytes = c.optCounter();
        case "write_bytes_total" -> writeBytes = c.optCounter();
        case "read_count_total" -> readCount = c.optCounter();
        case "write_count_total" -> writeCount = c.optCounter();
        case "busy_time_ms_total" -> busy = c.optCounter();
        default -> c.skipValue();
      }
    }
    if (name == null) {
      throw c.missing("name");
    }
    return new DiskRaw(name, serial, readBytes, writeBytes, readCount, writeCount, busy);
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
