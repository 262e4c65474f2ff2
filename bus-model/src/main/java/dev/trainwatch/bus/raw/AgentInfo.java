package dev.trainwatch.bus.raw;

import static dev.trainwatch.bus.Json.*;

import dev.trainwatch.bus.InvalidPayloadException;
import dev.trainwatch.bus.JsonCursor;
import io.vertx.core.json.JsonObject;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Who sent a sample. {@code bootId} + {@code seq} identify it; {@code uptimeMs} is the agent's
 * monotonic clock, the only clock rates are computed from (wall clocks jump).
 */
public record AgentInfo(
    String version,
    String hostname,
    Map<String, String> labels,
    String bootId,
    long seq,
    long uptimeMs) {
  public static final int MAX_LABELS = 64;

  public static AgentInfo fromJson(JsonObject o, String p) {
    return JsonCursor.readObject(o, p, AgentInfo::read);
  }

  public static AgentInfo read(JsonCursor c) {
    String version = null, hostname = null, bootId = null;
    Map<String, String> labels = Map.of();
    long seq = JsonCursor.ABSENT, uptimeMs = JsonCursor.ABSENT;
    for (String k; (k = c.nextKey()) != null; ) {
      switch (k) {
        case "version" -> version = c.optString(64);
        case "hostname" -> hostname = c.optString(253);
        case "labels" -> labels = c.optObject() ? readLabels(c) : Map.of();
        case "boot_id" -> bootId = c.reqString(64);
        case "seq" -> seq = c.optLong(0, Long.MAX_VALUE);
        case "uptime_ms" -> uptimeMs = c.optLong(0, Long.MAX_VALUE);
        default -> c.skipValue();
      }
    }
    if (bootId == null) {
      throw c.missing("boot_id");
    }
    if (seq == JsonCursor.ABSENT) {
      throw c.missing("seq");
    }
    if (uptimeMs == JsonCursor.ABSENT) {
      throw c.missing("uptime_ms");
    }
    return new AgentInfo(version, hostname, labels, bootId, seq, uptimeMs);
  }

  private static Map<String, String> readLabels(JsonCursor c) {
    Map<String, String> labels = new LinkedHashMap<>();
    for (String k; (k = c.nextKey()) != null; ) {
      if (labels.size() == MAX_LABELS && !labels.containsKey(k)) {
        throw c.oversize(
            () -> {
              Set<String> names = new HashSet<>(labels.keySet());
              c.restNames(names);
              return names.size();
            },
            MAX_LABELS,
            n -> "has " + n + " entries, at most " + MAX_LABELS + " allowed");
      }
      if (k.isEmpty() || k.length() > 64) {
        throw new InvalidPayloadException(c.holderPath(), "label names must be 1 to 64 characters");
      }
      String v = c.optString(256);
      if (v == null || v.isEmpty()) {
        throw c.bad("is required");
      }
      labels.put(k, v);
    }
    return labels;
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
