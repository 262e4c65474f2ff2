package dev.trainwatch.bus.raw;

import static dev.trainwatch.bus.Json.*;

import dev.trainwatch.bus.Json;
import dev.trainwatch.bus.JsonCursor;
import io.vertx.core.json.JsonObject;
import java.time.Instant;

/** An NVIDIA XID error reported by the driver (e.g. 79: GPU fallen off the bus). */
public record XidEvent(long xid, Instant ts) {
  public static final int MAX = 256;

  public static XidEvent fromJson(JsonObject o, String p) {
    return JsonCursor.readObject(o, p, XidEvent::read);
  }

  public static XidEvent read(JsonCursor c) {
    long xid = JsonCursor.ABSENT;
    Instant ts = null;
    for (String k; (k = c.nextKey()) != null; ) {
      switch (k) {
        case "xid" -> xid = c.optLong(0, Integer.MAX_VALUE);
        case "ts" -> ts = c.reqInstant();
        default -> c.skipValue();
      }
    }
    if (xid == JsonCursor.ABSENT) {
      throw c.missing("xid");
    }
    if (ts == null) {
      throw c.missing("ts");
    }
    return new XidEvent(xid, ts);
  }

  public JsonObject toJson() {
    return new JsonObject().put("xid", xid).put("ts", Json.ts(ts));
  }
}
