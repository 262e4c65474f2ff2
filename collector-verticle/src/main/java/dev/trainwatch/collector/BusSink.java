package dev.trainwatch.collector;

import dev.trainwatch.bus.Addresses;
import dev.trainwatch.bus.owners.Members;
import dev.trainwatch.bus.owners.Owned;
import dev.trainwatch.bus.raw.RawSample;
import dev.trainwatch.bus.raw.RawSnapshot;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;

/**
 * The server's sink: each sample goes to the rates service on {@link Addresses#RAW_SAMPLE} as
 * server {@code collector.server}, and the next is taken once it is answered (stored or refused).
 */
final class BusSink implements SampleSink<JsonObject> {
  private final Vertx vertx;
  private final String server;
  private final DeliveryOptions options;
  private final DeliveryLog delivery;
  private final Members rates;

  BusSink(Vertx vertx, CollectorConfig cfg, MeterRegistry registry) {
    this.vertx = vertx;
    this.server = cfg.server();
    this.options = new DeliveryOptions().setSendTimeout(cfg.replyTimeoutMs());
    this.delivery = new DeliveryLog(registry);
    this.rates = new Members(vertx, Owned.RATES);
  }

  /**
   * Learns the rates nodes (a sample sent before the first heartbeat goes to any rates node,
   * without rates).
   */
  @Override
  public Future<Void> start() {
    return rates.start();
  }

  /**
   * The JSON is built on the worker: for a many-core host it is the largest single piece of work.
   */
  @Override
  public JsonObject prepare(RawSnapshot snapshot) {
    return new RawSample(server, null, snapshot).toJson();
  }

  /** Always succeeds: an unanswered sample is logged and counted, and collection goes on. */
  @Override
  public Future<Void> deliver(JsonObject sample) {
    return rates
        .<Object>request(server, sample, options)
        .transform(
            reply -> {
              if (reply.succeeded()) {
                delivery.stored();
              } else {
                delivery.failed(reply.cause());
              }
              return Future.succeededFuture();
            });
  }
}
