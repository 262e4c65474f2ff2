package dev.trainwatch.agent.send;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainwatch.agent.Poll;
import dev.trainwatch.agent.spool.Spool;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sender's retry policy against a real HTTP server whose answers the test scripts: what is
 * retried, after how long, and what is dropped. (The same paths against the real stack are in
 * AgentStackTest.)
 */
@ExtendWith(VertxExtension.class)
class DeliveryTest {
  private static final SnapshotPayload CODEC = new SnapshotPayload();
  @TempDir Path dir;
  private Spool spool;

  /** Appends as the agent's sampling thread does: beside the sender, not on it. */
  private WorkerExecutor worker;

  private Delivery delivery;

  /** One request as the server saw it: when, and the seqs of its snapshots. */
  record Seen(long atMs, List<Long> seqs, boolean gzip) {}

  /** A scripted answer: status, and a Retry-After or null. */
  record Answer(int status, String retryAfter) {}

  private final List<Seen> seen = new CopyOnWriteArrayList<>();

  @AfterEach
  void close() throws Exception {
    if (delivery != null) {
      delivery.close(5_000);
    }
    if (spool != null) {
      spool.close();
    }
  }

  private static List<Long> seqs(Buffer gz) throws IOException {
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz.getBytes()))) {
      JsonObject o = new JsonObject(Buffer.buffer(in.readAllBytes()));
      return o.getJsonArray("snapshots").stream()
          .map(s -> ((JsonObject) s).getJsonObject("agent").getLong("seq"))
          .toList();
    }
  }

  private Future<HttpServer> server(Vertx vertx, Function<List<Long>, Answer> script) {
    long t0 = System.currentTimeMillis();
    return vertx
        .createHttpServer()
        .requestHandler(
            (HttpServerRequest req) ->
                req.body()
                    .onSuccess(
                        body -> {
                          List<Long> s;
                          try {
                            s = seqs(body);
                          } catch (IOException e) {
                            req.response().setStatusCode(400).end();
                            return;
                          }
                          seen.add(
                              new Seen(
                                  System.currentTimeMillis() - t0,
                                  s,
                                  "gzip".equals(req.getHeader("content-encoding"))));
                          Answer a = script.apply(s);
                          var resp = req.response().setStatusCode(a.status());
                          if (a.retryAfter() != null) {
                            resp.putHeader("retry-after", a.retryAfter());
                          }
                          resp.end(
                              a.status() == 202
                                  ? new JsonObject()
                                      .put("accepted", s.size())
                                      .put("duplicates", 0)
                                      .encode()
                                  : new JsonObject()
                                      .put(
                                          "error",
                                          new JsonObject()
                                              .put("code", "x")
                                              .put("message", "scripted"))
                                      .encode());
                        }))
        .listen(0, "127.0.0.1");
  }

  private void startDelivery(Vertx vertx, int port, long... seqs) throws Exception {
    spool = Spool.open(dir, 1 << 20);
    worker = vertx.createSharedWorkerExecutor("test-spool", 1);
    append(seqs);
    IngestClient client =
        new IngestClient(
            URI.create("http://127.0.0.1:" + port), "box", "t0ken", 2000, false, "test");
    delivery =
        new Delivery(spool, client, new Delivery.Settings(100, new Backoff(200, 400)), Thread::new);
    delivery.start();
  }

  private void append(long... seqs) throws Exception {
    appending(seqs).await(10, TimeUnit.SECONDS);
  }

  private Future<Void> appending(long... seqs) {
    return worker.executeBlocking(
        () -> {
          for (long s : seqs) {
            spool.append(
                CODEC.deflate(
                    new JsonObject()
                        .put("agent", new JsonObject().put("seq", s))
                        .encode()
                        .getBytes(StandardCharsets.UTF_8)));
          }
          return null;
        });
  }

  private Future<Void> until(Vertx vertx, BooleanSupplier cond) {
    return Poll.until(vertx, 20_000, () -> "requests seen: " + seen, cond::getAsBoolean);
  }

  @Test
  void serverTroubleIsRetriedHonouringRetryAfterThenEverythingArrivesInOrder(
      Vertx vertx, VertxTestContext ctx) throws Exception {
    List<Answer> script =
        List.of(new Answer(503, "1"), new Answer(429, "1"), new Answer(202, null));
    HttpServer s =
        server(vertx, x -> script.get(Math.min(seen.size() - 1, 2))).await(10, TimeUnit.SECONDS);
    startDelivery(vertx, s.actualPort(), 1, 2, 3);
    until(vertx, () -> seen.size() >= 3 && delivery.sentSnapshots() == 3)
        .onComplete(
            ctx.succeeding(
                v ->
                    ctx.verify(
                        () -> {
                          assertThat(seen.get(0).seqs()).containsExactly(1L, 2L, 3L);
                          assertThat(seen.get(0).gzip()).isTrue();
                          // Retry-After: 1 is a floor over the 200-400 ms backoff.
                          assertThat(seen.get(1).atMs() - seen.get(0).atMs())
                              .isGreaterThanOrEqualTo(990);
                          assertThat(seen.get(2).atMs() - seen.get(1).atMs())
                              .isGreaterThanOrEqualTo(990);
                          assertThat(seen.get(2).seqs()).containsExactly(1L, 2L, 3L);
                          assertThat(delivery.sentSnapshots()).isEqualTo(3);
                          ctx.completeNow();
                        })));
  }

  @Test
  void aRefusedBatchIsResentOneByOneAndOnlyTheBadSnapshotIsDropped(
      Vertx vertx, VertxTestContext ctx) throws Exception {
    HttpServer s =
        server(vertx, x -> new Answer(x.contains(2L) ? 400 : 202, null))
            .await(10, TimeUnit.SECONDS);
    startDelivery(vertx, s.actualPort(), 1, 2, 3, 4);
    until(vertx, () -> delivery.sentSnapshots() == 3 && spool.pending() == 0)
        .onComplete(
            ctx.succeeding(
                v ->
                    ctx.verify(
                        () -> {
                          assertThat(seen.stream().map(Seen::seqs).toList())
                              .containsExactly(
                                  List.of(1L, 2L, 3L, 4L),
                                  List.of(1L),
                                  List.of(2L),
                                  List.of(3L),
                                  List.of(4L));
                          assertThat(delivery.dropped()).isEqualTo(Map.of(Problem.REJECTED, 1L));
                          ctx.completeNow();
                        })));
  }

  @Test
  void a401IsLoggedCountedAndNeverRetried(Vertx vertx, VertxTestContext ctx) throws Exception {
    HttpServer s = server(vertx, x -> new Answer(401, null)).await(10, TimeUnit.SECONDS);
    startDelivery(vertx, s.actualPort(), 1);
    until(vertx, () -> seen.size() == 1 && spool.pending() == 0)
        .compose(v -> appending(2))
        .onSuccess(v -> delivery.wake())
        .compose(v -> until(vertx, () -> seen.size() == 2 && spool.pending() == 0))
        .onComplete(
            ctx.succeeding(
                v ->
                    ctx.verify(
                        () -> {
                          // Each snapshot was sent once: the 401 was not retried, and sending goes
                          // on for the next sample.
                          assertThat(seen.stream().map(Seen::seqs).toList())
                              .containsExactly(List.of(1L), List.of(2L));
                          assertThat(delivery.dropped())
                              .isEqualTo(Map.of(Problem.UNAUTHORIZED, 2L));
                          ctx.completeNow();
                        })));
  }
}
