package dev.trainwatch.gateway;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.trainwatch.bus.derived.DerivedSnapshot;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The newest derived snapshot per server, fed by the bus; "latest" reads never touch Postgres. Bounded in size, and
 * a server silent for a day drops out. A snapshot is rendered to JSON only when something reads it: at thousands of
 * snapshots a second, most are replaced before anyone asks for them.
 */
public final class LatestCache {
  private final Cache<String, Entry> latest = Caffeine.newBuilder().maximumSize(100_000)
      .expireAfterWrite(Duration.ofDays(1)).build();

  /** Keeps a snapshot as it came off the bus: a co-located record, or JSON from a clustered node. */
  public Entry put(Object derived) {
    Entry e = derived instanceof DerivedSnapshot s ? new Entry(s.server(), s, null)
        : new Entry(((JsonObject) derived).getString("server"), null, (JsonObject) derived);
    latest.put(e.server, e);
    return e;
  }

  public JsonObject get(String server) {
    Entry e = latest.getIfPresent(server);
    return e == null ? null : e.json();
  }

  public boolean contains(String server) {
    return latest.getIfPresent(server) != null;
  }

  public long size() {
    return latest.estimatedSize();
  }

  public Map<String, JsonObject> all() {
    Map<String, JsonObject> out = new LinkedHashMap<>();
    latest.asMap().forEach((server, e) -> out.put(server, e.json()));
    return out;
  }

  /** One server's newest snapshot; its JSON is rendered once, on first read (from any thread: idempotent). */
  public static final class Entry {
    private final String server;
    private final DerivedSnapshot record;
    private volatile JsonObject json;

    private Entry(String server, DerivedSnapshot record, JsonObject json) {
      this.server = server;
      this.record = record;
      this.json = json;
    }

    public String server() {
      return server;
    }

    public JsonObject json() {
      JsonObject j = json;
      if (j == null) {
        j = record.toJson();
        json = j;
      }
      return j;
    }
  }
}
