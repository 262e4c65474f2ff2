package dev.trainwatch.bus.raw;

import static dev.trainwatch.bus.Json.*;

import io.vertx.core.json.JsonObject;
import java.time.Instant;

/** An NVIDIA XID error reported by the driver (e.g. 79: GPU fallen off the bus). */
public record XidEvent(long xid, Instant ts) {
  public static final int MAX = 256;

  public static XidEvent fromJson(JsonObject o, String p) {
    return new XidEvent(reqLong(o, p, "xid", 0, Integer.MAX_VALUE), reqInstant(o, p, "ts"));
  }

  public JsonObject toJson() {
    return new JsonObject().put("xid", xid).put("ts", dev.trainwatch.bus.Json.ts(ts));
  }
}
