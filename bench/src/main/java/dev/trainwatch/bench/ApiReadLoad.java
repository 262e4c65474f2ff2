package dev.trainwatch.bench;

import io.vertx.core.Vertx;
import io.vertx.core.http.PoolOptions;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Dashboard read load with a credential: C clients in a closed loop on one GET path for a bounded
 * time, every request carrying the same header (a session cookie, an API token, or nothing for a
 * public path). It shows what the access check costs per request: a session is an in-memory lookup,
 * an API token a Postgres lookup over the bus.
 *
 * <p>Usage: {@code java -cp bench/target/benchmarks.jar dev.trainwatch.bench.ApiReadLoad PORT PATH
 * SECONDS CLIENTS [HEADER VALUE]}. Prints requests/s, latency percentiles and how many answers were
 * not 200.
 */
public final class ApiReadLoad {
  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    String path = args[1];
    long seconds = Long.parseLong(args[2]);
    int clients = Integer.parseInt(args[3]);
    String header = args.length > 5 ? args[4] : null;
    String value = args.length > 5 ? args[5] : null;
    Vertx vertx = Vertx.vertx();
    WebClient http =
        WebClient.create(
            vertx,
            new WebClientOptions().setKeepAlive(true),
            new PoolOptions().setHttp1MaxSize(clients));
    long warmupEnd = System.nanoTime() + 5_000_000_000L;
    long deadline = warmupEnd + seconds * 1_000_000_000L;
    AtomicLong bad = new AtomicLong();
    List<Long> latenciesUs = Collections.synchronizedList(new ArrayList<>());
    CountDownLatch done = new CountDownLatch(clients);
    for (int i = 0; i < clients; i++) {
      vertx.runOnContext(
          v -> loop(http, port, path, header, value, warmupEnd, deadline, bad, latenciesUs, done));
    }
    done.await();
    List<Long> l = new ArrayList<>(latenciesUs);
    Collections.sort(l);
    System.out.printf(
        "%s with %s: %d clients, %.0f requests/s, latency ms p50 %.2f p99 %.2f, not 200: %d%n",
        path,
        header == null ? "no credential" : header,
        clients,
        l.size() / (double) seconds,
        pct(l, 50),
        pct(l, 99),
        bad.get());
    vertx.close().await();
  }

  private static double pct(List<Long> sorted, double p) {
    return sorted.isEmpty()
        ? 0
        : sorted.get((int) Math.min(sorted.size() - 1, Math.ceil(sorted.size() * p / 100) - 1))
            / 1000.0;
  }

  private static void loop(
      WebClient http,
      int port,
      String path,
      String header,
      String value,
      long warmupEnd,
      long deadline,
      AtomicLong bad,
      List<Long> latenciesUs,
      CountDownLatch done) {
    long t = System.nanoTime();
    if (t > deadline) {
      done.countDown();
      return;
    }
    var req = http.get(port, "127.0.0.1", path);
    if (header != null) {
      req.putHeader(header, value);
    }
    req.send()
        .onComplete(
            ar -> {
              if (t > warmupEnd) {
                latenciesUs.add((System.nanoTime() - t) / 1000);
                if (ar.failed() || ar.result().statusCode() != 200) {
                  bad.incrementAndGet();
                }
              }
              loop(http, port, path, header, value, warmupEnd, deadline, bad, latenciesUs, done);
            });
  }
}
