package dev.trainwatch.collector;

import dev.trainwatch.bus.Addresses;
import dev.trainwatch.bus.FailureCode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.eventbus.ReplyException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The outcome of handing samples to the rates service. Before the rates verticle is deployed, or
 * while storage is down, every sample fails the same way: that is logged once when it starts, once
 * if the reason changes and once when samples are stored again. Counted in {@code
 * trainwatch.collector.samples} by outcome. Event-loop confined.
 */
final class DeliveryLog {
  private static final Logger LOG = LoggerFactory.getLogger(DeliveryLog.class);

  private final Counter stored;
  private final Counter failed;

  /** Null until the first reply; "" while samples are stored; else why they are not. */
  private String state;

  private long failuresInRow;

  DeliveryLog(MeterRegistry registry) {
    this.stored = counter(registry, "stored");
    this.failed = counter(registry, "failed");
  }

  private static Counter counter(MeterRegistry registry, String outcome) {
    return Counter.builder("trainwatch.collector.samples")
        .tag("outcome", outcome)
        .description("Samples handed to the rates service, by reply")
        .register(registry);
  }

  void stored() {
    stored.increment();
    if (state != null && !state.isEmpty()) {
      LOG.info("Collector samples are stored again after {} undelivered", failuresInRow);
    } else if (state == null) {
      LOG.debug("First collector sample stored");
    }
    state = "";
    failuresInRow = 0;
  }

  void failed(Throwable cause) {
    failed.increment();
    failuresInRow++;
    String kind = kind(cause);
    if (!kind.equals(state)) {
      LOG.warn(
          "Collector samples are not stored: {} (collection goes on; logged again only when this changes)",
          describe(cause));
      state = kind;
    }
  }

  /**
   * What decides "the same failure": the failure type and code, not the message, which may carry
   * per-sample details and would then log every tick.
   */
  static String kind(Throwable cause) {
    if (cause instanceof ReplyException re) {
      return re.failureType() + "/" + FailureCode.of(re).code();
    }
    return cause.getClass().getName();
  }

  static String describe(Throwable cause) {
    if (cause instanceof ReplyException re) {
      return switch (re.failureType()) {
        case NO_HANDLERS -> "no consumer on " + Addresses.RAW_SAMPLE + " yet";
        case TIMEOUT -> "no reply within the timeout";
        default -> FailureCode.of(re).code() + ": " + SourceHealth.describe(re);
      };
    }
    return SourceHealth.describe(cause);
  }
}
