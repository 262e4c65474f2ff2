package dev.trainwatch.bus.raw;

import static dev.trainwatch.bus.Json.*;

import dev.trainwatch.bus.InvalidPayloadException;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Who sent a sample. {@code bootId} + {@code seq} identify it; {@code uptimeMs} is the agent's monotonic clock, the
 * only clock rates are computed from (wall clocks jump).
 */
public record AgentInfo(String version, String hostname, Map<String, String> labels, String bootId, long seq, long uptimeMs) {
  public static final int MAX_LABELS = 64;

  public static AgentInfo fromJson(JsonObject o, String p) {
    JsonObject l = optObject(o, p, "labels");
    Map<String, String> labels = Map.of();
    if (l != null) {
      if (l.size() > MAX_LABELS) {
        throw new InvalidPayloadException(path(p, "labels"), "has " + l.size() + " entries, at most " + MAX_LABELS + " allowed");
      }
      labels = new LinkedHashMap<>();
      String lp = path(p, "labels");
      for (String k : l.fieldNames()) {
        if (k.isEmpty() || k.length() > 64) {
          throw new InvalidPayloadException(lp, "label names must be 1 to 64 characters");
        }
        labels.put(k, reqString(l, lp, k, 256));
      }
    }
    return new AgentInfo(
        optString(o, p, "version", 64),
        optString(o, p, "hostname", 253),
        labels,
        reqString(o, p, "boot_id", 64),
        reqLong(o, p, "seq", 0, Long.MAX_VALUE),
        reqLong(o, p, "uptime_ms", 0, Long.MAX_VALUE));
  }

  public JsonObject toJson() {
    JsonObject o = new JsonObject();
    putOpt(o, "version", version);
    putOpt(o, "hostname", hostname);
    if (labels != null && !labels.isEmpty()) {
      o.put("labels", new JsonObject(new LinkedHashMap<>(labels)));
    }
    return o.put("boot_id", bootId).put("seq", seq).put("uptime_ms", uptimeMs);
  }
}
