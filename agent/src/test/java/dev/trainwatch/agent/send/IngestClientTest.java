package dev.trainwatch.agent.send;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The agent's blocking HTTP client against a real Vert.x server: what it sends, that it keeps one
 * connection, and how each kind of answer or silence becomes an {@link Outcome}.
 */
@ExtendWith(VertxExtension.class)
class IngestClientTest {
  private final AtomicInteger connections = new AtomicInteger();
  private final List<HttpServerRequest> requests = new CopyOnWriteArrayList<>();
  private final List<String> bodies = new CopyOnWriteArrayList<>();

  private int serve(Vertx vertx, Consumer<HttpServerRequest> answer) throws Exception {
    HttpServer s =
        vertx
            .createHttpServer()
            .connectionHandler(c -> connections.incrementAndGet())
            .requestHandler(
                req ->
                    req.body()
                        .onSuccess(
                            b -> {
                              requests.add(req);
                              bodies.add(gunzip(b.getBytes()));
                              answer.accept(req);
                            }))
            .listen(0, "127.0.0.1")
            .await(10, TimeUnit.SECONDS);
    return s.actualPort();
  }

  private static String gunzip(byte[] gz) {
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "not gzip: " + e;
    }
  }

  private static byte[] gzip(String s) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream z = new GZIPOutputStream(out)) {
      z.write(s.getBytes(StandardCharsets.UTF_8));
    }
    return out.toByteArray();
  }

  private static IngestClient client(int port, long timeoutMs) {
    return new IngestClient(
        URI.create("http://127.0.0.1:" + port + "/prefix/"),
        "box",
        "t0ken",
        timeoutMs,
        false,
        "trainwatch-agent/test");
  }

  @Test
  void sendsGzipWithTheTokenAndKeepsOneConnectionForManyRequests(Vertx vertx, VertxTestContext ctx)
      throws Exception {
    int port =
        serve(
            vertx,
            req ->
                req.response()
                    .setStatusCode(202)
                    .end("{\"accepted\":" + bodies.size() + ",\"duplicates\":1}"));
    IngestClient c = client(port, 2000);
    Outcome first = c.post(gzip("{\"snapshots\":[1]}"));
    Outcome second = c.post(gzip("{\"snapshots\":[2]}"));
    Outcome third = c.post(gzip("{\"snapshots\":[3]}"));
    ctx.verify(
        () -> {
          assertThat(List.of(first, second, third)).allMatch(Outcome::ok);
          assertThat(third.accepted()).isEqualTo(3);
          assertThat(third.duplicates()).isEqualTo(1);
          assertThat(third.describe()).isEqualTo("202 accepted 3, duplicates 1");
          assertThat(bodies)
              .containsExactly("{\"snapshots\":[1]}", "{\"snapshots\":[2]}", "{\"snapshots\":[3]}");
          HttpServerRequest r = requests.get(0);
          assertThat(r.path()).isEqualTo("/prefix/api/ingest/servers/box/metrics/");
          assertThat(r.method().name()).isEqualTo("POST");
          assertThat(r.getHeader("x-monitoring-token")).isEqualTo("t0ken");
          assertThat(r.getHeader("content-encoding")).isEqualTo("gzip");
          assertThat(r.getHeader("content-type")).isEqualTo("application/json");
          assertThat(r.getHeader("user-agent")).isEqualTo("trainwatch-agent/test");
          assertThat(connections.get()).as("connections for three requests").isEqualTo(1);
          ctx.completeNow();
        });
  }

  @Test
  void errorsCarryTheContractsCodeAndRetryAfterEvenA401AndRedirectsNameTheirTarget(
      Vertx vertx, VertxTestContext ctx) throws Exception {
    int port =
        serve(
            vertx,
            req -> {
              switch (requests.size()) {
                case 1 ->
                    req.response()
                        .setStatusCode(503)
                        .putHeader("retry-after", "7")
                        .end(
                            "{\"error\":{\"code\":\"unavailable\",\"message\":\"storage busy\","
                                + "\"field\":\"snapshots\"}}");
                case 2 ->
                    req.response()
                        .setStatusCode(308)
                        .putHeader("location", "https://dash.example/")
                        .end();
                case 3 ->
                    req.response()
                        .setStatusCode(401)
                        .end("{\"error\":{\"code\":\"unauthorized\",\"message\":\"bad token\"}}");
                default -> req.response().setStatusCode(400).end("<html>\n  no  </html>");
              }
            });
    IngestClient c = client(port, 2000);
    Outcome busy = c.post(gzip("{}"));
    Outcome moved = c.post(gzip("{}"));
    Outcome denied = c.post(gzip("{}"));
    Outcome html = c.post(gzip("{}"));
    ctx.verify(
        () -> {
          assertThat(busy.problem()).isEqualTo(Problem.UNAVAILABLE);
          assertThat(busy.retryAfterMs()).isEqualTo(7000);
          assertThat(busy.describe())
              .isEqualTo("HTTP 503: unavailable: storage busy (field snapshots)");
          assertThat(moved.problem()).isEqualTo(Problem.REJECTED);
          assertThat(moved.describe())
              .isEqualTo("HTTP 308: redirected to https://dash.example/: use that URL as --host");
          // The JDK drops a 401's body when the request was streamed; this client keeps it.
          assertThat(denied.problem()).isEqualTo(Problem.UNAUTHORIZED);
          assertThat(denied.describe()).isEqualTo("HTTP 401: unauthorized: bad token");
          assertThat(html.problem()).isEqualTo(Problem.REJECTED);
          assertThat(html.describe()).isEqualTo("HTTP 400: unexpected body: <html> no </html>");
          ctx.completeNow();
        });
  }

  @Test
  void anOverlongAnswerIsCutAndTheNextRequestStillGoesThrough(Vertx vertx, VertxTestContext ctx)
      throws Exception {
    String huge = "x".repeat(IngestClient.MAX_ANSWER_BYTES * 4);
    int port =
        serve(
            vertx,
            req -> {
              if (requests.size() == 1) {
                req.response().setStatusCode(500).end(huge);
              } else {
                req.response().setStatusCode(202).end("{\"accepted\":1,\"duplicates\":0}");
              }
            });
    IngestClient c = client(port, 2000);
    Outcome cut = c.post(gzip("{}"));
    Outcome next = c.post(gzip("{}"));
    ctx.verify(
        () -> {
          assertThat(cut.problem()).isEqualTo(Problem.UNAVAILABLE);
          assertThat(cut.detail()).isEqualTo("unexpected body: " + "x".repeat(200) + "…");
          assertThat(next.ok()).as(next.describe()).isTrue();
          ctx.completeNow();
        });
  }

  @Test
  void aServerThatNeverAnswersIsATimeoutAfterTimeoutMs(Vertx vertx, VertxTestContext ctx)
      throws Exception {
    int port = serve(vertx, req -> {}); // reads the request, never answers
    long t0 = System.nanoTime();
    Outcome o = client(port, 300).post(gzip("{}"));
    long tookMs = (System.nanoTime() - t0) / 1_000_000;
    ctx.verify(
        () -> {
          assertThat(o.problem()).as(o.describe()).isEqualTo(Problem.TIMEOUT);
          assertThat(o.problem().retried()).isTrue();
          assertThat(tookMs).isBetween(250L, 5_000L);
          ctx.completeNow();
        });
  }

  @Test
  void nothingListeningIsUnreachable(VertxTestContext ctx) throws Exception {
    int port;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      port = s.getLocalPort(); // closed again: nothing listens there now
    }
    Outcome o = client(port, 2000).post(gzip("{}"));
    ctx.verify(
        () -> {
          assertThat(o.problem()).as(o.describe()).isEqualTo(Problem.UNREACHABLE);
          assertThat(o.detail()).startsWith("ConnectException");
          ctx.completeNow();
        });
  }
}
