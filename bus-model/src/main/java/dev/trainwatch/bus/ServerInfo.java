package dev.trainwatch.bus;

import static dev.trainwatch.bus.Json.*;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One registered server as {@code GET /api/servers/} shows it (CONTRACT.md §2). The token hash
 * never leaves the history verticle. {@code status} derives from {@code lastSeenAt}: online within
 * {@link #STALE_AFTER}, stale within {@link #OFFLINE_AFTER}, offline beyond or never seen.
 */
public record ServerInfo(
    String slug,
    String name,
    String hostname,
    boolean isActive,
    Instant lastSeenAt,
    String lastIp,
    String agentVersion,
    Map<String, String> labels) {
  public static final Duration STALE_AFTER = Duration.ofSeconds(30);
  public static final Duration OFFLINE_AFTER = Duration.ofMinutes(5);

  public String status(Instant now) {
    if (lastSeenAt == null) {
      return "offline";
    }
    Duration age = Duration.between(lastSeenAt, now);
    return age.compareTo(STALE_AFTER) <= 0
        ? "online"
        : age.compareTo(OFFLINE_AFTER) <= 0 ? "stale" : "offline";
  }

  public static ServerInfo fromJson(JsonObject o) {
    JsonObject l = optObject(o, "", "labels");
    Map<String, String> labels = new LinkedHashMap<>();
    if (l != null) {
      for (String k : l.fieldNames()) {
        labels.put(k, reqString(l, "labels", k, 256));
      }
    }
    String seen = optString(o, "", "last_seen_at", 64);
    Boolean active = optBoolean(o, "", "is_active");
    return new ServerInfo(
        reqString(o, "", "slug", 64),
        optString(o, "", "name", 256),
        optString(o, "", "hostname", 253),
        active == null || active,
        seen == null ? null : reqInstant(o, "", "last_seen_at"),
        optString(o, "", "last_ip", 64),
        optString(o, "", "agent_version", 64),
        labels);
  }

  /** The contract's JSON, with {@code status} as of {@code now}. */
  public JsonObject toJson(Instant now) {
    JsonObject o = new JsonObject().put("slug", slug).put("name", name);
    o.put("hostname", hostname)
        .put("is_active", isActive)
        .put("last_seen_at", lastSeenAt == null ? null : Json.ts(lastSeenAt))
        .put("last_ip", lastIp)
        .put("agent_version", agentVersion)
        .put("labels", new JsonObject(new LinkedHashMap<>(labels)));
    return o.put("status", status(now));
  }
}
