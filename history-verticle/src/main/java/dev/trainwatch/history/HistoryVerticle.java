package dev.trainwatch.history;

import dev.trainwatch.bus.Addresses;
import dev.trainwatch.bus.FailureCode;
import dev.trainwatch.bus.HistoryQuery;
import dev.trainwatch.bus.InvalidPayloadException;
import dev.trainwatch.bus.RecordCodec;
import dev.trainwatch.bus.Tokens;
import dev.trainwatch.bus.derived.DerivedSnapshot;
import dev.trainwatch.bus.owners.Heartbeat;
import dev.trainwatch.bus.owners.Owned;
import dev.trainwatch.bus.raw.SampleAck;
import dev.trainwatch.history.maintenance.Maintenance;
import dev.trainwatch.history.query.HistoryQueries;
import dev.trainwatch.history.registry.AccessConsumers;
import dev.trainwatch.history.registry.AccessStore;
import dev.trainwatch.history.registry.RegistryAuth;
import dev.trainwatch.history.registry.RegistryListener;
import dev.trainwatch.history.registry.RegistryRows;
import dev.trainwatch.history.registry.RegistryStore;
import dev.trainwatch.history.write.SnapshotWriter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Metrics;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns Postgres: applies migrations, stores derived snapshots (acknowledging only after commit),
 * downsamples them hourly, applies retention, answers history and registry queries. Config (the
 * {@code history} section plus {@code pg_url}): {@code pool_size}, {@code batch_max}, {@code
 * flush_ms}, {@code buffer_max}, {@code retry_ms}, {@code write_deadline_ms}, {@code
 * write_stuck_ms}, {@code raw_retention_days}, {@code hourly_retention_days}, {@code
 * maintenance_ms}. docs/history.md has the design.
 */
