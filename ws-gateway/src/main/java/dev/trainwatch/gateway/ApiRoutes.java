package dev.trainwatch.gateway;

import dev.trainwatch.bus.Addresses;
import dev.trainwatch.bus.FailureCode;
import dev.trainwatch.bus.HistoryQuery;
import dev.trainwatch.bus.HttpErrors;
import dev.trainwatch.bus.InvalidPayloadException;
import dev.trainwatch.bus.ServerInfo;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The dashboard's HTTP reads (CONTRACT.md §2). "Latest" comes from the in-memory cache; history
 * from the bus.
 */
final class ApiRoutes {
  static final String LOCAL = "local";
  private static final DeliveryOptions HISTORY_ASK = new DeliveryOptions().setSendTimeout(15_000);

  private final Vertx vertx;
  private final LatestCache latest;
  private final ServerDirectory directory;
  private final JsonObject publicConfig;
  private final String collectorServer;

  /**
   * The status the collector named {@link #collectorServer} last published, wherever in the cluster
   * it runs.
   */
  private JsonObject collector;

  ApiRoutes(
      Vertx vertx,
      LatestCache latest,
      ServerDirectory directory,
      JsonObject publicConfig,
      String collectorServer) {
    this.vertx = vertx;
    this.latest = latest;
    this.directory = directory;
    this.publicConfig = publicConfig;
    this.collectorServer = collectorServer;
  }

  void mount(Router r) {
    vertx
        .eventBus()
        .<JsonObject>consumer(
            Addresses.COLLECTOR_STATUS,
            m -> {
              if (collectorServer.equals(m.body().getString("server"))) {
                collector = m.body().containsKey("stopped") ? null : m.body();
              }
            })
        .completion()
        .onSuccess(v -> vertx.eventBus().publish(Addresses.COLLECTOR_STATUS_ASK, new JsonObject()));
    get(r, "/api/health", this::health);
    get(r, "/api/config", this::config);
    get(r, "/api/servers", this::servers);
    get(r, "/api/metrics/latest", ctx -> latest(ctx, requiredServer(ctx)));
    get(
        r,
        "/api/metrics/history",
        ctx -> history(ctx, Future.succeededFuture(requiredServer(ctx))));
    get(
        r,
        "/api/v1/system/metrics",
        ctx -> defaultServer(ctx).onSuccess(s -> latest(ctx, s)).onFailure(e -> fail(ctx, e)));
    get(r, "/api/v1/system/history", ctx -> history(ctx, defaultServer(ctx)));
    get(
        r,
        "/api/v1/system/gpu",
        ctx -> defaultServer(ctx).onSuccess(s -> gpu(ctx, s)).onFailure(e -> fail(ctx, e)));
  }

  /** CONTRACT.md: every path works with and without a trailing slash. */
  private static void get(Router r, String path, Handler<RoutingContext> h) {
    r.get(path).handler(ctx -> guard(ctx, h));
    r.get(path + "/").handler(ctx -> guard(ctx, h));
  }

  private static void guard(RoutingContext ctx, Handler<RoutingContext> h) {
    try {
      h.handle(ctx);
    } catch (InvalidPayloadException e) {
      HttpErrors.send(ctx.response(), FailureCode.INVALID_QUERY, e.reason(), e.field());
    }
  }

  private void health(RoutingContext ctx) {
    directory
        .servers()
        .onComplete(
            ar -> {
              if (ar.succeeded()) {
                json(ctx, new JsonObject().put("status", "ok").put("servers", ar.result().size()));
              } else {
                HttpErrors.send(
                    ctx.response(), FailureCode.UNAVAILABLE, "storage is not reachable", null);
              }
            });
  }

  private void config(RoutingContext ctx) {
    JsonObject c = publicConfig.copy();
    JsonObject status = collector;
    if (status != null) {
      c.put(
          "collector",
          new JsonObject()
              .put("gpu_provider", status.getString("gpu_provider"))
              .put("gpu_reason", status.getString("gpu_reason")));
    }
    json(ctx, c);
  }

  private void servers(RoutingContext ctx) {
    directory
        .servers()
        .onSuccess(
            list -> {
              Instant now = Instant.now();
              JsonArray a = new JsonArray();
              list.forEach(s -> a.add(s.toJson(now)));
              ctx.response()
                  .putHeader("content-type", "application/json; charset=utf-8")
                  .end(a.encode());
            })
        .onFailure(e -> fail(ctx, e));
  }

  private void latest(RoutingContext ctx, String server) {
    JsonObject snap = latest.get(server);
    if (snap != null) {
      json(ctx, snap);
      return;
    }
    directory
        .servers()
        .onSuccess(
            list -> {
              Optional<ServerInfo> s = find(list, server);
              if (s.isEmpty()) {
                HttpErrors.send(
                    ctx.response(),
                    FailureCode.UNKNOWN_SERVER,
                    "no server with slug '" + server + "'",
                    "server");
              } else if (s.get().lastSeenAt() == null) {
                noData(ctx, s.get());
              } else {
                lastStored(ctx, s.get());
              }
            })
        .onFailure(e -> fail(ctx, e));
  }

