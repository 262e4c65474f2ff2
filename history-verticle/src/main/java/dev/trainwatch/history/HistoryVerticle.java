package dev.trainwatch.history;

import dev.trainwatch.bus.Addresses;
import dev.trainwatch.bus.FailureCode;
import dev.trainwatch.bus.HistoryQuery;
import dev.trainwatch.bus.InvalidPayloadException;
import dev.trainwatch.bus.derived.DerivedSnapshot;
import dev.trainwatch.bus.raw.SampleAck;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.pubsub.PgSubscriber;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns Postgres: applies migrations, stores derived snapshots (acknowledging only after commit), answers history
 * and registry queries. Config (the {@code history} section plus {@code pg_url}): {@code pool_size},
 * {@code batch_max}, {@code flush_ms}, {@code buffer_max}.
 */
public final class HistoryVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(HistoryVerticle.class);

  /** The Postgres NOTIFY channel the admin CLI signals registry changes on. */
  public static final String REGISTRY_CHANNEL = "trainwatch_registry";

  private Pool pool;
  private PgSubscriber subscriber;
  private WorkerExecutor jdbc;
  private SnapshotWriter writer;
  private HistoryQueries queries;

  @Override
  public Future<?> start() {
    PgSettings pg;
    try {
      pg = PgSettings.fromUrl(config().getString("pg_url", ""));
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(new IllegalArgumentException("pg.url " + e.getMessage()));
    }
    jdbc = vertx.createSharedWorkerExecutor("trainwatch-history-jdbc", 1);
    return jdbc.executeBlocking(() -> Migrations.apply(pg)).compose(result -> {
      LOG.info("schema at version {} on {} ({} migrations applied now)",
          result.targetSchemaVersion != null ? result.targetSchemaVersion : result.initialSchemaVersion, pg,
          result.migrationsExecuted);
      pool = PgBuilder.pool().with(new PoolOptions().setMaxSize(config().getInteger("pool_size", 4)))
          .connectingTo(pg.connectOptions()).using(vertx).build();
      writer = new SnapshotWriter(vertx, pool, config().getInteger("batch_max", 500),
          config().getLong("flush_ms", 50L), config().getInteger("buffer_max", 20_000));
      queries = new HistoryQueries(pool);
      var bus = vertx.eventBus();
      return Future.all(
          bus.<JsonObject>consumer(Addresses.HISTORY_STORE, this::store).completion(),
          bus.<JsonObject>consumer(Addresses.HISTORY_QUERY, this::query).completion(),
          bus.<JsonObject>consumer(Addresses.SERVERS_LIST, this::listServers).completion(),
          bus.<JsonObject>consumer(Addresses.REGISTRY_AUTH, new RegistryAuth(pool)::handle).completion(),
          listenForRegistryChanges(pg));
    });
  }

  /**
   * The admin CLI may run in another process; it NOTIFYs {@code trainwatch_registry} after each change and we relay
   * that on the bus so token caches and server lists drop stale entries at once.
   */
  private Future<Void> listenForRegistryChanges(PgSettings pg) {
    subscriber = PgSubscriber.subscriber(vertx, pg.connectOptions()).reconnectPolicy(retries -> 1_000L);
    subscriber.channel(REGISTRY_CHANNEL).handler(slug ->
        vertx.eventBus().publish(Addresses.REGISTRY_CHANGED, new JsonObject().put("slug", slug)));
    return subscriber.connect();
  }

  private void store(Message<JsonObject> msg) {
    DerivedSnapshot s;
    try {
      s = DerivedSnapshot.fromJson(msg.body());
    } catch (InvalidPayloadException e) {
      msg.fail(FailureCode.INVALID_PAYLOAD.busCode(), e.getMessage());
      return;
    }
    writer.write(s).onComplete(ar -> {
      if (ar.succeeded()) {
        msg.reply(new SampleAck(!ar.result()).toJson());
      } else {
        FailureCode code = FailureCode.of(ar.cause());
        msg.fail(code.busCode(), ar.cause().getMessage());
      }
    });
  }

  private void query(Message<JsonObject> msg) {
    HistoryQuery q;
    try {
      q = HistoryQuery.fromJson(msg.body());
    } catch (InvalidPayloadException e) {
      msg.fail(FailureCode.INVALID_QUERY.busCode(), e.getMessage());
      return;
    }
    queries.query(q).onComplete(ar -> reply(msg, ar.succeeded() ? ar.result() : null, ar.cause()));
  }

  private void listServers(Message<JsonObject> msg) {
    pool.query(RegistryRows.LIST).execute().onComplete(ar -> {
      if (ar.failed()) {
        reply(msg, null, ar.cause());
        return;
      }
      Instant now = Instant.now();
      JsonArray servers = new JsonArray();
      ar.result().forEach(r -> servers.add(RegistryRows.server(r).toJson(now)));
      msg.reply(new JsonObject().put("servers", servers));
    });
  }

  private static void reply(Message<JsonObject> msg, JsonObject body, Throwable failure) {
    if (failure == null) {
      msg.reply(body);
    } else {
      LOG.warn("history query failed: {}", failure.toString());
      msg.fail(FailureCode.UNAVAILABLE.busCode(), "storage unavailable");
    }
  }

  @Override
  public Future<?> stop() {
    Future<Void> closed = (subscriber == null ? Future.<Void>succeededFuture() : subscriber.close())
        .eventually(() -> pool == null ? Future.succeededFuture() : pool.close());
    return closed.eventually(() -> jdbc == null ? Future.succeededFuture() : jdbc.close());
  }

  /** Exposed for self-metrics. */
  public int queuedWrites() {
    return writer == null ? 0 : writer.queued();
  }

}