public final class HistoryVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(HistoryVerticle.class);

  /** The Postgres NOTIFY channel the admin CLI signals registry changes on. */
  private Pool pool;

  /**
   * Token checks, sign-ins and registry changes have a pool of their own: a burst of dashboard
   * history queries must not make every agent and browser wait (or time out) behind it (issue 13).
   */
  private Pool authPool;

  /**
   * Queries waiting for a connection beyond this fail at once (503, retried) instead of queueing
   * without bound.
   */
  static final int MAX_WAITING_QUERIES = 512;

  private RegistryListener registryListener;
  private WorkerExecutor jdbc;
  private SnapshotWriter writer;
  private HistoryQueries queries;
  private Maintenance maintenance;
  private long maintenanceTimer = -1;
  private long retentionAt;
  private boolean maintaining;

  /** This node's id among the history nodes (rates routes each server's stores to one of them). */
  private final String node = Tokens.secret(9);

  private Heartbeat heartbeat;

  @Override
  public Future<?> start() {
    PgSettings pg;
    try {
      pg = PgSettings.fromUrl(config().getString("pg_url", ""));
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(new IllegalArgumentException("pg.url " + e.getMessage()));
    }
    jdbc = vertx.createSharedWorkerExecutor("trainwatch-history-jdbc", 1);
    return jdbc.executeBlocking(() -> Migrations.apply(pg))
        .compose(
            result -> {
              LOG.info(
                  "schema at version {} on {} ({} migrations applied now)",
                  result.targetSchemaVersion != null
                      ? result.targetSchemaVersion
                      : result.initialSchemaVersion,
                  pg,
                  result.migrationsExecuted);
              authPool =
                  PgBuilder.pool()
                      .with(
                          new PoolOptions().setMaxSize(2).setMaxWaitQueueSize(MAX_WAITING_QUERIES))
                      .connectingTo(pg.connectOptions())
                      .using(vertx)
                      .build();
              pool =
                  PgBuilder.pool()
                      .with(
                          new PoolOptions()
                              .setMaxSize(config().getInteger("pool_size", 4))
                              .setMaxWaitQueueSize(MAX_WAITING_QUERIES))
                      .connectingTo(pg.connectOptions())
                      .using(vertx)
                      .build();
              writer =
                  new SnapshotWriter(
                      vertx,
                      () ->
                          PgBuilder.pool()
                              .with(new PoolOptions().setMaxSize(1))
                              .connectingTo(pg.connectOptions())
                              .using(vertx)
                              .build(),
                      new SnapshotWriter.Settings(
                          config().getInteger("batch_max", 500),
                          Math.min(250L, config().getLong("flush_ms", 0L)),
                          config().getInteger("buffer_max", 20_000),
                          config().getLong("retry_ms", 250L),
                          config().getLong("write_deadline_ms", 1_500L),
                          config().getLong("write_stuck_ms", 10_000L),
                          // Clustered, other history nodes may write the same servers.
                          vertx.isClustered()));
              FunctionCounter.builder(
                      "trainwatch.history.write.abandoned",
                      SnapshotWriter.ABANDONED,
                      AtomicLong::get)
                  .description(
                      "Transactions Postgres did not finish in write_stuck_ms, given up with their connection")
                  .register(Metrics.globalRegistry);
              Gauge.builder("trainwatch.history.write.queue", this, HistoryVerticle::queuedWrites)
                  .description(
                      "Snapshots waiting to be committed (the bounded buffer; 503 when full)")
                  .register(Metrics.globalRegistry);
              queries = new HistoryQueries(pool, config().getInteger("query_parallelism", 4));
              maintenance =
                  new Maintenance(
                      pool,
                      writer,
                      config().getInteger("raw_retention_days", 7),
                      config().getInteger("hourly_retention_days", 400));
              long every = config().getLong("maintenance_ms", 60_000L);
              maintenanceTimer = vertx.setPeriodic(every, every, id -> maintain());
              var bus = vertx.eventBus();
              // Idempotent: the launcher registers once per Vert.x instance; a history deployed on
              // its own (tests) needs it too.
              RecordCodec.registerAll(vertx);
              return Future.all(
                      List.of(
                          bus.<Object>consumer(Addresses.HISTORY_STORE, this::store).completion(),
                          // Rates nodes send each server's stores here when this node owns the
                          // server (one writer per server).
                          bus.<Object>consumer(Owned.HISTORY.nodeAddress(node), this::store)
                              .completion(),
                          bus.<JsonObject>consumer(Addresses.HISTORY_QUERY, this::query)
                              .completion(),
                          bus.<JsonObject>consumer(Addresses.SERVERS_LIST, this::listServers)
                              .completion(),
                          bus.<JsonObject>consumer(
                                  Addresses.REGISTRY_AUTH, new RegistryAuth(authPool)::handle)
                              .completion(),
                          new AccessConsumers(
                                  new AccessStore(authPool), new RegistryStore(authPool))
                              .register(bus),
                          listenForRegistryChanges(pg),
                          // Best effort: a write for a day without a partition creates it anyway.
                          maintenance
                              .partitionsAhead(Instant.now())
                              .recover(e -> Future.succeededFuture())))
                  .onSuccess(v -> heartbeat = Heartbeat.start(vertx, Owned.HISTORY, node));
            });
  }

  /**
   * One pass at a time: partitions ahead, downsampling of closed dirty hours, and, once an hour,
   * retention. A failed pass (Postgres down) is simply tried again at the next tick; dirty hours
   * stay dirty until aggregated.
   */
  private void maintain() {
    if (maintaining) {
      return;
    }
    maintaining = true;
    Instant now = Instant.now();
    Future<?> pass = maintenance.partitionsAhead(now).compose(v -> maintenance.downsample(now));
    if (now.toEpochMilli() >= retentionAt) {
      pass =
          pass.compose(v -> maintenance.retention(now))
              .onSuccess(
                  dropped -> {
                    retentionAt = now.toEpochMilli() + 3_600_000L;
                    if (!dropped.isEmpty()) {
                      LOG.info("retention dropped raw partitions {}", dropped);
                    }
                  });
    }
    pass.onComplete(
        ar -> {
          maintaining = false;
          if (ar.failed()) {
            LOG.warn("history maintenance pass failed, will retry: {}", ar.cause().toString());
          }
        });
  }

  /**
   * Runs {@code work} on this verticle's context: the writer's and maintenance's state belong to
   * it.
   */
  <T> Future<T> onContext(Supplier<Future<T>> work) {
    Promise<T> p = Promise.promise();
    context.runOnContext(v -> work.get().onComplete(p));
    return p.future();
  }

  /** For tests and the load tool: one downsampling pass as if the clock read {@code now}. */
  public Future<Integer> downsampleNow(Instant now) {
    return onContext(() -> maintenance.downsample(now));
  }

  public Future<List<String>> retentionNow(Instant now) {
    return onContext(() -> maintenance.retention(now));
  }

  /**
   * The admin CLI may run in another process; it NOTIFYs {@code trainwatch_registry} after each
   * change and we relay that on the bus so token caches and server lists drop stale entries at
   * once.
   */
  private Future<Void> listenForRegistryChanges(PgSettings pg) {
    registryListener =
        new RegistryListener(
            vertx,
            pg.connectOptions(),
            Map.of(
                RegistryStore.CHANNEL,
                    new RegistryListener.Relay(Addresses.REGISTRY_CHANGED, "slug"),
                AccessStore.CHANNEL,
                    new RegistryListener.Relay(Addresses.ACCESS_CHANGED, "api_token")));
    return registryListener.start();
  }

  /**
   * A co-located sender may hand over the record itself (RecordCodec); across a cluster it arrives
   * as JSON.
   */
  private void store(Message<Object> msg) {
    DerivedSnapshot s;
    try {
      s =
          msg.body() instanceof DerivedSnapshot d
              ? d
              : DerivedSnapshot.fromJson((JsonObject) msg.body());
    } catch (InvalidPayloadException | ClassCastException e) {
      msg.fail(FailureCode.INVALID_PAYLOAD.busCode(), e.getMessage());
      return;
    }
    writer
        .write(s)
        .onComplete(
            ar -> {
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
    // The document goes out already encoded: a Buffer crosses the local bus as one byte copy, where
    // a JsonObject of
    // 720 points would be deep-copied and then encoded again by the gateway.
    queries
        .query(q, Instant.now())
        .onComplete(ar -> reply(msg, ar.succeeded() ? ar.result() : null, ar.cause()));
  }

  private void listServers(Message<JsonObject> msg) {
    pool.query(RegistryRows.LIST)
        .execute()
        .onComplete(
            ar -> {
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

  private static void reply(Message<JsonObject> msg, Object body, Throwable failure) {
    if (failure == null) {
      msg.reply(body);
    } else {
      LOG.warn("history query failed: {}", failure.toString());
      msg.fail(FailureCode.UNAVAILABLE.busCode(), "storage unavailable");
    }
  }

  @Override
  public Future<?> stop() {
    if (heartbeat != null) {
      heartbeat.stop();
    }
    if (maintenanceTimer >= 0) {
      vertx.cancelTimer(maintenanceTimer);
    }
    Future<Void> closed =
        (writer == null ? Future.<Void>succeededFuture() : writer.close())
            .eventually(
                () -> registryListener == null ? Future.succeededFuture() : registryListener.stop())
            .eventually(() -> pool == null ? Future.succeededFuture() : pool.close())
            .eventually(() -> authPool == null ? Future.succeededFuture() : authPool.close());
    return closed.eventually(() -> jdbc == null ? Future.succeededFuture() : jdbc.close());
  }

  /**
   * The pool dashboards' reads use (tests hold its connections to show token checks do not wait on
   * it).
   */
  Pool queryPool() {
    return pool;
  }

  /** Exposed for self-metrics. */
  public int queuedWrites() {
    return writer == null ? 0 : writer.queued();
  }
}
