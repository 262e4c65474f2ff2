package dev.trainwatch.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainwatch.bus.Json;
import dev.trainwatch.bus.Tokens;
import dev.trainwatch.history.HistoryVerticle;
import dev.trainwatch.history.registry.RegistryStore;
import dev.trainwatch.rates.RatesVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Ingest end to end: real HTTP client → ingest → rates → history → embedded Postgres. */
@ExtendWith(VertxExtension.class)
class IngestTest {
  static EmbeddedPostgres pg;
  static Vertx vertx;
  static String historyId;
  static int port;
  static WebClient http;
  static String alphaToken;
  static String betaToken;

  @BeforeAll
  static void start() throws Exception {
    pg = EmbeddedPostgres.builder().start();
    vertx = Vertx.vertx();
    JsonObject hist =
        new JsonObject()
            .put("pg_url", "postgresql://postgres@127.0.0.1:" + pg.getPort() + "/postgres")
            .put("flush_ms", 0);
    historyId =
        vertx
            .deployVerticle(new HistoryVerticle(), new DeploymentOptions().setConfig(hist))
            .await(60, TimeUnit.SECONDS);
    vertx
        .deployVerticle(
            new RatesVerticle(),
            new DeploymentOptions().setConfig(new JsonObject().put("store_timeout_ms", 3000)))
        .await(10, TimeUnit.SECONDS);
    IngestVerticle ingest = new IngestVerticle();
    vertx
        .deployVerticle(
            ingest,
            new DeploymentOptions()
                .setConfig(
                    new JsonObject()
                        .put("http", new JsonObject().put("port", 0))
                        .put("store_timeout_ms", 3000)
                        // Tests here fail authentication on purpose, in any order; the limiter has
                        // its own server and test below.
                        .put("auth_failures_max", 1000)))
        .await(10, TimeUnit.SECONDS);
    port = ingest.actualPort();
    http = WebClient.create(vertx);
    alphaToken = register("alpha", true);
    betaToken = register("beta", true);
    register("gamma-off", false);
  }

