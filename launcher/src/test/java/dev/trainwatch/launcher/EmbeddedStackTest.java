package dev.trainwatch.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole embedded stack in one JVM, as {@code trainwatch run} starts it: real embedded Postgres
 * (with its data in a temporary data directory), the OSHI collector on this machine, rates, history
 * and the gateway, exercised with real HTTP and WebSocket clients.
 */
@ExtendWith(VertxExtension.class)
class EmbeddedStackTest {
  @TempDir static Path dataDir;
  static RunCommand.Running running;
  static JsonObject config;
  static String token;

  /**
   * Held in a field: Vert.x 5 closes a client that becomes unreachable, which a GC mid-handshake
   * would do.
   */
  WebSocketClient wsClient;

  @BeforeAll
  static void start() throws Exception {
    config =
        ConfigLoader.load(
            null,
            Map.of(
                "TRAINWATCH_DATA_DIR", dataDir.toString(),
                "TRAINWATCH_HTTP_PORT", "0",
                "TRAINWATCH_COLLECTOR_INTERVAL_MS", "500",
                "TRAINWATCH_RATES_NOMINAL_INTERVAL_MS", "500",
                "TRAINWATCH_COLLECTOR_GPU_ENABLED", "false"));
    running = RunCommand.Running.start(config, Role.expand(EnumSet.of(Role.ALL)), false);
    token = TestCredentials.apiToken(running.vertx(), "reader");
  }

  @AfterAll
  static void stop() {
    running.close();
  }

  @Test
  void liveCpuFrameMatchesLatestAndIsStored(Vertx vertx, VertxTestContext ctx) {
    int port = running.httpPort();
    wsClient = vertx.createWebSocketClient();
    WebSocketClient ws = wsClient;
    WebClient http = TestCredentials.client(vertx, token);
    AtomicReference<JsonObject> frame = new AtomicReference<>();
    ws.connect(TestCredentials.ws(port, token))
        .onComplete(
            ctx.succeeding(
                socket -> {
                  socket.textMessageHandler(
                      text -> {
                        JsonObject m = new JsonObject(text);
                        // The first frame after subscribing replays the cached latest, which may
                        // come from the very first
                        // sample (no rates yet); wait for one with utilization.
                        if (!"system/cpu".equals(m.getString("channel"))
                            || frame.get() != null
                            || !m.getJsonObject("data").containsKey("utilization")) {
                          return;
                        }
                        frame.set(m);
                        ctx.verify(
                            () -> {
                              assertThat(m.getString("server")).isEqualTo("local");
                              assertThat(m.getString("event")).isEqualTo("metrics");
                              assertThat(m.getString("ts"))
                                  .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z");
                              JsonObject data = m.getJsonObject("data");
                              JsonArray perCore = data.getJsonArray("per_core");
                              assertThat(perCore.size())
                                  .isEqualTo(Runtime.getRuntime().availableProcessors());
                              double sum = 0;
                              for (int i = 0; i < perCore.size(); i++) {
                                assertThat(perCore.getDouble(i)).isBetween(0.0, 100.0);
                                sum += perCore.getDouble(i);
                              }
                              // Every core runs the same wall interval, so the machine's busy % is
                              // the mean of the cores' busy %.
                              assertThat(data.getDouble("utilization"))
                                  .isBetween(0.0, 100.0)
                                  .isCloseTo(sum / perCore.size(), within(0.5));
                              assertThat(data.getJsonArray("load_avg")).hasSize(3);
                            });
                        String ts = m.getString("ts");
                        http.get(port, "127.0.0.1", "/api/metrics/latest/")
                            .addQueryParam("server", "local")
                            .send()
                            .onComplete(
                                ctx.succeeding(
                                    resp ->
                                        ctx.verify(
                                            () -> {
                                              assertThat(resp.statusCode()).isEqualTo(200);
                                              JsonObject latest = resp.bodyAsJsonObject();
                                              // The latest may already be a newer sample; if it is
                                              // the same one it must carry the same figures.
                                              if (latest.getString("ts").equals(ts)) {
                                                assertThat(latest.getJsonObject("cpu"))
                                                    .isEqualTo(m.getJsonObject("data"));
                                              } else {
                                                assertThat(latest.getString("ts"))
                                                    .isGreaterThan(ts);
                                              }
                                              assertThat(latest.getString("server"))
                                                  .isEqualTo("local");
                                              assertThat(
                                                      latest
                                                          .getJsonObject("memory")
                                                          .getLong("ram_total"))
                                                  .isPositive();
                                              assertStored(
                                                  ts,
                                                  m.getJsonObject("data").getDouble("utilization"));
                                              socket.close();
                                              ctx.completeNow();
                                            })));
                      });
                  socket.writeTextMessage(
                      new JsonObject()
                          .put("op", "subscribe")
                          .put("server", "local")
                          .put("channels", new JsonArray().add("system/cpu").add("system/memory"))
                          .encode());
                }));
  }

