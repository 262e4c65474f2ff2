package dev.trainwatch.collector;

import dev.trainwatch.bus.Addresses;
import dev.trainwatch.bus.raw.SampleAck;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The collector alone in a JVM, for {@code scripts/bench-collector-cpu}: a Vert.x instance, the
 * verticle at its configured interval, and a consumer that acknowledges every sample at once as the
 * rates service would. Runs until killed; prints the number of acknowledged samples every 10 s so
 * the script can check it really sampled.
 *
 * <p>Argument: the collector's JSON config (default {@code {}}, i.e. 1 Hz with GPU discovery).
 */
public final class CollectorCpuMain {
  private CollectorCpuMain() {}

  public static void main(String[] args) throws Exception {
    JsonObject config = new JsonObject(args.length > 0 ? args[0] : "{}");
    Vertx vertx = Vertx.vertx();
    AtomicLong acked = new AtomicLong();
    vertx
        .eventBus()
        .<JsonObject>consumer(
            Addresses.RAW_SAMPLE,
            m -> {
              acked.incrementAndGet();
              m.reply(new SampleAck(false).toJson());
            })
        .completion()
        .await(10, TimeUnit.SECONDS);
    vertx
        .deployVerticle(new CollectorVerticle(), new DeploymentOptions().setConfig(config))
        .await(60, TimeUnit.SECONDS);
    System.out.println("collector running, pid " + ProcessHandle.current().pid());
    vertx.setPeriodic(10_000, t -> System.out.println("samples acknowledged: " + acked.get()));
  }
}
