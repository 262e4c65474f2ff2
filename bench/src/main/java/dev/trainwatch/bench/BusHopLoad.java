package dev.trainwatch.bench;

import com.hazelcast.config.Config;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One event-bus hop between two cluster nodes in two JVMs, under load (issue 15): an {@code echo}
 * node answers every request at once; a {@code load} node keeps CONCURRENCY requests of a raw
 * sample's size (3 KB of JSON) in flight for SECONDS and reports the round trip (there and back:
 * two hops) p50/p99 and the rate. Hazelcast on loopback, as {@code scripts/run-cluster} sets it up.
 *
 * <p>Usage: {@code BusHopLoad echo HZ_PORT MEMBERS} then {@code BusHopLoad load HZ_PORT MEMBERS
 * SECONDS CONCURRENCY}, MEMBERS as {@code 127.0.0.1:5801,127.0.0.1:5802}.
 */
public final class BusHopLoad {
  static final String ADDRESS = "bench.bus.hop";

  public static void main(String[] args) throws Exception {
    Config hz = new Config().setClusterName("tw-bus-hop-bench");
    hz.setProperty("hazelcast.phone.home.enabled", "false");
    hz.setProperty("hazelcast.logging.type", "none");
    hz.getNetworkConfig().setPort(Integer.parseInt(args[1])).setPortAutoIncrement(false);
    var join = hz.getNetworkConfig().getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    var tcp = join.getTcpIpConfig().setEnabled(true);
    for (String m : args[2].split(",")) {
      tcp.addMember(m);
    }
    Vertx vertx =
        Vertx.builder()
            .with(
                new VertxOptions()
                    .setEventBusOptions(
                        new EventBusOptions()
                            .setHost("127.0.0.1")
                            .setClusterPublicHost("127.0.0.1")))
            .withClusterManager(new HazelcastClusterManager(hz))
            .buildClustered()
            .await(60, TimeUnit.SECONDS);
    if (args[0].equals("echo")) {
      vertx
          .eventBus()
          .<Buffer>consumer(ADDRESS, m -> m.reply(m.body()))
          .completion()
          .await(10, TimeUnit.SECONDS);
      System.out.println("echo ready");
      return;
    }
    long seconds = Long.parseLong(args[3]);
    int concurrency = Integer.parseInt(args[4]);
    int size = args.length > 5 ? Integer.parseInt(args[5]) : 3000;
    Buffer body = Buffer.buffer(new String(new char[size]).replace((char) 0, (char) 120));
    DeliveryOptions opts = new DeliveryOptions().setSendTimeout(10_000);
    // Until the echo node's consumer is known here.
    while (true) {
      try {
        vertx.eventBus().request(ADDRESS, body, opts).await(2, TimeUnit.SECONDS);
        break;
      } catch (Exception e) {
        // not yet
      }
    }
    long warmEnd = System.nanoTime() + 5_000_000_000L;
    long end = warmEnd + seconds * 1_000_000_000L;
    List<Long> rtts = Collections.synchronizedList(new ArrayList<>());
    AtomicLong errors = new AtomicLong();
    CountDownLatch done = new CountDownLatch(concurrency);
    for (int i = 0; i < concurrency; i++) {
      vertx.runOnContext(v -> loop(vertx, body, opts, warmEnd, end, rtts, errors, done));
    }
    done.await();
    List<Long> l = new ArrayList<>(rtts);
    Collections.sort(l);
    System.out.printf(
        "bus round trip (two hops), %d in flight, %d s: %d requests (%.0f/s), %d errors, "
            + "p50 %.3f ms, p90 %.3f ms, p99 %.3f ms, max %.3f ms%n",
        concurrency,
        seconds,
        l.size(),
        l.size() / (double) seconds,
        errors.get(),
        pct(l, 50),
        pct(l, 90),
        pct(l, 99),
        l.get(l.size() - 1) / 1e6);
    vertx.close().await(30, TimeUnit.SECONDS);
  }

  private static void loop(
      Vertx vertx,
      Buffer body,
      DeliveryOptions opts,
      long warmEnd,
      long end,
      List<Long> rtts,
      AtomicLong errors,
      CountDownLatch done) {
    long t = System.nanoTime();
    if (t > end) {
      done.countDown();
      return;
    }
    vertx
        .eventBus()
        .request(ADDRESS, body, opts)
        .onComplete(
            ar -> {
              if (ar.failed()) {
                errors.incrementAndGet();
              } else if (t > warmEnd) {
                rtts.add(System.nanoTime() - t);
              }
              loop(vertx, body, opts, warmEnd, end, rtts, errors, done);
            });
  }

  private static double pct(List<Long> sorted, double p) {
    return sorted.get((int) Math.min(sorted.size() - 1, Math.ceil(sorted.size() * p / 100) - 1))
        / 1e6;
  }
}
