package dev.trainwatch.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.EnumSet;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole embedded stack in one JVM, as {@code trainwatch run} starts it: real embedded Postgres (with its data in
 * a temporary data directory), the OSHI collector on this machine, rates, history and the gateway, exercised with
 * real HTTP and WebSocket clients.
 */
@ExtendWith(VertxExtension.class)
class EmbeddedStackTest {
  @TempDir static Path dataDir;
  static RunCommand.Running running;
  static JsonObject config;

  @BeforeAll
  static void start() throws Exception {
    config = ConfigLoader.load(null, Map.of(
        "TRAINWATCH_DATA_DIR", dataDir.toString(),
        "TRAINWATCH_HTTP_PORT", "0",
        "TRAINWATCH_COLLECTOR_INTERVAL_MS", "250",
        "TRAINWATCH_RATES_NOMINAL_INTERVAL_MS", "250",
        "TRAINWATCH_COLLECTOR_GPU_ENABLED", "false"));
    running = RunCommand.Running.start(config, Role.expand(EnumSet.of(Role.ALL)), false);
  }

  @AfterAll
  static void stop() {
    running.close();
  }

  @Test
  void liveCpuFrameMatchesLatestAndIsStored(Vertx vertx, VertxTestContext ctx) {
    int port = running.httpPort();
    WebSocketClient ws = vertx.createWebSocketClient();
    WebClient http = WebClient.create(vertx);
    AtomicReference<JsonObject> frame = new AtomicReference<>();
    ws.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI("/ws"))
        .onComplete(ctx.succeeding(socket -> {
          socket.textMessageHandler(text -> {
            JsonObject m = new JsonObject(text);
            // The first frame after subscribing replays the cached latest, which may come from the very first
            // sample (no rates yet); wait for one with utilization.
            if (!"system/cpu".equals(m.getString("channel")) || frame.get() != null
                || !m.getJsonObject("data").containsKey("utilization")) {
              return;
            }
            frame.set(m);
            ctx.verify(() -> {
              assertThat(m.getString("server")).isEqualTo("local");
              assertThat(m.getString("event")).isEqualTo("metrics");
              assertThat(m.getString("ts")).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z");
              JsonObject data = m.getJsonObject("data");
              JsonArray perCore = data.getJsonArray("per_core");
              assertThat(perCore.size()).isEqualTo(Runtime.getRuntime().availableProcessors());
              double sum = 0;
              for (int i = 0; i < perCore.size(); i++) {
                assertThat(perCore.getDouble(i)).isBetween(0.0, 100.0);
                sum += perCore.getDouble(i);
              }
              // Every core runs the same wall interval, so the machine's busy % is the mean of the cores' busy %.
              assertThat(data.getDouble("utilization")).isBetween(0.0, 100.0)
                  .isCloseTo(sum / perCore.size(), within(0.5));
              assertThat(data.getJsonArray("load_avg")).hasSize(3);
            });
            String ts = m.getString("ts");
            http.get(port, "127.0.0.1", "/api/metrics/latest/").addQueryParam("server", "local").send()
                .onComplete(ctx.succeeding(resp -> ctx.verify(() -> {
                  assertThat(resp.statusCode()).isEqualTo(200);
                  JsonObject latest = resp.bodyAsJsonObject();
                  // The latest may already be a newer sample; if it is the same one it must carry the same figures.
                  if (latest.getString("ts").equals(ts)) {
                    assertThat(latest.getJsonObject("cpu")).isEqualTo(m.getJsonObject("data"));
                  } else {
                    assertThat(latest.getString("ts")).isGreaterThan(ts);
                  }
                  assertThat(latest.getString("server")).isEqualTo("local");
                  assertThat(latest.getJsonObject("memory").getLong("ram_total")).isPositive();
                  assertStored(ts, m.getJsonObject("data").getDouble("utilization"));
                  socket.close();
                  ctx.completeNow();
                })));
          });
          socket.writeTextMessage(new JsonObject().put("op", "subscribe").put("server", "local")
              .put("channels", new JsonArray().add("system/cpu").add("system/memory")).encode());
        }));
  }

  /** The snapshot behind the frame is a row in Postgres with the same CPU figure. */
  private static void assertStored(String ts, double utilization) throws Exception {
    int pgPort = Integer.parseInt(java.nio.file.Files.readAllLines(dataDir.resolve("pg").resolve("postmaster.pid")).get(3).trim());
    try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + pgPort + "/postgres", "postgres", null);
         var st = c.prepareStatement("select cpu_util from snapshots where server = 'local' and ts = ?::timestamptz")) {
      st.setString(1, ts);
      try (ResultSet rs = st.executeQuery()) {
        assertThat(rs.next()).as("row for " + ts).isTrue();
        assertThat(rs.getDouble(1)).isCloseTo(utilization, within(1e-3));
      }
    }
  }

  @Test
  void healthServersAndErrors(Vertx vertx, VertxTestContext ctx) {
    int port = running.httpPort();
    WebClient http = WebClient.create(vertx);
    http.get(port, "127.0.0.1", "/api/health").send()
        .compose(h -> {
          ctx.verify(() -> assertThat(h.statusCode()).isEqualTo(200));
          return http.get(port, "127.0.0.1", "/api/servers/").send();
        })
        .compose(s -> {
          ctx.verify(() -> {
            assertThat(s.statusCode()).isEqualTo(200);
            JsonObject local = s.bodyAsJsonArray().stream().map(JsonObject.class::cast)
                .filter(o -> o.getString("slug").equals("local")).findFirst().orElseThrow();
            assertThat(local.getString("status")).isEqualTo("online");
            assertThat(local.getString("hostname")).isNotBlank();
          });
          return http.get(port, "127.0.0.1", "/api/metrics/latest").send();
        })
        .compose(missing -> {
          ctx.verify(() -> {
            assertThat(missing.statusCode()).isEqualTo(400);
            assertThat(missing.bodyAsJsonObject().getJsonObject("error").getString("field")).isEqualTo("server");
          });
          return http.get(port, "127.0.0.1", "/api/metrics/latest/?server=nope").send();
        })
        .onComplete(ctx.succeeding(unknown -> ctx.verify(() -> {
          assertThat(unknown.statusCode()).isEqualTo(404);
          assertThat(unknown.bodyAsJsonObject().getJsonObject("error").getString("code")).isEqualTo("unknown_server");
          ctx.completeNow();
        })));
  }
}