  /** The snapshot behind the frame is a row in Postgres with the same CPU figure. */
  private static void assertStored(String ts, double utilization) throws Exception {
    int pgPort =
        Integer.parseInt(
            Files.readAllLines(dataDir.resolve("pg").resolve("postmaster.pid")).get(3).trim());
    try (Connection c =
            DriverManager.getConnection(
                "jdbc:postgresql://127.0.0.1:" + pgPort + "/postgres",
                "postgres",
                EmbeddedPg.password(dataDir, false));
        var st =
            c.prepareStatement(
                "select cpu_util from snapshots where server = 'local' and ts = ?::timestamptz")) {
      st.setString(1, ts);
      try (ResultSet rs = st.executeQuery()) {
        assertThat(rs.next()).as("row for " + ts).isTrue();
        assertThat(rs.getDouble(1)).isCloseTo(utilization, within(1e-3));
      }
    }
  }

  /**
   * The local server appears in the registry with its first stored sample; poll a bounded number of
   * times.
   */
  private static Future<HttpResponse<Buffer>> untilListed(
      WebClient http, int port, String slug, int attempts) {
    return http.get(port, "127.0.0.1", "/api/servers/")
        .send()
        .compose(
            r -> {
              boolean listed =
                  r.statusCode() == 200
                      && r.bodyAsJsonArray().stream()
                          .anyMatch(o -> slug.equals(((JsonObject) o).getString("slug")));
              if (listed || attempts == 0) {
                return Future.succeededFuture(r);
              }
              Promise<Void> later = Promise.promise();
              Vertx.currentContext().owner().setTimer(100, t -> later.complete());
              return later.future().compose(v -> untilListed(http, port, slug, attempts - 1));
            });
  }

  static String cli(String... args) throws Exception {
    return Cli.run(dataDir, args);
  }

  private static Future<HttpResponse<Buffer>> ingest(WebClient http, String token, long seq) {
    JsonObject snap =
        new JsonObject()
            .put("schema", 1)
            .put("ts", Instant.now().toString())
            .put(
                "agent",
                new JsonObject()
                    .put("boot_id", "cli-boot")
                    .put("seq", seq)
                    .put("uptime_ms", 1000 + seq * 1000));
    return http.post(running.httpPort(), "127.0.0.1", "/api/ingest/servers/box-7/metrics/")
        .putHeader("content-type", "application/json")
        .putHeader("x-monitoring-token", token)
        .sendBuffer(snap.toBuffer());
  }

  /**
   * The status ingest answers once the registry change has reached it: retried every 50 ms for up
   * to 5 s while it still answers otherwise (each try a new seq), then whatever it answers last.
   */
  private static Future<Integer> statusSettles(
      Vertx vertx, WebClient http, String token, long seq, int expected) {
    return statusSettles(vertx, http, token, seq, expected, System.currentTimeMillis() + 5_000);
  }

  private static Future<Integer> statusSettles(
      Vertx vertx, WebClient http, String token, long seq, int expected, long deadline) {
    return ingest(http, token, seq)
        .compose(
            r ->
                r.statusCode() == expected || System.currentTimeMillis() > deadline
                    ? Future.succeededFuture(r.statusCode())
                    : Future.<Void>future(p -> vertx.setTimer(50, id -> p.complete()))
                        .compose(
                            v -> statusSettles(vertx, http, token, seq + 100, expected, deadline)));
  }

