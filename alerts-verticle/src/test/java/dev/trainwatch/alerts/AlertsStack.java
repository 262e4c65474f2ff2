package dev.trainwatch.alerts;

import dev.trainwatch.bus.Addresses;
import dev.trainwatch.bus.Json;
import dev.trainwatch.bus.derived.DerivedSnapshot;
import dev.trainwatch.history.HistoryVerticle;
import dev.trainwatch.history.PgSettings;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/**
 * A real Postgres with history's schema (history deployed, as in production: it migrates and
 * answers the server list), and alerts verticles deployed on it as tests need them.
 */
final class AlertsStack implements AutoCloseable {
  final EmbeddedPostgres pg;
  final Vertx vertx;
  final String historyId;

  AlertsStack() throws Exception {
    pg = EmbeddedPostgres.builder().start();
    vertx = Vertx.vertx();
    historyId =
        vertx
            .deployVerticle(
                new HistoryVerticle(),
                new DeploymentOptions()
                    .setConfig(new JsonObject().put("pg_url", url()).put("flush_ms", 0)))
            .await(60, TimeUnit.SECONDS);
  }

  String url() {
    return "postgresql://postgres@127.0.0.1:" + pg.getPort() + "/postgres";
  }

  record Deployed(String id, AlertsVerticle verticle) {}

  /**
   * An alerts verticle with quick timers, {@code extra} merged over its config; waits until it
   * evaluates.
   */
  Deployed deploy(JsonObject extra, boolean waitForLead) throws Exception {
    JsonObject config =
        new JsonObject()
            .put("tick_ms", 100)
            .put("leader_retry_ms", 200)
            .put("pg_connect", PgSettings.fromUrl(url()).connectOptions().toJson())
            .put(
                "notify",
                new JsonObject()
                    .put("min_interval_s", 0)
                    .put("max_attempts", 3)
                    .put("retry_base_ms", 50));
    config.mergeIn(extra, true);
    AlertsVerticle v = new AlertsVerticle();
    String id =
        vertx
            .deployVerticle(v, new DeploymentOptions().setConfig(config))
            .await(30, TimeUnit.SECONDS);
    if (waitForLead) {
      until(v::evaluating).await(30, TimeUnit.SECONDS);
    }
    return new Deployed(id, v);
  }

  /** Completes once {@code condition} holds, checked every 20 ms on a timer (never by sleeping). */
  Future<Void> until(BooleanSupplier condition) {
    Promise<Void> p = Promise.promise();
    vertx.setPeriodic(
        1,
        20,
        id -> {
          if (condition.getAsBoolean()) {
            vertx.cancelTimer(id);
            p.tryComplete();
          }
        });
    return p.future();
  }

  /** As rates would after a store: one derived snapshot on the bus. */
  void derived(JsonObject snapshot) {
    vertx.eventBus().publish(Addresses.DERIVED, DerivedSnapshot.fromJson(snapshot).toJson());
  }

  static JsonObject xid(String server, long seq, long xid, Instant ts) {
    return new JsonObject()
        .put("server", server)
        .put("ts", Json.ts(ts))
        .put("boot_id", "b")
        .put("seq", seq)
        .put(
            "gpus",
            new JsonArray()
                .add(
                    new JsonObject()
                        .put("index", 0)
                        .put(
                            "xid_events",
                            new JsonArray()
                                .add(new JsonObject().put("xid", xid).put("ts", Json.ts(ts))))));
  }

  static JsonObject temperature(String server, long seq, double c, Instant ts) {
    return new JsonObject()
        .put("server", server)
        .put("ts", Json.ts(ts))
        .put("boot_id", "b")
        .put("seq", seq)
        .put("gpus", new JsonArray().add(new JsonObject().put("index", 0).put("temperature", c)));
  }

  JsonObject api(JsonObject ask) throws Exception {
    return vertx
        .eventBus()
        .<JsonObject>request(Addresses.ALERTS_API, ask)
        .await(10, TimeUnit.SECONDS)
        .body();
  }

  /** Asks again (every 50 ms) until the answer passes {@code done}. */
  JsonObject apiUntil(JsonObject ask, Predicate<JsonObject> done) throws Exception {
    Promise<JsonObject> p = Promise.promise();
    vertx.setPeriodic(
        1,
        50,
        id ->
            vertx
                .eventBus()
                .<JsonObject>request(Addresses.ALERTS_API, ask)
                .onSuccess(
                    m -> {
                      if (done.test(m.body()) && p.tryComplete(m.body())) {
                        vertx.cancelTimer(id);
                      }
                    }));
    return p.future().await(30, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws Exception {
    vertx.close().await(30, TimeUnit.SECONDS);
    pg.close();
  }
}
