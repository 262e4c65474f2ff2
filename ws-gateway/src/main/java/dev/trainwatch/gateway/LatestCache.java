package dev.trainwatch.gateway;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.vertx.core.json.JsonObject;
import java.time.Duration;

/**
 * The newest derived snapshot per server, fed by the bus; "latest" reads never touch Postgres. Bounded in size, and
 * a server silent for a day drops out.
 */
public final class LatestCache {
  private final Cache<String, JsonObject> latest = Caffeine.newBuilder().maximumSize(100_000)
      .expireAfterWrite(Duration.ofDays(1)).build();

  public void put(String server, JsonObject derived) {
    latest.put(server, derived);
  }

  public JsonObject get(String server) {
    return latest.getIfPresent(server);
  }

  public long size() {
    return latest.estimatedSize();
  }

  public java.util.Map<String, JsonObject> all() {
    return latest.asMap();
  }
}
