package dev.trainwatch.bench;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Sample → live frame latency through a running Trainwatch (issue 17). An agent-like sender posts
 * one snapshot a second to the ingest endpoint while a dashboard's WebSocket follows the server's
 * CPU channel. Live latency is the POST leaving to its frame arriving; acknowledgement latency is
 * the POST leaving to its 202, which still waits for the commit. Run beside a disk hog ({@code
 * scripts/bench-live-latency}) to see which of the two waits for the disk.
 *
 * <p>Usage: {@code TW_BENCH_TOKEN=<api token> java -cp bench/target/benchmarks.jar
 * dev.trainwatch.bench.LiveLatencyLoad PORT SLUG AGENT_TOKEN [SECONDS=60]}
 */
public final class LiveLatencyLoad {
  private static final int WARMUP = 5;

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    String slug = args[1];
    String agentToken = args[2];
    int seconds = args.length > 3 ? Integer.parseInt(args[3]) : 60;
    String apiToken = System.getenv("TW_BENCH_TOKEN");
    Map<Long, Long> sentAt = new ConcurrentHashMap<>();
    List<Double> live = Collections.synchronizedList(new ArrayList<>());
    List<Double> acked = Collections.synchronizedList(new ArrayList<>());
    List<Integer> statuses = Collections.synchronizedList(new ArrayList<>());

    // The dashboard's side, on the JDK's own WebSocket client: independent of the server's stack.
    CountDownLatch subscribed = new CountDownLatch(1);
    WebSocket.Listener listener =
        new WebSocket.Listener() {
          private final StringBuilder text = new StringBuilder();

          @Override
          public CompletionStage<?> onText(WebSocket ws, CharSequence part, boolean last) {
            long now = System.nanoTime();
            text.append(part);
            if (last) {
              JsonObject f = new JsonObject(text.toString());
              text.setLength(0);
              if ("subscribed".equals(f.getString("event"))) {
                subscribed.countDown();
              } else if ("metrics".equals(f.getString("event"))) {
                Long t = sentAt.get(Instant.parse(f.getString("ts")).toEpochMilli());
                if (t != null) {
                  live.add((now - t) / 1e6);
                }
              }
            }
            ws.request(1);
            return null;
          }
        };
    WebSocket ws =
        HttpClient.newHttpClient()
            .newWebSocketBuilder()
            .header("Authorization", "Bearer " + apiToken)
            .buildAsync(URI.create("ws://127.0.0.1:" + port + "/ws"), listener)
            .get(10, TimeUnit.SECONDS);
    ws.sendText(
        new JsonObject()
            .put("op", "subscribe")
            .put("server", slug)
            .put("channels", new JsonArray().add("system/cpu"))
            .encode(),
        true);
    if (!subscribed.await(10, TimeUnit.SECONDS)) {
      throw new IllegalStateException("the WebSocket subscription was not acknowledged");
    }

    Vertx vertx = Vertx.vertx();
    WebClient http = WebClient.create(vertx);
    String boot = "live-" + System.currentTimeMillis();
    // Stamped with the wall clock, one second apart, as an agent's samples are; the frame's ts
    // names the sample.
    long baseMs = System.currentTimeMillis() / 1000 * 1000;
    int total = WARMUP + seconds;
    CountDownLatch answered = new CountDownLatch(total);
    for (int i = 1; i <= total; i++) {
      long seq = i;
      boolean timed = i > WARMUP;
      long due = baseMs + seq * 1000;
      long wait = due - System.currentTimeMillis();
      if (wait > 0) {
        Thread.sleep(wait); // pacing the sender at 1 Hz, not waiting for a result
      }
      Buffer body = AgentSnapshots.batch(boot, baseMs, seq, 1, false);
      long t = System.nanoTime();
      if (timed) {
        sentAt.put(baseMs + seq * 1000, t);
      }
      http.post(port, "127.0.0.1", "/api/ingest/servers/" + slug + "/metrics/")
          .putHeader("content-type", "application/json")
          .putHeader("x-monitoring-token", agentToken)
          .sendBuffer(body)
          .onComplete(
              ar -> {
                if (timed) {
                  statuses.add(ar.succeeded() ? ar.result().statusCode() : -1);
                  acked.add((System.nanoTime() - t) / 1e6);
                }
                answered.countDown();
              });
    }
    answered.await(60, TimeUnit.SECONDS);
    System.out.printf(
        "%d samples at 1 Hz after %d warm-up; statuses %s%n",
        seconds, WARMUP, statuses.stream().distinct().sorted().toList());
    System.out.println("  sample -> live frame: " + summary(live, seconds));
    System.out.println("  sample -> 202 (commit): " + summary(acked, seconds));
    ws.abort();
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private static String summary(List<Double> ms, int expected) {
    List<Double> s = new ArrayList<>(ms);
    Collections.sort(s);
    if (s.isEmpty()) {
      return "none arrived";
    }
    return String.format(
        "n=%d/%d p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms",
        s.size(), expected, at(s, 0.50), at(s, 0.90), at(s, 0.99), s.get(s.size() - 1));
  }

  private static double at(List<Double> sorted, double q) {
    return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(q * sorted.size()) - 1));
  }
}
