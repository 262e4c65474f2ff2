package dev.trainwatch.history.registry;

import dev.trainwatch.bus.ServerInfo;
import dev.trainwatch.bus.derived.AgentSeen;
import dev.trainwatch.bus.derived.DerivedSnapshot;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.Map;

/** The {@code servers} table: what a sample tells the registry, and how a row reads back. */
public final class RegistryRows {
  private RegistryRows() {}

  /**
   * Marks a server seen. {@code last_seen_at} is our clock, not the agent's (agents' clocks drift).
   * A server without a row is created here only for samples that reached us without a token check,
   * i.e. the local collector: ingest refuses unknown slugs before anything is sent on the bus.
   */
  public static final String SEEN =
      """
      INSERT INTO servers (slug, name, hostname, last_seen_at, last_ip, agent_version, labels)
      VALUES ($1, $1, $2, now(), $3, $4, $5)
      ON CONFLICT (slug) DO UPDATE SET
        hostname = coalesce(EXCLUDED.hostname, servers.hostname),
        last_seen_at = now(),
        last_ip = coalesce(EXCLUDED.last_ip, servers.last_ip),
        agent_version = coalesce(EXCLUDED.agent_version, servers.agent_version),
        labels = EXCLUDED.labels""";

  public static final String LIST =
      """
      SELECT slug, name, hostname, is_active, last_seen_at, last_ip, agent_version, labels
      FROM servers ORDER BY slug""";

  public static Tuple seen(DerivedSnapshot s) {
    AgentSeen a = s.agent();
    return Tuple.of(
        s.server(),
        a == null ? null : a.hostname(),
        a == null ? null : a.ip(),
        a == null ? null : a.version(),
        new JsonObject(new LinkedHashMap<>(a == null ? Map.of() : a.labels())));
  }

  public static ServerInfo server(Row r) {
    JsonObject labels = (JsonObject) r.getValue("labels");
    Map<String, String> l = new LinkedHashMap<>();
    if (labels != null) {
      labels.forEach(e -> l.put(e.getKey(), String.valueOf(e.getValue())));
    }
    OffsetDateTime seen = r.getOffsetDateTime("last_seen_at");
    return new ServerInfo(
        r.getString("slug"),
        r.getString("name"),
        r.getString("hostname"),
        r.getBoolean("is_active"),
        seen == null ? null : seen.toInstant(),
        r.getString("last_ip"),
        r.getString("agent_version"),
        l);
  }
}
