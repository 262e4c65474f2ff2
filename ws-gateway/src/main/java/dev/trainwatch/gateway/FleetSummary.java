package dev.trainwatch.gateway;

import dev.trainwatch.bus.Json;
import dev.trainwatch.bus.ServerInfo;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.LinkedHashMap;

/**
 * One server's line of {@code GET /api/fleet} and of the {@code fleet} channel (CONTRACT §2 v1.1):
 * who it is, its status, and the few figures a fleet grid shows, from its newest derived snapshot.
 * Pure. A figure the snapshot does not carry is absent, never 0; a server without a snapshot in the
 * live cache has its registry facts only.
 */
final class FleetSummary {
  private FleetSummary() {}

  /** {@code disabled} for a disabled server, else the registry's online / stale / offline. */
  static String status(ServerInfo info, Instant now) {
    return info.isActive() ? info.status(now) : "disabled";
  }

  static JsonObject of(ServerInfo info, JsonObject derived, int alertsFiring, Instant now) {
    JsonObject o =
        new JsonObject()
            .put("slug", info.slug())
            .put("name", info.name() != null ? info.name() : info.slug())
            .put("status", status(info, now))
            .put("labels", new JsonObject(new LinkedHashMap<>(info.labels())))
            .put("last_seen_at", info.lastSeenAt() == null ? null : Json.ts(info.lastSeenAt()));
    if (derived != null) {
      JsonObject b = derived.getJsonObject("bottleneck");
      putIf(o, "bottleneck", b == null ? null : b.getString("label"));
      JsonObject cpu = derived.getJsonObject("cpu");
      putIf(o, "cpu_utilization", cpu == null ? null : cpu.getDouble("utilization"));
      JsonObject mem = derived.getJsonObject("memory");
      putIf(
          o,
          "ram_used_percent",
          mem == null ? null : percent(mem.getLong("ram_used"), mem.getLong("ram_total")));
      JsonArray gpus = new JsonArray();
      for (Object x : derived.getJsonArray("gpus", new JsonArray())) {
        JsonObject g = (JsonObject) x;
        JsonObject s = new JsonObject().put("index", g.getInteger("index"));
        putIf(s, "utilization", g.getDouble("utilization"));
        putIf(
            s, "memory_used_percent", percent(g.getLong("memory_used"), g.getLong("memory_total")));
        putIf(s, "temperature", g.getDouble("temperature"));
        gpus.add(s);
      }
      o.put("gpus", gpus);
    } else {
      o.put("gpus", new JsonArray());
    }
    return o.put("alerts_firing", alertsFiring);
  }

  private static Double percent(Long used, Long total) {
    if (used == null || total == null || total <= 0 || used < 0) {
      return null;
    }
    return Math.round(10_000.0 * used / total) / 100.0;
  }

  private static void putIf(JsonObject o, String key, Object value) {
    if (value != null) {
      o.put(key, value);
    }
  }
}
