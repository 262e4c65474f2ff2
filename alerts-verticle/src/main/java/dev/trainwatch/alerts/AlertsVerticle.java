package dev.trainwatch.alerts;

import dev.trainwatch.alerts.eval.Change;
import dev.trainwatch.alerts.eval.Evaluator;
import dev.trainwatch.alerts.notify.Channel;
import dev.trainwatch.alerts.notify.EmailChannel;
import dev.trainwatch.alerts.notify.Notice;
import dev.trainwatch.alerts.notify.Notifier;
import dev.trainwatch.alerts.notify.WebhookChannel;
import dev.trainwatch.alerts.rules.BuiltinRules;
import dev.trainwatch.alerts.rules.Rule;
import dev.trainwatch.alerts.rules.RuleParser;
import dev.trainwatch.alerts.store.AlertStore;
import dev.trainwatch.bus.Addresses;
import dev.trainwatch.bus.FailureCode;
import dev.trainwatch.bus.InvalidPayloadException;
import dev.trainwatch.bus.RecordCodec;
import dev.trainwatch.bus.derived.DerivedSnapshot;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Alert rules, their lifecycle and notifications (docs/alerts.md). Every instance answers the alert
 * API; exactly one in the whole deployment, the {@link Leadership} holder, evaluates: it takes each
 * stored snapshot from {@code trainwatch.derived}, judges the rules (pure, in memory), stores the
 * changes and only then publishes them on {@code trainwatch.alerts.changed} and notifies. On
 * becoming leader it loads the open alerts, so a restart or a failover neither fires an alert twice
 * nor forgets one.
 *
 * <p>Config (the {@code alerts} section plus {@code pg_connect}, the Postgres connect options): see
 * {@link AlertSettings}.
 */
