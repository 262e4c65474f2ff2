package dev.trainwatch.rates;

import dev.trainwatch.bus.Addresses;
import dev.trainwatch.bus.FailureCode;
import dev.trainwatch.bus.InvalidPayloadException;
import dev.trainwatch.bus.RecordCodec;
import dev.trainwatch.bus.Tokens;
import dev.trainwatch.bus.derived.DerivedSnapshot;
import dev.trainwatch.bus.derived.Unstored;
import dev.trainwatch.bus.owners.Heartbeat;
import dev.trainwatch.bus.owners.Members;
import dev.trainwatch.bus.owners.Owned;
import dev.trainwatch.bus.owners.OwnerRing;
import dev.trainwatch.bus.raw.RawSample;
import dev.trainwatch.bus.raw.SampleAck;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToLongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns raw samples into derived snapshots. For each sample: derive (pure, in memory), publish it
 * to the live channels, have history store it, and acknowledge the sender once that is committed; a
 * live snapshot that then fails to commit is marked on {@link Addresses#DERIVED_UNSTORED}. Rate
 * state is owned per server by this verticle instance, so a server's samples are handled in order
 * on one event loop.
 *
 * <p>With several rates nodes (issue 15) each server has one owner, chosen by {@link OwnerRing}
 * over the nodes this one hears on {@link Addresses#RATES_MEMBERS}; senders route samples to it.
 * When the ring changes, a node drops the state of every server it no longer owns, so if ownership
 * comes back later it starts clean instead of measuring across the time another node had the
 * server. A sample that reaches a node which does not own its server (senders whose view lags by a
 * heartbeat) is derived without rates and its state is not kept: gauges, never a wrong rate.
 *
 * <p>Config (the {@code rates} section): {@code nominal_interval_ms} (gap detection), {@code
 * bottleneck_window_ms}, {@code store_timeout_ms}.
 */
public final class RatesVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(RatesVerticle.class);
  private final Map<String, ServerRates> servers = new ConcurrentHashMap<>();
  private Duration nominal;
  private Duration window;
  private DeliveryOptions storeOptions;
  private final String node = Tokens.secret(9);
  private Members members;

  /**
   * Each server's stores go to one history node: two writers of one server contend for its boot
   * locks.
   */
  private Members history;

  private Heartbeat heartbeat;
  private final AtomicLong notOwned = new AtomicLong();
  private final AtomicLong unstored = new AtomicLong();

  @Override
  public Future<?> start() {
    nominal = Duration.ofMillis(config().getLong("nominal_interval_ms", 1000L));
    window = Duration.ofMillis(config().getLong("bottleneck_window_ms", 10_000L));
    storeOptions =
        new DeliveryOptions().setSendTimeout(config().getLong("store_timeout_ms", 10_000L));
    // Counter anomalies are facts about agents and kernels worth alerting on, not just log lines.
    MeterRegistry registry = Metrics.globalRegistry;
    FunctionCounter.builder(
            "trainwatch.rates.values.clamped", this, v -> v.total(ServerRates::clampedCount))
        .description("Rates clamped to physical bounds (e.g. CPU over 100 %)")
        .register(registry);
    FunctionCounter.builder("trainwatch.rates.wraps", this, v -> v.total(ServerRates::wrapCount))
        .description("Counter decreases taken as 32- or 64-bit wraps")
        .register(registry);
    FunctionCounter.builder(
            "trainwatch.rates.resets", this, v -> v.total(ServerRates::counterResetCount))
        .description("Counter decreases taken as resets (that interval's rate left out)")
        .register(registry);
    Gauge.builder("trainwatch.rates.servers", servers, Map::size)
        .description("Servers with rate state")
        .register(registry);
    FunctionCounter.builder("trainwatch.rates.samples.not_owned", notOwned, AtomicLong::get)
        .description(
            "Samples that reached a rates node not owning their server (derived without rates)")
        .register(registry);
    FunctionCounter.builder("trainwatch.rates.samples.unstored", unstored, AtomicLong::get)
        .description(
            "Samples published live that storage then did not take (marked on the live channels)")
        .register(registry);
    RecordCodec.registerAll(vertx);
    members = new Members(vertx, Owned.RATES);
    history = new Members(vertx, Owned.HISTORY);
    Gauge.builder("trainwatch.rates.nodes", this, v -> v.members.ring().nodes().size())
        .description(
            "Rates nodes this one hears, itself included (each owns a share of the servers)")
        .register(registry);
    members.onChange(this::ringChanged);
    members.heard(node);
    return Future.all(
            members.start(),
            history.start(),
            vertx.eventBus().consumer(Addresses.RAW_SAMPLE, this::onRaw).completion(),
            vertx.eventBus().consumer(Owned.RATES.nodeAddress(node), this::onRaw).completion())
        .onSuccess(
            v -> {
              LOG.info(
                  "rates node {} up; samples routed to it on {}",
                  node,
                  Owned.RATES.nodeAddress(node));
              heartbeat = Heartbeat.start(vertx, Owned.RATES, node);
            });
  }

  @Override
  public Future<?> stop() {
    // Our own view first: a goodbye delivered to a consumer being unregistered is discarded with a
    // warning.
    return Future.all(members.close(), history.close())
        .onComplete(
            v -> {
              if (heartbeat != null) {
                heartbeat.stop();
              }
            });
  }

  private void ringChanged(OwnerRing ring) {
    LOG.info("rates nodes now {} (this one: {})", ring.nodes().size(), node);
    servers.keySet().removeIf(server -> !owns(ring, server));
  }

  private boolean owns(OwnerRing ring, String server) {
    String owner = ring.owner(server);
    return owner == null || owner.equals(node);
  }

  /** This node's id in the rates ring (its samples' address is {@link Owned#nodeAddress}). */
  public String node() {
    return node;
  }

  /** The rates nodes this one hears (tests and self-metrics). */
  public OwnerRing ring() {
    return members.ring();
  }

  private void onRaw(Message<Object> msg) {
    RawSample sample;
    try {
      // Co-located senders hand over the validated record; JSON arrives from older senders and
      // other nodes' codecs.
      sample = msg.body() instanceof RawSample r ? r : RawSample.fromJson((JsonObject) msg.body());
    } catch (InvalidPayloadException | ClassCastException e) {
      msg.fail(FailureCode.INVALID_PAYLOAD.busCode(), e.getMessage());
      return;
    }
    ServerRates rates;
    if (owns(members.ring(), sample.server())) {
      rates = servers.computeIfAbsent(sample.server(), s -> new ServerRates(s, nominal, window));
    } else {
      notOwned.incrementAndGet();
      rates = new ServerRates(sample.server(), nominal, window);
    }
    DerivedSnapshot derived = rates.accept(sample);
    // Live first, storage after: the dashboard must not lag exactly when the host's disk is busy
    // (issue 17). The
    // sender's acknowledgement still waits for the commit, so an agent's 202 keeps meaning stored.
    boolean live = rates.claimLive(sample);
    if (live) {
      vertx.eventBus().publish(Addresses.DERIVED, derived);
    }
    history
        .<JsonObject>request(sample.server(), derived, storeOptions)
        .onComplete(
            ar -> {
              if (ar.failed()) {
                rates.storeFailed();
                FailureCode code = FailureCode.of(ar.cause());
                if (live) {
                  unstored.incrementAndGet();
                  vertx
                      .eventBus()
                      .publish(
                          Addresses.DERIVED_UNSTORED, Unstored.of(derived, code.code()).toJson());
                }
                msg.fail(code.busCode(), ar.cause().getMessage());
                return;
              }
              SampleAck ack = SampleAck.fromJson(ar.result().body());
              rates.stored(sample);
              if (!live && !ack.duplicate()) {
                vertx.eventBus().publish(Addresses.DERIVED, derived);
              }
              msg.reply(ack.toJson());
            });
  }

  /**
   * Sums a per-server count; read by the metrics registry from its own thread, hence the concurrent
   * map.
   */
  private double total(ToLongFunction<ServerRates> count) {
    return servers.values().stream().mapToLong(count).sum();
  }
}