  private static void noData(RoutingContext ctx, ServerInfo s) {
    HttpErrors.send(
        ctx.response(),
        FailureCode.NO_DATA,
        HttpErrors.body(FailureCode.NO_DATA, "no snapshot from this server yet", null)
            .put("server", s.toJson(Instant.now())));
  }

  /**
   * Not in the live cache (the gateway restarted, the server is offline): its last stored point
   * instead, from the minutes around when it was last seen (agent clocks may run up to 10 min
   * ahead). Marked {@code "stored": true}: live-only fields (processes, clock reasons, XIDs,
   * bottleneck reasons) are not in storage.
   */
  private void lastStored(RoutingContext ctx, ServerInfo s) {
    Instant seen = s.lastSeenAt();
    HistoryQuery q =
        new HistoryQuery(
            s.slug(), seen.minus(Duration.ofMinutes(10)), seen.plus(Duration.ofMinutes(10)), 1);
    vertx
        .eventBus()
        .<Object>request(Addresses.HISTORY_QUERY, q.toJson(), HISTORY_ASK)
        .onSuccess(
            m -> {
              JsonObject doc =
                  m.body() instanceof Buffer b ? new JsonObject(b) : (JsonObject) m.body();
              JsonArray points = doc.getJsonArray("points", new JsonArray());
              if (points.isEmpty()) {
                noData(ctx, s);
              } else {
                json(
                    ctx,
                    points
                        .getJsonObject(points.size() - 1)
                        .copy()
                        .put("server", s.slug())
                        .put("stored", true));
              }
            })
        .onFailure(e -> noData(ctx, s));
  }

  private void gpu(RoutingContext ctx, String server) {
    JsonObject snap = latest.get(server);
    if (snap == null) {
      latest(ctx, server);
      return;
    }
    JsonObject out =
        new JsonObject()
            .put("server", server)
            .put("ts", snap.getString("ts"))
            .put("gpus", snap.getJsonArray("gpus", new JsonArray()));
    for (String k :
        List.of("gpu_util_max", "gpu_util_avg", "gpu_memory_used", "gpu_memory_total")) {
      if (snap.containsKey(k)) {
        out.put(k, snap.getValue(k));
      }
    }
    json(ctx, out);
  }

  /**
   * History answers with the document already encoded (a {@link Buffer}), which becomes the body as
   * it is: no JsonObject tree of ~720 points to copy on the bus and encode again. A JsonObject
   * reply is still accepted.
   */
  private void history(RoutingContext ctx, Future<String> server) {
    server
        .compose(
            s -> {
              HistoryQuery q = HistoryParams.parse(ctx.queryParams(), s, Instant.now());
              return vertx
                  .eventBus()
                  .<Object>request(Addresses.HISTORY_QUERY, q.toJson(), HISTORY_ASK);
            })
        .onSuccess(
            m -> {
              if (m.body() instanceof Buffer encoded) {
                ctx.response()
                    .putHeader("content-type", "application/json; charset=utf-8")
                    .end(encoded);
              } else {
                json(ctx, (JsonObject) m.body());
              }
            })
        .onFailure(e -> fail(ctx, e));
  }

  /** {@code ?server=} if given, else {@code local} if known, else the first registered server. */
  private Future<String> defaultServer(RoutingContext ctx) {
    String s = ctx.queryParams().get("server");
    if (s != null) {
      return Future.succeededFuture(checkSlug(s));
    }
    if (latest.contains(LOCAL)) {
      return Future.succeededFuture(LOCAL);
    }
    return directory
        .servers()
        .map(
            list ->
                find(list, LOCAL)
                    .or(() -> list.stream().findFirst())
                    .map(ServerInfo::slug)
                    .orElseThrow(
                        () -> FailureCode.NO_DATA.exception("no server has reported yet")));
  }

  private static String requiredServer(RoutingContext ctx) {
    String s = ctx.queryParams().get("server");
    if (s == null || s.isEmpty()) {
      throw new InvalidPayloadException("server", "is required (a server slug)");
    }
    return checkSlug(s);
  }

  private static String checkSlug(String s) {
    if (s.length() > 64) {
      throw new InvalidPayloadException("server", "is longer than 64 characters");
    }
    return s;
  }

  private static Optional<ServerInfo> find(List<ServerInfo> list, String slug) {
    return list.stream().filter(s -> s.slug().equals(slug)).findFirst();
  }

  private static void fail(RoutingContext ctx, Throwable e) {
    if (e instanceof InvalidPayloadException ip) {
      HttpErrors.send(ctx.response(), FailureCode.INVALID_QUERY, ip.reason(), ip.field());
      return;
    }
    HttpErrors.sendFailure(ctx.response(), e);
  }

  private static void json(RoutingContext ctx, JsonObject body) {
    ctx.response().putHeader("content-type", "application/json; charset=utf-8").end(body.encode());
  }
}
