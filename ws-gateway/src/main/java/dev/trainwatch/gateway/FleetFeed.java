package dev.trainwatch.gateway;

import dev.trainwatch.bus.Addresses;
import dev.trainwatch.bus.HttpErrors;
import dev.trainwatch.bus.Json;
import dev.trainwatch.bus.ServerInfo;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fleet at a glance (CONTRACT §2 {@code GET /api/fleet}, §3 channel {@code fleet}): one summary
 * per server, and for live subscribers at most one frame a second holding only the servers that
 * changed since the last one (a new snapshot, a status that aged from online to stale, an alert
 * that started or stopped firing). A fleet view holds one subscription however many servers there
 * are. Event-loop confined (the gateway's).
 */
final class FleetFeed {
  private static final Logger LOG = LoggerFactory.getLogger(FleetFeed.class);
  static final long TICK_MS = 1_000;
  private static final DeliveryOptions ASK = new DeliveryOptions().setSendTimeout(10_000);

  private final Vertx vertx;
  private final LatestCache latest;
  private final ServerDirectory directory;

  /**
   * Firing alert ids per server: counts stay right whatever order changes and acknowledgements
   * arrive in.
   */
  private final Map<String, Set<String>> firing = new HashMap<>();

  private final Set<String> dirty = new HashSet<>();
  private final Map<String, String> lastStatus = new HashMap<>();

  /**
   * Numbers the delta frames: a client that sees one missing (a slow socket keeps only the newest)
   * reads it all.
   */
  private long seq;

  private boolean ticking;
  private long timer = -1;

  FleetFeed(Vertx vertx, LatestCache latest, ServerDirectory directory) {
    this.vertx = vertx;
    this.latest = latest;
    this.directory = directory;
  }

  /** Seeds the firing counts; without an alerts verticle (alerts disabled) they stay 0. */
  void start(ChannelHub hub) {
    vertx
        .eventBus()
        .<JsonObject>request(Addresses.ALERTS_API, new JsonObject().put("op", "firing"), ASK)
        .onSuccess(
            m ->
                m.body()
                    .getJsonArray("firing", new JsonArray())
                    .forEach(
                        o -> {
                          JsonObject a = (JsonObject) o;
                          firing
                              .computeIfAbsent(a.getString("server"), k -> new HashSet<>())
                              .add(a.getString("id"));
                        }))
        .onFailure(e -> LOG.debug("firing alerts not loaded for the fleet view: {}", e.toString()));
    timer = vertx.setPeriodic(TICK_MS, id -> tick(hub));
  }

  /** {@code GET /api/fleet} (with and without the trailing slash), for anyone who may view. */
  void mount(Router r) {
    for (String path : new String[] {"/api/fleet", "/api/fleet/"}) {
      r.get(path)
          .handler(
              ctx ->
                  fleet()
                      .onSuccess(
                          doc ->
                              ctx.response()
                                  .putHeader("content-type", "application/json; charset=utf-8")
                                  .end(doc.encode()))
                      .onFailure(e -> HttpErrors.sendFailure(ctx.response(), e)));
    }
  }

  void stop() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
  }

  void snapshot(String server) {
    dirty.add(server);
  }

  void alertChanged(JsonObject alert) {
    String server = alert.getString("server");
    String id = alert.getString("id");
    if (server == null || id == null) {
      return;
    }
    Set<String> ids = firing.computeIfAbsent(server, k -> new HashSet<>());
    boolean changed = "firing".equals(alert.getString("state")) ? ids.add(id) : ids.remove(id);
    if (ids.isEmpty()) {
      firing.remove(server);
    }
    if (changed) {
      dirty.add(server);
    }
  }

  /** Every server, as {@code GET /api/fleet} answers and a new fleet subscriber first receives. */
  Future<JsonObject> fleet() {
    return directory
        .servers()
        .map(
            list -> {
              Instant now = Instant.now();
              // What a subscriber now holds: a status that has not changed since is not news.
              list.forEach(s -> lastStatus.put(s.slug(), FleetSummary.status(s, now)));
              return document(list, null, now).put("seq", seq).put("full", true);
            });
  }

  private JsonObject document(List<ServerInfo> list, Set<String> only, Instant now) {
    JsonArray servers = new JsonArray();
    for (ServerInfo s : list) {
      if (only == null || only.contains(s.slug())) {
        servers.add(
            FleetSummary.of(
                s, latest.get(s.slug()), firing.getOrDefault(s.slug(), Set.of()).size(), now));
      }
    }
    return new JsonObject().put("ts", Json.ts(now)).put("servers", servers);
  }

  private void tick(ChannelHub hub) {
    if (ticking) {
      return;
    }
    if (!hub.hasFleetSubscribers()) {
      // Nobody to tell: a new subscriber starts from the whole fleet anyway.
      dirty.clear();
      lastStatus.clear();
      return;
    }
    ticking = true;
    // Taken now: a change that lands while the registry is being read waits for the next frame,
    // which reads it.
    Set<String> changed = new HashSet<>(dirty);
    dirty.clear();
    directory
        .servers()
        .onComplete(
            ar -> {
              ticking = false;
              if (ar.failed()) {
                dirty.addAll(changed);
                return;
              }
              Instant now = Instant.now();
              for (ServerInfo s : ar.result()) {
                String status = FleetSummary.status(s, now);
                String before = lastStatus.put(s.slug(), status);
                // A server not told before is news only through its own change (registered,
                // reported): it is in dirty.
                if (before != null && !before.equals(status)) {
                  changed.add(s.slug());
                }
              }
              if (!changed.isEmpty()) {
                hub.publishFleet(
                    document(ar.result(), changed, now).put("seq", ++seq).put("full", false));
              }
            });
  }
}
