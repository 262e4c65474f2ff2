package dev.trainwatch.rates;

import dev.trainwatch.bus.Addresses;
import dev.trainwatch.bus.FailureCode;
import dev.trainwatch.bus.InvalidPayloadException;
import dev.trainwatch.bus.RecordCodec;
import dev.trainwatch.bus.derived.DerivedSnapshot;
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

/**
 * Turns raw samples into derived snapshots. For each sample: derive (pure, in memory), have history store it, and
 * only once that is committed publish it to the live channels and acknowledge the sender. Rate state is owned per
 * server by this verticle instance, so a server's samples are handled in order on one event loop.
 *
 * <p>Config (the {@code rates} section): {@code nominal_interval_ms} (gap detection), {@code bottleneck_window_ms},
 * {@code store_timeout_ms}.
 */
public final class RatesVerticle extends VerticleBase {
  private final Map<String, ServerRates> servers = new java.util.concurrent.ConcurrentHashMap<>();
  private Duration nominal;
  private Duration window;
  private DeliveryOptions storeOptions;

  @Override
  public Future<?> start() {
    nominal = Duration.ofMillis(config().getLong("nominal_interval_ms", 1000L));
    window = Duration.ofMillis(config().getLong("bottleneck_window_ms", 10_000L));
    storeOptions = new DeliveryOptions().setSendTimeout(config().getLong("store_timeout_ms", 10_000L));
    // Counter anomalies are facts about agents and kernels worth alerting on, not just log lines.
    MeterRegistry registry = Metrics.globalRegistry;
    FunctionCounter.builder("trainwatch.rates.values.clamped", this, v -> v.total(ServerRates::clampedCount))
        .description("Rates clamped to physical bounds (e.g. CPU over 100 %)").register(registry);
    FunctionCounter.builder("trainwatch.rates.wraps", this, v -> v.total(ServerRates::wrapCount))
        .description("Counter decreases taken as 32- or 64-bit wraps").register(registry);
    FunctionCounter.builder("trainwatch.rates.resets", this, v -> v.total(ServerRates::counterResetCount))
        .description("Counter decreases taken as resets (that interval's rate left out)").register(registry);
    Gauge.builder("trainwatch.rates.servers", servers, Map::size).description("Servers with rate state")
        .register(registry);
    RecordCodec.registerAll(vertx);
    return vertx.eventBus().consumer(Addresses.RAW_SAMPLE, this::onRaw).completion();
  }

  private void onRaw(Message<Object> msg) {
    RawSample sample;
    try {
      // Co-located senders hand over the validated record; JSON arrives from older senders and other nodes' codecs.
      sample = msg.body() instanceof RawSample r ? r : RawSample.fromJson((JsonObject) msg.body());
    } catch (InvalidPayloadException | ClassCastException e) {
      msg.fail(FailureCode.INVALID_PAYLOAD.busCode(), e.getMessage());
      return;
    }
    ServerRates rates = servers.computeIfAbsent(sample.server(), s -> new ServerRates(s, nominal, window));
    DerivedSnapshot derived = rates.accept(sample);
    vertx.eventBus().<JsonObject>request(Addresses.HISTORY_STORE, derived, storeOptions).onComplete(ar -> {
      if (ar.failed()) {
        rates.storeFailed();
        FailureCode code = FailureCode.of(ar.cause());
        msg.fail(code.busCode(), ar.cause().getMessage());
        return;
      }
      SampleAck ack = SampleAck.fromJson(ar.result().body());
      rates.stored(sample);
      if (!ack.duplicate()) {
        vertx.eventBus().publish(Addresses.DERIVED, derived);
      }
      msg.reply(ack.toJson());
    });
  }

  /** Sums a per-server count; read by the metrics registry from its own thread, hence the concurrent map. */
  private double total(java.util.function.ToLongFunction<ServerRates> count) {
    return servers.values().stream().mapToLong(count).sum();
  }
}