  @AfterAll
  static void stop() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
    pg.close();
  }

  static String register(String slug, boolean active) throws Exception {
    String token = Tokens.generate();
    try (Connection c = pg.getPostgresDatabase().getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "INSERT INTO servers (slug, name, token_prefix, token_hash, is_active) VALUES (?, ?, ?, ?, ?)")) {
      ps.setString(1, slug);
      ps.setString(2, slug);
      ps.setString(3, Tokens.prefix(token));
      ps.setBytes(4, Tokens.sha256(token));
      ps.setBoolean(5, active);
      ps.executeUpdate();
    }
    return token;
  }

  static long rows(String server) throws Exception {
    try (Connection c = pg.getPostgresDatabase().getConnection();
        ResultSet rs =
            c.createStatement()
                .executeQuery("select count(*) from snapshots where server = '" + server + "'")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /**
   * An hour ago, whole seconds: inside ingest's time window, and the same on every call (repeats
   * must match).
   */
  static final Instant BASE = Instant.now().minusSeconds(3600).truncatedTo(ChronoUnit.MINUTES);

  static JsonObject snapshot(String boot, long seq) {
    return new JsonObject()
        .put("schema", 1)
        .put("ts", Json.ts(BASE.plusSeconds(seq % 60)))
        .put(
            "agent",
            new JsonObject()
                .put("version", "0.1.0")
                .put("hostname", "box")
                .put("boot_id", boot)
                .put("seq", seq)
                .put("uptime_ms", 1_000_000 + seq * 1000))
        .put(
            "cpu",
            new JsonObject()
                .put(
                    "ticks_ms_total",
                    new JsonArray()
                        .add(
                            new JsonArray(
                                List.of(1000 + seq * 500, 0, 100, 5000 + seq * 500, 0, 0, 0, 0)))))
        .put(
            "memory",
            new JsonObject()
                .put("total_bytes", 8_000_000_000L)
                .put("available_bytes", 6_000_000_000L));
  }

  static Future<HttpResponse<Buffer>> post(String slug, String token, JsonObject body) {
    var req =
        http.post(port, "127.0.0.1", "/api/ingest/servers/" + slug + "/metrics/")
            .putHeader("content-type", "application/json");
    if (token != null) {
      req.putHeader("x-monitoring-token", token);
    }
    return req.sendBuffer(body.toBuffer());
  }

  static void assertError(HttpResponse<Buffer> r, int status, String code, String field) {
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(status);
    JsonObject e = r.bodyAsJsonObject().getJsonObject("error");
    assertThat(e.getString("code")).isEqualTo(code);
    assertThat(e.getString("message")).isNotBlank();
    if (field != null) {
      assertThat(e.getString("field")).isEqualTo(field);
    }
  }

  @Test
  void acceptsOnceAndAcknowledgesRepeats(VertxTestContext ctx) {
    JsonObject s = snapshot("boot-1", 1);
    post("alpha", alphaToken, s)
        .compose(
            first -> {
              ctx.verify(
                  () -> {
                    assertThat(first.statusCode()).as(first.bodyAsString()).isEqualTo(202);
                    assertThat(first.bodyAsJsonObject())
                        .isEqualTo(new JsonObject().put("accepted", 1).put("duplicates", 0));
                  });
              return post("alpha", alphaToken, s);
            })
        .compose(
            again -> {
              ctx.verify(
                  () ->
                      assertThat(again.bodyAsJsonObject())
                          .isEqualTo(new JsonObject().put("accepted", 0).put("duplicates", 1)));
              // A replayed backlog that overlaps what was stored: only the new ones count.
              JsonObject batch =
                  new JsonObject()
                      .put(
                          "snapshots",
                          new JsonArray()
                              .add(s)
                              .add(snapshot("boot-1", 2))
                              .add(snapshot("boot-1", 3)));
              return http.post(port, "127.0.0.1", "/api/ingest/servers/alpha/metrics")
                  .putHeader("content-type", "application/json; charset=utf-8")
                  .putHeader("authorization", "Bearer " + alphaToken)
                  .sendBuffer(batch.toBuffer());
            })
        .onComplete(
            ctx.succeeding(
                batch ->
                    ctx.verify(
                        () -> {
                          assertThat(batch.statusCode()).isEqualTo(202);
                          assertThat(batch.bodyAsJsonObject())
                              .isEqualTo(new JsonObject().put("accepted", 2).put("duplicates", 1));
                          assertThat(rows("alpha")).isEqualTo(3);
                          ctx.completeNow();
                        })));
  }

  @Test
  void authenticationFailures(VertxTestContext ctx) {
    JsonObject s = snapshot("boot-x", 1);
    post("beta", null, s)
        .compose(
            r -> {
              ctx.verify(() -> assertError(r, 401, "unauthorized", null));
              return post("beta", alphaToken, s);
            })
        .compose(
            r -> {
              ctx.verify(() -> assertError(r, 401, "unauthorized", null));
              return post("gamma-off", "tw_00000000_whatever", s);
            })
        .compose(
            r -> {
              ctx.verify(() -> assertError(r, 401, "unauthorized", null));
              return post("nobody", alphaToken, s);
            })
        .onComplete(
            ctx.succeeding(
                r ->
                    ctx.verify(
                        () -> {
                          assertError(r, 404, "unknown_server", null);
                          assertThat(rows("beta")).isZero();
                          ctx.completeNow();
                        })));
  }

  @Test
  void disabledServerIsRefusedWith403(VertxTestContext ctx) throws Exception {
    String token = register("delta-off", false);
    post("delta-off", token, snapshot("b", 1))
        .onComplete(
            ctx.succeeding(
                r ->
                    ctx.verify(
                        () -> {
                          assertError(r, 403, "server_disabled", null);
                          assertThat(rows("delta-off")).isZero();
                          ctx.completeNow();
                        })));
  }

  @Test
  void malformedBodiesAre4xxAndChangeNothing(VertxTestContext ctx) {
    JsonObject badSeq =
        new JsonObject()
            .put(
                "snapshots",
                new JsonArray()
                    .add(snapshot("boot-m", 1))
                    .add(
                        snapshot("boot-m", 2)
                            .put(
                                "agent",
                                snapshot("boot-m", 2).getJsonObject("agent").put("seq", -4))));
    StringBuilder deep = new StringBuilder();
    for (int i = 0; i < 100; i++) {
      deep.append("{\"a\":");
    }
    deep.append("1").append("}".repeat(100));
    http.post(port, "127.0.0.1", "/api/ingest/servers/beta/metrics/")
        .putHeader("content-type", "text/plain")
        .putHeader("x-monitoring-token", betaToken)
        .sendBuffer(Buffer.buffer("{}"))
        .compose(
            r -> {
              ctx.verify(() -> assertError(r, 415, "unsupported_media_type", null));
              return http.post(port, "127.0.0.1", "/api/ingest/servers/beta/metrics/")
                  .putHeader("content-type", "application/json")
                  .putHeader("x-monitoring-token", betaToken)
                  .sendBuffer(Buffer.buffer("{\"schema\": 1, "));
            })
        .compose(
            r -> {
              ctx.verify(() -> assertError(r, 400, "invalid_json", null));
              return post("beta", betaToken, badSeq);
            })
        .compose(
            r -> {
              ctx.verify(() -> assertError(r, 400, "invalid_payload", "snapshots[1].agent.seq"));
              return http.post(port, "127.0.0.1", "/api/ingest/servers/beta/metrics/")
                  .putHeader("content-type", "application/json")
                  .putHeader("x-monitoring-token", betaToken)
                  .sendBuffer(Buffer.buffer(deep.toString()));
            })
        .compose(
            r -> {
              ctx.verify(() -> assertError(r, 400, "invalid_json", null));
              return post("beta", betaToken, new JsonObject().put("snapshots", new JsonArray()));
            })
        .onComplete(
            ctx.succeeding(
                r ->
                    ctx.verify(
                        () -> {
                          assertError(r, 400, "invalid_payload", "snapshots");
                          assertThat(rows("beta"))
                              .as("a batch with one bad snapshot stores none")
                              .isZero();
                          ctx.completeNow();
                        })));
  }

  /**
   * Issue 13: strict RFC 3339, and only times raw history can hold; one bad snapshot refuses its
   * batch, not others'.
   */
  @Test
  void timestampsOutsideTheWindowOrFormAre400NamingThem(VertxTestContext ctx) {
    Instant now = Instant.now();
    JsonObject future = snapshot("boot-t", 1).put("ts", Json.ts(now.plusSeconds(3600)));
    JsonObject ancient = snapshot("boot-t", 2).put("ts", Json.ts(now.minus(Duration.ofDays(8))));
    JsonObject farYear = snapshot("boot-t", 3).put("ts", "+10000-01-01T00:00:00.000Z");
    JsonObject offset = snapshot("boot-t", 4).put("ts", "2026-12-04T06:00:00.000+00:00");
    JsonObject batch =
        new JsonObject().put("snapshots", new JsonArray().add(snapshot("boot-t", 5)).add(future));
    post("alpha", alphaToken, future)
        .compose(
            r -> {
              ctx.verify(() -> assertError(r, 400, "invalid_payload", "ts"));
              return post("alpha", alphaToken, ancient);
            })
        .compose(
            r -> {
              ctx.verify(() -> assertError(r, 400, "invalid_payload", "ts"));
              return post("alpha", alphaToken, farYear);
            })
        .compose(
            r -> {
              ctx.verify(() -> assertError(r, 400, "invalid_payload", "ts"));
              return post("alpha", alphaToken, offset);
            })
        .compose(
            r -> {
              ctx.verify(() -> assertError(r, 400, "invalid_payload", "ts"));
              return post("alpha", alphaToken, batch);
            })
        .compose(
            r -> {
              ctx.verify(() -> assertError(r, 400, "invalid_payload", "snapshots[1].ts"));
              return post("alpha", alphaToken, snapshot("boot-t", 5));
            })
        .onComplete(
            ctx.succeeding(
                r ->
                    ctx.verify(
                        () -> {
                          // The good half of the refused batch was not stored: this is its first
                          // arrival.
                          assertThat(r.statusCode()).isEqualTo(202);
                          assertThat(r.bodyAsJsonObject().getInteger("duplicates")).isZero();
                          ctx.completeNow();
                        })));
  }

  /**
   * Issue 13: bodies are inflated by ingest after the token check, never by the server before it.
   */
  @Test
  void gzipIsInflatedOnlyAfterTheTokenAndGarbageIs400(VertxTestContext ctx) throws Exception {
    Buffer bomb = Buffer.buffer(BoundedBodyTest.gzip(new byte[1 << 20], 64));
    Buffer good =
        Buffer.buffer(BoundedBodyTest.gzip(snapshot("boot-z", 1).toBuffer().getBytes(), 1));
    WebClient http = WebClient.create(vertx);
    BiFunction<String, Buffer, Future<HttpResponse<Buffer>>> send =
        (tok, body) ->
            http.post(port, "127.0.0.1", "/api/ingest/servers/alpha/metrics/")
                .putHeader("content-type", "application/json")
                .putHeader("content-encoding", "gzip")
                .putHeader("x-monitoring-token", tok)
                .sendBuffer(body);
    send.apply("tw_00000000_wrong", bomb)
        .compose(
            r -> {
              ctx.verify(() -> assertError(r, 401, "unauthorized", null));
              return send.apply(alphaToken, Buffer.buffer("not gzip at all"));
            })
        .compose(
            r -> {
              ctx.verify(() -> assertError(r, 400, "invalid_payload", null));
              return send.apply(alphaToken, good);
            })
        .onComplete(
            ctx.succeeding(
                r ->
                    ctx.verify(
                        () -> {
                          assertThat(r.statusCode()).isEqualTo(202);
                          ctx.completeNow();
                        })));
  }

  @Test
  void oversizedAndGzipBombBodiesGet413(VertxTestContext ctx) throws Exception {
    String pad = "x".repeat(60_000);
    JsonArray many = new JsonArray();
    for (int i = 0; i < 20; i++) {
      many.add(snapshot("boot-big", i).put("pad", pad));
    }
    JsonObject big = new JsonObject().put("snapshots", many);
    // 8 MiB of one repeated byte gzips to ~8 KiB: the limit must count what it inflates to.
    ByteArrayOutputStream bos = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(bos)) {
      byte[] zeros = new byte[1 << 20];
      Arrays.fill(zeros, (byte) ' ');
      for (int i = 0; i < 8; i++) {
        gz.write(zeros);
      }
    }
    Buffer bomb = Buffer.buffer(bos.toByteArray());
    assertThat(bomb.length()).isLessThan(64 * 1024);
    post("beta", betaToken, big)
        .compose(
            r -> {
              ctx.verify(() -> assertError(r, 413, "payload_too_large", null));
              return WebClient.create(vertx)
                  .post(port, "127.0.0.1", "/api/ingest/servers/beta/metrics/")
                  .putHeader("content-type", "application/json")
                  .putHeader("content-encoding", "gzip")
                  .putHeader("x-monitoring-token", betaToken)
                  .sendBuffer(bomb);
            })
        .compose(
            r -> {
              ctx.verify(() -> assertError(r, 413, "payload_too_large", null));
              // A small gzipped snapshot is fine.
              ByteArrayOutputStream ok = new ByteArrayOutputStream();
              try (GZIPOutputStream gz = new GZIPOutputStream(ok)) {
                gz.write(snapshot("boot-gz", 1).toBuffer().getBytes());
              } catch (IOException e) {
                throw new IllegalStateException(e);
              }
              return WebClient.create(vertx)
                  .post(port, "127.0.0.1", "/api/ingest/servers/beta/metrics/")
                  .putHeader("content-type", "application/json")
                  .putHeader("content-encoding", "gzip")
                  .putHeader("x-monitoring-token", betaToken)
                  .sendBuffer(Buffer.buffer(ok.toByteArray()));
            })
        .onComplete(
            ctx.succeeding(
                r ->
                    ctx.verify(
                        () -> {
                          assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(202);
                          ctx.completeNow();
                        })));
  }

  @Test
  void rotationInvalidatesTheOldTokenOnTheNextRequest(VertxTestContext ctx) throws Exception {
    String old = register("epsilon", true);
    post("epsilon", old, snapshot("boot-e", 1))
        .compose(
            r -> {
              ctx.verify(() -> assertThat(r.statusCode()).isEqualTo(202));
              String fresh = Tokens.generate();
              try (Connection c = pg.getPostgresDatabase().getConnection();
                  PreparedStatement ps =
                      c.prepareStatement(
                          "UPDATE servers SET token_hash = ?, token_prefix = ? WHERE slug = 'epsilon'")) {
                ps.setBytes(1, Tokens.sha256(fresh));
                ps.setString(2, Tokens.prefix(fresh));
                ps.executeUpdate();
                c.createStatement()
                    .execute("select pg_notify('" + RegistryStore.CHANNEL + "', 'epsilon')");
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
              return waitForRejection(old, 50).map(fresh);
            })
        .compose(fresh -> post("epsilon", fresh, snapshot("boot-e", 3)))
        .onComplete(
            ctx.succeeding(
                r ->
                    ctx.verify(
                        () -> {
                          assertThat(r.statusCode()).isEqualTo(202);
                          ctx.completeNow();
                        })));
  }

  /**
   * The NOTIFY reaches us asynchronously; the old token must be refused within a bounded number of
   * attempts (in practice the first: the notification lands before the next request).
   */
  private Future<Void> waitForRejection(String old, int attemptsLeft) {
    return post("epsilon", old, snapshot("boot-e", 2))
        .compose(
            r -> {
              if (r.statusCode() == 401) {
                return Future.succeededFuture();
              }
              if (attemptsLeft == 0) {
                return Future.failedFuture("old token still accepted");
              }
              return waitForRejection(old, attemptsLeft - 1);
            });
  }

  @Test
  void concurrentAgentsOnTheSameAndDifferentSlugs(VertxTestContext ctx) throws Exception {
    String[] tokens = {register("zeta-1", true), register("zeta-2", true)};
    List<Future<HttpResponse<Buffer>>> all = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      int server = i % 2;
      // Two agents per server (different boot ids) posting at once.
      all.add(post("zeta-" + (server + 1), tokens[server], snapshot("boot-" + (i % 4), i / 4)));
    }
    Future.all(all)
        .onComplete(
            ctx.succeeding(
                v ->
                    ctx.verify(
                        () -> {
                          for (var f : all) {
                            assertThat(f.result().statusCode()).isEqualTo(202);
                          }
                          assertThat(rows("zeta-1")).isEqualTo(20);
                          assertThat(rows("zeta-2")).isEqualTo(20);
                          ctx.completeNow();
                        })));
  }

  @Test
  void repeatedAuthFailuresAreRateLimitedWithoutSlowingValidAgents(VertxTestContext ctx)
      throws Exception {
    IngestVerticle strict = new IngestVerticle();
    vertx
        .deployVerticle(
            strict,
            new DeploymentOptions()
                .setConfig(
                    new JsonObject()
                        .put("http", new JsonObject().put("port", 0))
                        .put("auth_failures_max", 3)
                        .put("auth_failure_window_s", 30)))
        .await(10, TimeUnit.SECONDS);
    int strictPort = strict.actualPort();
    Function<String, Future<HttpResponse<Buffer>>> send =
        token ->
            http.post(strictPort, "127.0.0.1", "/api/ingest/servers/beta/metrics/")
                .putHeader("content-type", "application/json")
                .putHeader("x-monitoring-token", token)
                .sendBuffer(snapshot("boot-rl", 1).toBuffer());
    send.apply("wrong-1")
        .compose(r -> send.apply("wrong-2"))
        .compose(r -> send.apply("wrong-3"))
        .compose(r -> send.apply(betaToken))
        .onComplete(
            ctx.succeeding(
                r ->
                    ctx.verify(
                        () -> {
                          assertError(r, 429, "rate_limited", null);
                          assertThat(r.getHeader("retry-after")).isEqualTo("30");
                          ctx.completeNow();
                        })));
  }

  /**
   * Issue 13: a guesser behind the same address (a NAT) does not lock out the agents next to it,
   * and probing for slugs is counted like guessing tokens.
   */
  @Test
  void aGuesserBehindTheSameAddressDoesNotLockOutWorkingAgents(VertxTestContext ctx)
      throws Exception {
    IngestVerticle strict = new IngestVerticle();
    vertx
        .deployVerticle(
            strict,
            new DeploymentOptions()
                .setConfig(
                    new JsonObject()
                        .put("http", new JsonObject().put("port", 0))
                        .put("auth_failures_max", 3)
                        .put("auth_failure_window_s", 30)))
        .await(10, TimeUnit.SECONDS);
    int strictPort = strict.actualPort();
    BiFunction<String, String, Future<HttpResponse<Buffer>>> send =
        (slug, tok) ->
            http.post(strictPort, "127.0.0.1", "/api/ingest/servers/" + slug + "/metrics/")
                .putHeader("content-type", "application/json")
                .putHeader("x-monitoring-token", tok)
                .sendBuffer(snapshot("boot-nat", 7).toBuffer());
    Future<HttpResponse<Buffer>> chain = send.apply("alpha", alphaToken);
    // 3 wrong tokens for beta (its own limit), then 27 probes of unknown slugs: the address's limit
    // (3 x 10).
    for (int i = 0; i < 3; i++) {
      chain = chain.compose(r -> send.apply("beta", "tw_00000000_guess"));
    }
    for (int i = 0; i < 27; i++) {
      String probe = "probe-" + i;
      chain = chain.compose(r -> send.apply(probe, "tw_00000000_guess"));
    }
    chain
        .compose(
            r -> {
              ctx.verify(
                  () -> assertThat(r.statusCode()).as("a probe of an unknown slug").isEqualTo(404));
              return send.apply("beta", betaToken);
            })
        .compose(
            r -> {
              ctx.verify(() -> assertError(r, 429, "rate_limited", null));
              return send.apply("alpha", alphaToken);
            })
        .onComplete(
            ctx.succeeding(
                r ->
                    ctx.verify(
                        () -> {
                          assertThat(r.statusCode())
                              .as("the agent already known good keeps working")
                              .isEqualTo(202);
                          ctx.completeNow();
                        })));
  }

  /**
   * Issue 13: every encoding Netty could inflate is refused before anything is read, except gzip
   * (ours, capped).
   */
  @Test
  void everyOtherContentEncodingIs415(VertxTestContext ctx) {
    List<String> encodings =
        List.of(
            "deflate",
            "br",
            "zstd",
            "snappy",
            "x-gzip",
            "compress",
            "gzip, gzip",
            "identity, gzip",
            "GZIP2",
            "");
    Future<Void> chain = Future.succeededFuture();
    for (String enc : encodings) {
      chain =
          chain.compose(
              v ->
                  http.post(port, "127.0.0.1", "/api/ingest/servers/alpha/metrics/")
                      .putHeader("content-type", "application/json")
                      .putHeader("content-encoding", enc)
                      .putHeader("x-monitoring-token", alphaToken)
                      .sendBuffer(Buffer.buffer(new byte[] {1, 2, 3, 4}))
                      .map(
                          r -> {
                            ctx.verify(() -> assertError(r, 415, "unsupported_media_type", null));
                            return null;
                          }));
    }
    chain.onComplete(ctx.succeedingThenComplete());
  }
}
