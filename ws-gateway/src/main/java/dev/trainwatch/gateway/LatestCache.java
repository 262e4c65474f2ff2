package dev.trainwatch.gateway;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.trainwatch.bus.derived.DerivedSnapshot;
import dev.trainwatch.bus.derived.Unstored;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The newest derived snapshot per server, fed by the bus; "latest" reads never touch Postgres.
 * Bounded in size, and a server silent for a day drops out. A snapshot is rendered to JSON only
 * when something reads it: at thousands of snapshots a second, most are replaced before anyone asks
 * for them.
 */
public final class LatestCache {
  private final Cache<String, Entry> latest =
      Caffeine.newBuilder().maximumSize(100_000).expireAfterWrite(Duration.ofDays(1)).build();

  /**
   * Keeps a snapshot as it came off the bus: a co-located record, or JSON from a clustered node.
   */
  public Entry put(Object derived) {
    Entry e =
        derived instanceof DerivedSnapshot s
            ? new Entry(s.server(), s, null)
            : new Entry(((JsonObject) derived).getString("server"), null, (JsonObject) derived);
    latest.put(e.server, e);
    return e;
  }

  /**
   * The newest snapshot, or null. One that was sent live and then not stored (issue 17) says so
   * with {@code "stored": false}, so a polling client is told what a WebSocket client is.
   */
  public JsonObject get(String server) {
    Entry e = latest.getIfPresent(server);
    if (e == null) {
      return null;
    }
    return e.unstored ? e.json().copy().put("stored", false) : e.json();
  }

  /** Marks the server's newest snapshot as not stored, if it is still the one {@code u} names. */
  public void markUnstored(Unstored u) {
    Entry e = latest.getIfPresent(u.server());
    if (e != null && e.is(u.bootId(), u.seq())) {
      e.unstored = true;
    }
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

  /**
   * One server's newest snapshot; its JSON is rendered once, on first read (from any thread:
   * idempotent).
   */
  public static final class Entry {
    private final String server;
    private final DerivedSnapshot record;
    private volatile JsonObject json;
    private volatile boolean unstored;

    private Entry(String server, DerivedSnapshot record, JsonObject json) {
      this.server = server;
      this.record = record;
      this.json = json;
    }

    public String server() {
      return server;
    }

    private boolean is(String bootId, long seq) {
      return record != null
          ? record.seq() == seq && record.bootId().equals(bootId)
          : json.getLong("seq", -1L) == seq && bootId.equals(json.getString("boot_id"));
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
