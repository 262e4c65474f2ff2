package dev.trainwatch.launcher;

import dev.trainwatch.alerts.AlertsVerticle;
import dev.trainwatch.bus.RecordCodec;
import dev.trainwatch.collector.CollectorVerticle;
import dev.trainwatch.gateway.GatewayVerticle;
import dev.trainwatch.history.HistoryVerticle;
import dev.trainwatch.history.PgSettings;
import dev.trainwatch.ingest.IngestRoutes;
import dev.trainwatch.ingest.IngestVerticle;
import dev.trainwatch.rates.RatesVerticle;
import io.vertx.core.Deployable;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Deploys the verticles of the given roles in dependency order (storage before the stages that need
 * it, the collector last so its first sample finds every consumer) and undeploys them in reverse.
 */
public final class Stack {
  private final Vertx vertx;
  private final List<String> deployments = new ArrayList<>();
  private GatewayVerticle gateway;
  private IngestVerticle ingest;

  private Stack(Vertx vertx) {
    this.vertx = vertx;
  }

  /** {@code pgUrl} is required when the roles include history. */
  public static Future<Stack> deploy(
      Vertx vertx, JsonObject config, Set<Role> roles, String pgUrl) {
    Stack s = new Stack(vertx);
    Set<Role> r = Role.expand(roles);
    // Once per Vert.x instance, whatever the roles: a node running only history must decode the
    // records a rates node
    // sends it, and the collector's samples travel as records too.
    RecordCodec.registerAll(vertx);
    Future<Void> chain = Future.succeededFuture();
    if (r.contains(Role.HISTORY)) {
      JsonObject c =
          config
              .getJsonObject("history")
              .copy()
              .put("pg_url", pgUrl)
              .put("pool_size", config.getJsonObject("pg").getInteger("pool_size"));
      chain = chain.compose(v -> s.add(new HistoryVerticle(), c));
    }
    if (r.contains(Role.RATES)) {
      JsonObject c = config.getJsonObject("rates").copy();
      chain = chain.compose(v -> s.add(new RatesVerticle(), c));
    }
    // Ingest refuses samples older than raw history keeps (docs/configuration.md,
    // history.raw_retention_days).
    JsonObject ingest =
        config
            .getJsonObject("ingest")
            .copy()
            .put(
                "raw_retention_days",
                config.getJsonObject("history").getInteger("raw_retention_days"));
    // ingest.port set: ingest gets a listener of its own, so agents can reach it while the
    // dashboard stays local.
    boolean ownListener = ingest.getValue("port") != null;
    if (r.contains(Role.INGEST) && (!r.contains(Role.GATEWAY) || ownListener)) {
      JsonObject http = config.getJsonObject("http").copy();
      if (ownListener) {
        http.put(
                "host",
                ingest.getString("host") != null
                    ? ingest.getString("host")
                    : http.getString("host"))
            .put("port", ingest.getInteger("port"));
      }
      JsonObject c = ingest.put("http", http);
      s.ingest = new IngestVerticle();
      chain = chain.compose(v -> s.add(s.ingest, c));
    }
    if (r.contains(Role.GATEWAY)) {
      // Co-located ingest without a listener of its own shares the gateway's port: one URL for
      // agents and browsers.
      s.gateway =
          new GatewayVerticle(
              r.contains(Role.INGEST) && !ownListener
                  ? List.of((vx, router) -> IngestRoutes.mount(vx, router, ingest))
                  : List.of());
      JsonObject c =
          config
              .getJsonObject("gateway")
              .copy()
              .put("http", config.getJsonObject("http"))
              .put("auth", config.getJsonObject("auth"))
              .put("public", publicConfig(config, r))
              .put("collector_server", config.getJsonObject("collector").getString("server"));
      chain = chain.compose(v -> s.add(s.gateway, c));
    }
    // After history (the alert tables are its migrations) and after the data path has its event
    // loops: deployed
    // second, it moved rates and the gateway onto other loops and cost a quarter of ingest
    // throughput
    // (docs/benchmarks.md). Before the collector, so the first local sample (and an XID in it) is
    // judged.
    // Skipped when alerts.enabled is false.
    if (r.contains(Role.ALERTS) && config.getJsonObject("alerts").getBoolean("enabled")) {
      if (pgUrl == null) {
        return Future.failedFuture(
            new ConfigException(
                "pg.url",
                "is required by the alerts role in a process without the history role (and its embedded Postgres)"));
      }
      JsonObject c =
          config
              .getJsonObject("alerts")
              .copy()
              .put("pg_connect", PgSettings.fromUrl(pgUrl).connectOptions().toJson());
      chain = chain.compose(v -> s.add(new AlertsVerticle(), c));
    }
    if (r.contains(Role.COLLECTOR)) {
      JsonObject c = config.getJsonObject("collector").copy();
      chain = chain.compose(v -> s.add(new CollectorVerticle(), c));
    }
    return chain.map(s);
  }

  /** What {@code /api/config} may show: no URLs with credentials, no tokens. */
  private static JsonObject publicConfig(JsonObject config, Set<Role> roles) {
    return new JsonObject()
        .put("version", Version.get())
        .put("roles", roles.stream().map(x -> x.name().toLowerCase(Locale.ROOT)).sorted().toList())
        .put("auth_mode", config.getJsonObject("auth").getString("mode"))
        .put("sampling_interval_ms", config.getJsonObject("collector").getInteger("interval_ms"))
        .put(
            "bottleneck_window_ms",
            config.getJsonObject("rates").getInteger("bottleneck_window_ms"));
  }

  private Future<Void> add(Deployable verticle, JsonObject config) {
    return vertx
        .deployVerticle(verticle, new DeploymentOptions().setConfig(config))
        .map(
            id -> {
              deployments.add(id);
              return null;
            });
  }

  /** The HTTP port actually bound, or -1 without the gateway role. */
  public int httpPort() {
    return gateway == null ? -1 : gateway.actualPort();
  }

  /**
   * The port of ingest's own listener, or -1 when it has none (shared with the gateway, or not
   * deployed).
   */
  public int ingestPort() {
    return ingest == null ? -1 : ingest.actualPort();
  }

  public Future<Void> undeploy() {
    List<String> ids = new ArrayList<>(deployments);
    Collections.reverse(ids);
    Future<Void> chain = Future.succeededFuture();
    for (String id : ids) {
      chain = chain.compose(v -> vertx.undeploy(id).recover(e -> Future.succeededFuture()));
    }
    return chain.onComplete(v -> deployments.clear());
  }
}