  /**
   * CONTRACT §6: the admin commands work while `trainwatch run` runs on the same data directory.
   */
  @Test
  void adminCommandsWorkAgainstTheRunningStack(Vertx vertx) throws Exception {
    WebClient http = WebClient.create(vertx);
    String agentToken = cli("register-server", "box-7", "--name", "Box seven").trim();
    assertThat(agentToken).matches("tw_[0-9a-f]{8}_[A-Za-z0-9_-]{43}");
    assertThat(ingest(http, agentToken, 1).await(10, TimeUnit.SECONDS).statusCode()).isEqualTo(202);

    assertThat(cli("register-server", "box-7", "--disable")).isEmpty();
    // Ingest drops its cached verdict when Postgres's NOTIFY arrives, moments after the command's
    // commit.
    assertThat(statusSettles(vertx, http, agentToken, 2, 403).await(10, TimeUnit.SECONDS))
        .isEqualTo(403);

    String rotated = cli("register-server", "box-7", "--enable", "--rotate-token").trim();
    assertThat(rotated).isNotEqualTo(agentToken).startsWith("tw_");
    assertThat(statusSettles(vertx, http, agentToken, 3, 401).await(10, TimeUnit.SECONDS))
        .isEqualTo(401);
    assertThat(ingest(http, rotated, 3).await(10, TimeUnit.SECONDS).statusCode()).isEqualTo(202);

    String list = cli("list-servers");
    assertThat(list)
        .contains("box-7")
        .contains("Box seven")
        .contains(rotated.substring(0, 11))
        .doesNotContain(rotated);
  }

  /**
   * {@code /metrics} carries the fleet's latest values and the process's own metrics, and promtool
   * accepts it.
   */
  @Test
  void prometheusExpositionPassesPromtool(Vertx vertx) throws Exception {
    WebClient http = TestCredentials.client(vertx, token);
    String body = "";
    for (int i = 0;
        i < 100 && !body.contains("trainwatch_cpu_utilization_percent{server=\"local\"}");
        i++) {
      var r =
          http.get(running.httpPort(), "127.0.0.1", "/metrics").send().await(10, TimeUnit.SECONDS);
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.getHeader("content-type")).startsWith("text/plain; version=0.0.4");
      body = r.bodyAsString();
    }
    assertThat(body)
        .contains("trainwatch_cpu_utilization_percent{server=\"local\"}")
        .contains("trainwatch_memory_total_bytes{server=\"local\"}")
        .contains("trainwatch_bottleneck_info{server=\"local\",label=")
        .contains("trainwatch_collector_") // the verticles' self-metrics
        .contains("trainwatch_gateway_websocket_sessions")
        .contains("trainwatch_history_write_queue")
        .contains("trainwatch_rates_servers")
        .contains("vertx_http_server_"); // Vert.x's own
    Path promtool = Path.of("/usr/bin/promtool");
    Assumptions.assumeTrue(
        Files.isExecutable(promtool),
        "promtool not installed (Debian package prometheus; .ci/run installs it): exposition NOT linted");
    Process p =
        new ProcessBuilder(promtool.toString(), "check", "metrics")
            .redirectErrorStream(true)
            .start();
    try (var in = p.getOutputStream()) {
      in.write(body.getBytes(StandardCharsets.UTF_8));
    }
    String verdict = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as("promtool check metrics said:\n" + verdict).isZero();
  }

  @Test
  void healthServersAndErrors(Vertx vertx, VertxTestContext ctx) {
    int port = running.httpPort();
    WebClient http = TestCredentials.client(vertx, token);
    http.get(port, "127.0.0.1", "/api/health")
        .send()
        .compose(
            h -> {
              ctx.verify(() -> assertThat(h.statusCode()).isEqualTo(200));
              return untilListed(http, port, "local", 100);
            })
        .compose(
            s -> {
              ctx.verify(
                  () -> {
                    assertThat(s.statusCode()).isEqualTo(200);
                    JsonObject local =
                        s.bodyAsJsonArray().stream()
                            .map(JsonObject.class::cast)
                            .filter(o -> o.getString("slug").equals("local"))
                            .findFirst()
                            .orElseThrow();
                    assertThat(local.getString("status")).isEqualTo("online");
                    assertThat(local.getString("hostname")).isNotBlank();
                  });
              return http.get(port, "127.0.0.1", "/api/metrics/latest").send();
            })
        .compose(
            missing -> {
              ctx.verify(
                  () -> {
                    assertThat(missing.statusCode()).isEqualTo(400);
                    assertThat(missing.bodyAsJsonObject().getJsonObject("error").getString("field"))
                        .isEqualTo("server");
                  });
              return http.get(port, "127.0.0.1", "/api/metrics/latest/?server=nope").send();
            })
        .onComplete(
            ctx.succeeding(
                unknown ->
                    ctx.verify(
                        () -> {
                          assertThat(unknown.statusCode()).isEqualTo(404);
                          assertThat(
                                  unknown
                                      .bodyAsJsonObject()
                                      .getJsonObject("error")
                                      .getString("code"))
                              .isEqualTo("unknown_server");
                          ctx.completeNow();
                        })));
  }
}
