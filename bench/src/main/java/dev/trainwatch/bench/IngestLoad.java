package dev.trainwatch.bench;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * End-to-end ingest load: N agents, each posting batches of B snapshots in a closed loop (next
 * request after the previous 202) to a running Trainwatch, for a bounded time. A 202 means the
 * snapshots are committed in Postgres, so the rate reported is durable throughput. Loopback only.
 *
 * <p>Usage: {@code java -cp bench/target/benchmarks.jar dev.trainwatch.bench.IngestLoad PORTS
 * TOKENS_FILE SECONDS BATCH} where TOKENS_FILE has one {@code slug token} per line (one agent per
 * line) and PORTS is one port or a comma-separated list (cluster nodes): requests then go
 * round-robin over them, as a load balancer without stickiness would send them.
 */
public final class IngestLoad {
  /**
   * Agents here send far faster than 1 Hz, so stamps run ahead of the clock by up to a second per
   * snapshot: start a day back, inside raw retention and (for a minute's run) still in the past.
   */
  private static final long BASE_MS = System.currentTimeMillis() - 86_400_000L;

  private static final List<String> FIRST_ERRORS = new CopyOnWriteArrayList<>();

  public static void main(String[] args) throws Exception {
    int[] ports = Arrays.stream(args[0].split(",")).mapToInt(Integer::parseInt).toArray();
    List<String[]> agents =
        Files.readAllLines(Path.of(args[1])).stream()
            .filter(l -> !l.isBlank())
            .map(l -> l.trim().split("\\s+"))
            .collect(Collectors.toList());
    long seconds = Long.parseLong(args[2]);
    int batch = Integer.parseInt(args[3]);
    Vertx vertx = Vertx.vertx();
    WebClient http =
        WebClient.create(
            vertx,
            new WebClientOptions().setKeepAlive(true),
            new PoolOptions().setHttp1MaxSize(agents.size()));
    long deadline = System.nanoTime() + seconds * 1_000_000_000L;
    AtomicLong stored = new AtomicLong();
    AtomicLong duplicates = new AtomicLong();
    AtomicLong errors = new AtomicLong();
    List<Long> latenciesUs = Collections.synchronizedList(new ArrayList<>());
    CountDownLatch done = new CountDownLatch(agents.size());
    long t0 = System.nanoTime();
    for (String[] a : agents) {
      String boot = "load-" + Long.toHexString(System.nanoTime());
      vertx.runOnContext(
          v ->
              loop(
                  http,
                  ports,
                  a[0],
                  a[1],
                  boot,
                  0,
                  batch,
                  deadline,
                  stored,
                  duplicates,
                  errors,
                  latenciesUs,
                  done));
    }
    done.await();
    double elapsed = (System.nanoTime() - t0) / 1e9;
    List<Long> l = new ArrayList<>(latenciesUs);
    Collections.sort(l);
    System.out.printf(
        "agents=%d batch=%d duration=%.1fs requests=%d errors=%d%n",
        agents.size(), batch, elapsed, l.size(), errors.get());
    FIRST_ERRORS.forEach(e -> System.out.println("error: " + e));
    System.out.printf(
        "durable snapshots/s: %.0f (stored %d, duplicates %d)%n",
        stored.get() / elapsed, stored.get(), duplicates.get());
    if (!l.isEmpty()) {
      System.out.printf(
          "request latency ms: p50 %.1f  p90 %.1f  p99 %.1f  max %.1f%n",
          pct(l, 50), pct(l, 90), pct(l, 99), l.get(l.size() - 1) / 1000.0);
    }
    vertx.close().await();
  }

  private static double pct(List<Long> sorted, double p) {
    return sorted.get((int) Math.min(sorted.size() - 1, Math.ceil(sorted.size() * p / 100) - 1))
        / 1000.0;
  }

  private static final AtomicLong REQUESTS = new AtomicLong();

  private static void loop(
      WebClient http,
      int[] ports,
      String slug,
      String token,
      String boot,
      long seq,
      int batch,
      long deadline,
      AtomicLong stored,
      AtomicLong duplicates,
      AtomicLong errors,
      List<Long> latenciesUs,
      CountDownLatch done) {
    if (System.nanoTime() > deadline) {
      done.countDown();
      return;
    }
    Buffer body = AgentSnapshots.batch(boot, BASE_MS, seq, batch, true);
    long t = System.nanoTime();
    int port = ports[(int) (REQUESTS.getAndIncrement() % ports.length)];
    http.post(port, "127.0.0.1", "/api/ingest/servers/" + slug + "/metrics/")
        .putHeader("content-type", "application/json")
        .putHeader("x-monitoring-token", token)
        .sendBuffer(body)
        .onComplete(
            ar -> {
              latenciesUs.add((System.nanoTime() - t) / 1000);
              if (ar.succeeded() && ar.result().statusCode() == 202) {
                JsonObject r = ar.result().bodyAsJsonObject();
                stored.addAndGet(r.getLong("accepted"));
                duplicates.addAndGet(r.getLong("duplicates"));
              } else {
                errors.incrementAndGet();
                String why =
                    ar.succeeded()
                        ? ar.result().statusCode() + " " + ar.result().bodyAsString()
                        : ar.cause().toString();
                if (FIRST_ERRORS.size() < 5) {
                  FIRST_ERRORS.add(why.length() > 200 ? why.substring(0, 200) : why);
                }
              }
              loop(
                  http,
                  ports,
                  slug,
                  token,
                  boot,
                  seq + batch,
                  batch,
                  deadline,
                  stored,
                  duplicates,
                  errors,
                  latenciesUs,
                  done);
            });
  }
}
