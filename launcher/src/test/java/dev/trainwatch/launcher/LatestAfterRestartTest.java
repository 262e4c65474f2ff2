package dev.trainwatch.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainwatch.bus.Json;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.EnumSet;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13: after a restart the live cache is empty; a server that reported before and is offline
 * now still answers its last stored values on latest (marked {@code stored}), not {@code 404
 * no_data}.
 */
class LatestAfterRestartTest {
  @TempDir Path dataDir;

  JsonObject config() {
    return ConfigLoader.load(
        null,
        Map.of(
            "TRAINWATCH_DATA_DIR",
            dataDir.toString(),
            "TRAINWATCH_HTTP_PORT",
            "0",
            "TRAINWATCH_COLLECTOR_GPU_ENABLED",
            "false"));
  }

  static JsonObject snapshot(Instant ts, long seq) {
    return new JsonObject()
        .put("schema", 1)
        .put("ts", Json.ts(ts))
        .put(
            "agent",
            new JsonObject()
                .put("hostname", "gone-box")
                .put("boot_id", "b")
                .put("seq", seq)
                .put("uptime_ms", 10_000 + seq * 1000))
        .put(
            "cpu",
            new JsonObject()
                .put(
                    "ticks_ms_total",
                    new JsonArray()
                        .add(
                            new JsonArray()
                                .add(100 * seq)
                                .add(0)
                                .add(50 * seq)
                                .add(800 * seq)
                                .add(0)
                                .add(0)
                                .add(0)
                                .add(0))))
        .put(
            "memory",
            new JsonObject()
                .put("total_bytes", 1000)
                .put("available_bytes", 400)
                .put("used_bytes", 600));
  }

  @Test
  void anOfflineServerShowsItsLastStoredValuesAfterARestart() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      WebClient http = WebClient.create(vertx);
      Instant t0 = Instant.now().minusSeconds(30).truncatedTo(ChronoUnit.SECONDS);
      String agentToken;
      try (RunCommand.Running first =
          RunCommand.Running.start(config(), Role.expand(EnumSet.of(Role.ALL)), false)) {
        agentToken = Cli.run(dataDir, "register-server", "gone-box").trim();
        for (long seq = 1; seq <= 2; seq++) {
          int status =
              http.post(first.httpPort(), "127.0.0.1", "/api/ingest/servers/gone-box/metrics/")
                  .putHeader("content-type", "application/json")
                  .putHeader("x-monitoring-token", agentToken)
                  .sendBuffer(snapshot(t0.plusSeconds(seq), seq).toBuffer())
                  .await(10, TimeUnit.SECONDS)
                  .statusCode();
          assertThat(status).isEqualTo(202);
        }
      }
      try (RunCommand.Running second =
          RunCommand.Running.start(config(), Role.expand(EnumSet.of(Role.ALL)), false)) {
        String reader = TestCredentials.apiToken(second.vertx(), "reader");
        var r =
            TestCredentials.client(vertx, reader)
                .get(second.httpPort(), "127.0.0.1", "/api/metrics/latest/")
                .addQueryParam("server", "gone-box")
                .send()
                .await(10, TimeUnit.SECONDS);
        assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
        JsonObject latest = r.bodyAsJsonObject();
        assertThat(latest.getBoolean("stored")).isTrue();
        assertThat(latest.getString("server")).isEqualTo("gone-box");
        assertThat(Instant.parse(latest.getString("ts")))
            .isBetween(t0.plusSeconds(1), t0.plusSeconds(2));
        assertThat(latest.getJsonObject("memory").getLong("ram_total")).isEqualTo(1000);
      }
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }
}
