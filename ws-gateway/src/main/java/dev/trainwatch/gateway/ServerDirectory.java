package dev.trainwatch.gateway;

import dev.trainwatch.bus.Addresses;
import dev.trainwatch.bus.ServerInfo;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * The registry as the gateway sees it, asked of the history verticle and reused for {@link #TTL_MS}
 * so dashboards polling many endpoints cost one query. Event-loop confined.
 */
final class ServerDirectory {
  static final long TTL_MS = 2_000;
  private static final DeliveryOptions ASK = new DeliveryOptions().setSendTimeout(3_000);

  private final Vertx vertx;
  private Future<List<ServerInfo>> cached;
  private long cachedAtMs;

  ServerDirectory(Vertx vertx) {
    this.vertx = vertx;
  }

  Future<List<ServerInfo>> servers() {
    long now = System.currentTimeMillis();
    if (cached != null && now - cachedAtMs < TTL_MS && !cached.failed()) {
      return cached;
    }
    cachedAtMs = now;
    cached =
        vertx
            .eventBus()
            .<JsonObject>request(Addresses.SERVERS_LIST, new JsonObject(), ASK)
            .map(
                m -> {
                  JsonArray a = m.body().getJsonArray("servers");
                  List<ServerInfo> out = new ArrayList<>(a.size());
                  for (int i = 0; i < a.size(); i++) {
                    out.add(ServerInfo.fromJson(a.getJsonObject(i)));
                  }
                  return out;
                });
    return cached;
  }

  /** Forget the cached list (a server was registered or changed). */
  void invalidate() {
    cached = null;
  }
}
