package dev.trainwatch.agent;

import dev.trainwatch.agent.send.Delivery;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives the sender its own context, and logs what it did every hour (the agent has no metrics
 * endpoint).
 */
final class DeliveryVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(DeliveryVerticle.class);
  private static final long SUMMARY_EVERY_MS = 3_600_000;

  private final Delivery delivery;

  DeliveryVerticle(Delivery delivery) {
    this.delivery = delivery;
  }

  @Override
  public Future<?> start() {
    delivery.start();
    vertx.setPeriodic(SUMMARY_EVERY_MS, id -> LOG.info("Agent: {}", delivery.summary()));
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    delivery.close();
    return Future.succeededFuture();
  }
}
