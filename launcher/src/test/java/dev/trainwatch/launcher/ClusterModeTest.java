package dev.trainwatch.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scaled mode in miniature: two clustered nodes (Hazelcast on loopback) splitting the roles. Node A stores (history,
 * rates, embedded Postgres); node B samples and serves (collector, gateway, ingest). A live frame on B's socket proves
 * the raw sample crossed the bus to A, was stored, and its derived snapshot came back.
 */
@ExtendWith(VertxExtension.class)
class ClusterModeTest {
  @TempDir static Path dataDir;
  static RunCommand.Running storage;
  static RunCommand.Running edge;
  WebSocketClient ws;

  @BeforeAll
  static void start() throws Exception {
    Map<String, String> env = Map.of(
        "TRAINWATCH_DATA_DIR", dataDir.toString(),
        "TRAINWATCH_HTTP_PORT", "0",
        "TRAINWATCH_CLUSTER_NAME", "tw-test-" + UUID.randomUUID(),
        "TRAINWATCH_COLLECTOR_INTERVAL_MS", "500",
        "TRAINWATCH_COLLECTOR_GPU_ENABLED", "false");
    JsonObject config = ConfigLoader.load(null, env);
    storage = RunCommand.Running.start(config, EnumSet.of(Role.HISTORY, Role.RATES), true);
    edge = RunCommand.Running.start(config, EnumSet.of(Role.COLLECTOR, Role.GATEWAY, Role.INGEST), true);
    // Made on the edge, stored by the storage node: access control crosses the clustered bus like everything else.
    token = TestCredentials.apiToken(edge.vertx(), "reader");
  }

  static String token;

  @AfterAll
  static void stop() {
    if (edge != null) {
      edge.close();
    }
    if (storage != null) {
      storage.close();
    }
  }

  @Test
  void framesFlowAcrossNodes(Vertx vertx, VertxTestContext ctx) {
    ws = vertx.createWebSocketClient();
    ws.connect(TestCredentials.ws(edge.httpPort(), token))
        .onComplete(ctx.succeeding(socket -> {
          socket.textMessageHandler(text -> {
            JsonObject m = new JsonObject(text);
            if ("system/cpu".equals(m.getString("channel")) && m.getJsonObject("data").containsKey("utilization")) {
              ctx.verify(() -> {
                assertThat(m.getString("server")).isEqualTo("local");
                assertThat(m.getJsonObject("data").getDouble("utilization")).isBetween(0.0, 100.0);
              });
              ctx.completeNow();
            }
          });
          socket.writeTextMessage(new JsonObject().put("op", "subscribe").put("server", "local")
              .put("channels", new JsonArray().add("system/cpu")).encode());
        }));
  }
}