public final class AlertsVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(AlertsVerticle.class);
  static final int MAX_LIMIT = 1000;
  private static final long DAY_S = 86_400;

  private final Clock clock;
  private AlertSettings settings;
  private Pool pool;
  private AlertStore store;
  private Evaluator evaluator;
  private ChangeWriter writer;
  private Notifier notifier;
  private Leadership leadership;
  private final List<Runnable> closers = new ArrayList<>();
  private boolean ready;

  /**
   * Bumped at each gain and loss of the lock: a load that finishes for an older one is thrown away.
   */
  private long generation;

  /** Acknowledgements that arrive while the open alerts are being loaded; applied after. */
  private List<Alert> loading;

  private Future<Void> reloads = Future.succeededFuture();

  /** The current (or last) load of the evaluator's state. */
  private Future<Void> loaded = Future.succeededFuture();

  private long tickTimer = -1;
  private long pruneAt;
  private long retentionAt;
  private final Timer evaluation =
      Timer.builder("trainwatch.alerts.evaluation")
          .description("Rule evaluation per snapshot")
          .register(Metrics.globalRegistry);

  public AlertsVerticle() {
    this(Clock.systemUTC());
  }

  /** Tests move the clock that silence is measured on. */
  public AlertsVerticle(Clock clock) {
    this.clock = clock;
  }

  @Override
  public Future<?> start() {
    try {
      settings = AlertSettings.from(config());
    } catch (InvalidPayloadException e) {
      return Future.failedFuture(new IllegalArgumentException(e.field() + " " + e.reason()));
    }
    PgConnectOptions pg = new PgConnectOptions(config().getJsonObject("pg_connect"));
    pool =
        PgBuilder.pool()
            .with(new PoolOptions().setMaxSize(2).setMaxWaitQueueSize(256))
            .connectingTo(pg)
            .using(vertx)
            .build();
    store = new AlertStore(pool);
    evaluator = new Evaluator(() -> UUID.randomUUID().toString());
    notifier =
        new Notifier(vertx, channels(), store::deadLetter, settings.notifications(), clock::millis);
    writer =
        new ChangeWriter(
            vertx,
            () -> leadership.connection(),
            a -> vertx.eventBus().publish(Addresses.ALERTS_CHANGED, a.toJson()),
            notifier::offer,
            a ->
                evaluator.acknowledged(
                    a.resolve(
                        a.resolvedAt() != null ? a.resolvedAt() : clock.instant(),
                        a.value(),
                        a.message())),
            1_000);
    Gauge.builder("trainwatch.alerts.open", this, AlertsVerticle::openAlerts)
        .description("Open (pending or firing) alerts, on the evaluating node")
        .register(Metrics.globalRegistry);
    FunctionCounter.builder("trainwatch.alerts.changes.dropped", writer, ChangeWriter::dropped)
        .description(
            "Alert changes dropped: over the in-memory bound while Postgres was down, or refused by it")
        .register(Metrics.globalRegistry);
    RecordCodec.registerAll(vertx);
    var bus = vertx.eventBus();
    leadership =
        new Leadership(
            vertx,
            pg,
            settings.leaderRetryMs(),
            new Leadership.Listener() {
              @Override
              public void gained() {
                loaded = becomeEvaluator();
              }

              @Override
              public void lost() {
                ready = false;
                generation++;
                writer.reset();
              }
            });
    return Future.all(
            List.of(
                bus.<Object>consumer(Addresses.DERIVED, this::onDerived).completion(),
                bus.<JsonObject>consumer(Addresses.ALERTS_API, this::onApi).completion(),
                bus.<JsonObject>consumer(Addresses.ALERTS_CHANGED, m -> onChanged(m.body()))
                    .completion(),
                bus.<JsonObject>consumer(Addresses.ALERT_RULES_CHANGED, m -> reloadRules())
                    .completion(),
                bus.<JsonObject>consumer(Addresses.REGISTRY_CHANGED, m -> refreshRegistry())
                    .completion()))
        // A node that takes the lock at start is ready before its start completes: the collector,
        // deployed after
        // it, must not send its first sample (an XID in it, say) to an evaluator still loading.
        .compose(v -> leadership.start())
        .compose(gained -> loaded)
        .onSuccess(v -> tickTimer = vertx.setPeriodic(settings.tickMs(), id -> tick()));
  }

  private List<Channel> channels() {
    List<Channel> out = new ArrayList<>();
    if (settings.webhook() != null) {
      AlertSettings.Webhook w = settings.webhook();
      WebhookChannel c = new WebhookChannel(vertx, w.url(), w.secret(), w.format(), w.timeoutMs());
      closers.add(c::close);
      out.add(c);
    }
    if (settings.email() != null) {
      AlertSettings.Email e = settings.email();
      EmailChannel c =
          new EmailChannel(
              vertx,
              e.host(),
              e.port(),
              e.startTls(),
              e.username(),
              e.password(),
              e.from(),
              e.to());
      closers.add(c::close);
      out.add(c);
    }
    return out;
  }

  /**
   * Rules first (restored alerts need them), then the open alerts, then the registry's last-seen
   * times (silence is judged from them until each server reports again). Snapshots before that are
   * not judged: a half-loaded evaluator would fire what is already open.
   */
  private Future<Void> becomeEvaluator() {
    ready = false;
    long gen = ++generation;
    loading = new ArrayList<>();
    Evaluator next = new Evaluator(() -> UUID.randomUUID().toString());
    return loadRules()
        .compose(
            rules -> {
              next.setRules(rules, clock.instant());
              return store.open();
            })
        .onSuccess(
            open -> {
              if (gen != generation || !leadership.leader()) {
                // The lock went while loading: another node judges now.
                return;
              }
              evaluator = next;
              writer.add(evaluator.restore(open, clock.instant()));
              // Acknowledgements stored while the open alerts were being read.
              loading.forEach(this::applyAcknowledgement);
              loading = null;
              ready = true;
              LOG.info(
                  "evaluating {} alert rules; {} alerts open",
                  evaluator.rules().size(),
                  open.size());
              refreshRegistry();
            })
        .onFailure(
            e -> {
              LOG.warn(
                  "could not load alert state, giving up the evaluator role to retry: {}",
                  e.toString());
              leadership.resign();
            })
        .<Void>mapEmpty()
        .recover(e -> Future.succeededFuture());
  }

  private Future<List<Rule>> loadRules() {
    return store
        .rules()
        .map(
            stored -> {
              List<Rule> api = new ArrayList<>();
              for (int i = 0; i < stored.size(); i++) {
                try {
                  api.add(RuleParser.parse(stored.getJsonObject(i), "alert_rules[" + i + "]"));
                } catch (InvalidPayloadException e) {
                  // Stored by an older build with rules it knew: skip it, loudly, rather than
                  // evaluate nothing.
                  LOG.error("stored alert rule skipped: {} {}", e.field(), e.reason());
                }
              }
              List<Rule> merged =
                  BuiltinRules.merge(settings.builtinRules(), settings.rules(), api);
              merged.removeIf(r -> settings.disabledRules().contains(r.name()));
              return merged;
            });
  }

  /**
   * One reload at a time, in order: a PUT then a DELETE must not be applied the other way round.
   */
  private void reloadRules() {
    reloads =
        reloads.transform(
            ignored -> {
              if (!ready) {
                return Future.succeededFuture();
              }
              return loadRules()
                  .onSuccess(
                      rules -> {
                        if (ready) {
                          writer.add(evaluator.setRules(rules, clock.instant()));
                        }
                      })
                  .onFailure(e -> LOG.warn("alert rules not reloaded: {}", e.toString()))
                  .mapEmpty();
            });
  }

  private void refreshRegistry() {
    if (!ready) {
      return;
    }
    vertx
        .eventBus()
        .<JsonObject>request(Addresses.SERVERS_LIST, new JsonObject())
        .onSuccess(
            m -> {
              Instant now = clock.instant();
              JsonArray servers = m.body().getJsonArray("servers", new JsonArray());
              List<Change> out = new ArrayList<>();
              for (int i = 0; i < servers.size(); i++) {
                JsonObject s = servers.getJsonObject(i);
                String seen = s.getString("last_seen_at");
                out.addAll(
                    evaluator.registry(
                        s.getString("slug"),
                        seen == null ? null : Instant.parse(seen),
                        s.getBoolean("is_active", true),
                        now));
              }
              writer.add(out);
            })
        .onFailure(e -> LOG.debug("server list for silence checks unavailable: {}", e.toString()));
  }

  private void onDerived(Message<Object> m) {
    if (!ready) {
      return;
    }
    DerivedSnapshot s;
    try {
      s =
          m.body() instanceof DerivedSnapshot d
              ? d
              : DerivedSnapshot.fromJson((JsonObject) m.body());
    } catch (InvalidPayloadException | ClassCastException e) {
      LOG.debug("derived snapshot not judged: {}", e.getMessage());
      return;
    }
    long t0 = System.nanoTime();
    List<Change> changes = evaluator.onSnapshot(s, clock.instant());
    evaluation.record(System.nanoTime() - t0, TimeUnit.NANOSECONDS);
    writer.add(changes);
  }

  private void tick() {
    if (!ready) {
      return;
    }
    writer.add(evaluator.tick(clock.instant()));
    if (clock.millis() >= pruneAt) {
      pruneAt = clock.millis() + 60_000;
      notifier.prune();
    }
    if (clock.millis() >= retentionAt) {
      retentionAt = clock.millis() + 3_600_000;
      store
          .retention(clock.instant().minus(Duration.ofDays(settings.retentionDays())))
          .onSuccess(
              n -> {
                if (n > 0) {
                  LOG.info(
                      "alert retention removed {} rows older than {} days",
                      n,
                      settings.retentionDays());
                }
              })
          .onFailure(e -> retentionAt = clock.millis() + 60_000);
    }
  }

  /**
   * Acknowledgements stored by any node: the evaluator forgets an alert that waited for one, and
   * tells receivers.
   */
  private void onChanged(JsonObject body) {
    if (body.getString("acknowledged_by") == null) {
      return;
    }
    Alert a = Alert.fromJson(body);
    if (loading != null) {
      loading.add(a);
      return;
    }
    if (ready) {
      applyAcknowledgement(a);
    }
  }

  private void applyAcknowledgement(Alert a) {
    evaluator.acknowledged(a);
    if (a.resolve() == Rule.Resolve.ACK
        && a.state() == Alert.State.RESOLVED
        && a.firedAt() != null
        && a.acknowledgedAt() != null
        && a.acknowledgedAt().equals(a.resolvedAt())) {
      notifier.offer(new Notice(a, "resolved"));
    }
  }

  private void onApi(Message<JsonObject> m) {
    JsonObject b = m.body();
    AlertApi.handle(b, store, clock.instant())
        .onComplete(
            ar -> {
              if (ar.failed()) {
                LOG.warn("alert API {} failed: {}", b.getString("op"), ar.cause().toString());
                m.fail(FailureCode.UNAVAILABLE.busCode(), "storage unavailable");
                return;
              }
              JsonObject reply = ar.result();
              m.reply(reply.getJsonObject("reply"));
              JsonObject publish = reply.getJsonObject("publish");
              if (publish != null) {
                vertx.eventBus().publish(reply.getString("address"), publish);
              }
            });
  }

  @Override
  public Future<?> stop() {
    if (tickTimer >= 0) {
      vertx.cancelTimer(tickTimer);
    }
    closers.forEach(Runnable::run);
    if (notifier != null) {
      notifier.close();
    }
    return (leadership == null ? Future.<Void>succeededFuture() : leadership.close())
        .eventually(() -> pool == null ? Future.succeededFuture() : pool.close());
  }

  /**
   * Open alerts in this evaluator's memory (0 when it is not the evaluator): for the gauge, and for
   * tests.
   */
  public int openAlerts() {
    return ready ? evaluator.openCount() : 0;
  }

  /** For tests: is this instance the evaluator, loaded and judging? */
  public boolean evaluating() {
    return ready;
  }
}
