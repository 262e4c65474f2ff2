package dev.trainwatch.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Slowloris (issue 13): deadlines on the request head, the body and the next head of a kept-alive
 * connection, each shortened here (500, 800 and 600 ms) from the product's 10 s, 30 s and 120 s.
 * Idle timeouts alone never fire for these clients, since each sends a byte well within them.
 */
@ExtendWith(VertxExtension.class)
class SlowClientTest {
  static final String PATH = "/api/ingest/servers/alpha/metrics/";
  IngestVerticle ingest;
  NetClient tcp;

  @BeforeEach
  void start(Vertx vertx) throws Exception {
    ingest =
        StubbedIngest.deploy(
            vertx,
            new JsonObject()
                .put("head_timeout_ms", 500)
                .put("body_timeout_ms", 800)
                .put("keep_alive_timeout_ms", 600));
    tcp = vertx.createNetClient();
  }

  /**
   * Connects, then writes {@code first} and, every 100 ms, {@code drip}; completes with what came
   * back once closed.
   */
  private Future<String> trickle(Vertx vertx, String first, String drip) {
    return tcp.connect(ingest.actualPort(), "127.0.0.1")
        .compose(
            so -> {
              Buffer got = Buffer.buffer();
              so.handler(got::appendBuffer);
              if (!first.isEmpty()) {
                so.write(first);
              }
              long timer = drip.isEmpty() ? -1 : vertx.setPeriodic(100, id -> so.write(drip));
              Promise<String> closed = Promise.promise();
              so.closeHandler(
                  v -> {
                    vertx.cancelTimer(timer);
                    closed.complete(got.toString());
                  });
              return closed.future();
            });
  }

  @Test
  void aConnectionThatSendsNothingIsClosed(Vertx vertx, VertxTestContext ctx) {
    long t = System.nanoTime();
    trickle(vertx, "", "")
        .onComplete(
            ctx.succeeding(
                got ->
                    ctx.verify(
                        () -> {
                          assertThat(got).isEmpty();
                          assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t))
                              .isBetween(450L, 5_000L);
                          ctx.completeNow();
                        })));
  }

  @Test
  void aHeadSentAByteAtATimeIsClosed(Vertx vertx, VertxTestContext ctx) {
    trickle(vertx, "POST " + PATH + " HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Padding: ", "a")
        .onComplete(
            ctx.succeeding(
                got ->
                    ctx.verify(
                        () -> {
                          assertThat(got).as("no request was read, so none is answered").isEmpty();
                          ctx.completeNow();
                        })));
  }

  @Test
  void aBodySentAByteAtATimeGets408(Vertx vertx, VertxTestContext ctx) {
    trickle(vertx, StubbedIngest.head(PATH, 100_000) + "{\"schema\":", " ")
        .onComplete(
            ctx.succeeding(
                got ->
                    ctx.verify(
                        () -> {
                          assertThat(got)
                              .startsWith("HTTP/1.1 408 ")
                              .contains("\"request_timeout\"")
                              .containsIgnoringCase("connection: close");
                          assertThat(ingest.watchedConnections()).isZero();
                          ctx.completeNow();
                        })));
  }

  @Test
  void aKeptAliveConnectionWithNoNextRequestIsClosed(Vertx vertx, VertxTestContext ctx) {
    trickle(vertx, "GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", "")
        .onComplete(
            ctx.succeeding(
                got ->
                    ctx.verify(
                        () -> {
                          assertThat(got).startsWith("HTTP/1.1 200 ");
                          ctx.completeNow();
                        })));
  }

  /**
   * A client that keeps up is never cut off: 20 requests over 2 s, far past every deadline, on one
   * connection.
   */
  @Test
  void aBriskClientKeepsItsConnection(Vertx vertx, VertxTestContext ctx) {
    tcp.connect(ingest.actualPort(), "127.0.0.1")
        .onComplete(
            ctx.succeeding(
                so -> {
                  Buffer got = Buffer.buffer();
                  so.closeHandler(
                      v -> ctx.failNow("closed after " + count(got.toString()) + " answers"));
                  so.handler(
                      b -> {
                        got.appendBuffer(b);
                        if (count(got.toString()) == 20) {
                          so.closeHandler(null);
                          so.close();
                          ctx.completeNow();
                        }
                      });
                  int[] sent = {0};
                  vertx.setPeriodic(
                      100,
                      id -> {
                        so.write("GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
                        if (++sent[0] == 20) {
                          vertx.cancelTimer(id);
                        }
                      });
                }));
  }

  private static int count(String responses) {
    return responses.split("HTTP/1.1 200 ", -1).length - 1;
  }
}
