package dev.trainwatch.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
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
 * Scaled mode in miniature: two clustered nodes (Hazelcast on loopback) splitting the roles. Node A
 * samples and stores (collector, history, rates, embedded Postgres); node B serves (gateway,
 * ingest). A live frame on B's socket proves the sample was derived and stored on A and its
 * snapshot crossed the bus; B's {@code /api/config} shows what A's collector reads with (its status
 * travels on the bus, not in a node-local map).
 */
@ExtendWith(VertxExtension.class)
class ClusterModeTest {
  @TempDir static Path dataDir;
  static RunCommand.Running storage;
  static RunCommand.Running edge;
  WebSocketClient ws;

  @BeforeAll
  static void start() throws Exception {
    Map<String, String> env =
        Map.of(
            "TRAINWATCH_DATA_DIR", dataDir.toString(),
            "TRAINWATCH_HTTP_PORT", "0",
            "TRAINWATCH_CLUSTER_NAME", "tw-test-" + UUID.randomUUID(),
            "TRAINWATCH_COLLECTOR_INTERVAL_MS", "500",
            "TRAINWATCH_COLLECTOR_GPU_ENABLED", "false");
    JsonObject config = ConfigLoader.load(null, env);
    storage =
        RunCommand.Running.start(
            config, EnumSet.of(Role.HISTORY, Role.RATES, Role.COLLECTOR), true);
    edge = RunCommand.Running.start(config, EnumSet.of(Role.GATEWAY, Role.INGEST), true);
    // Made on the edge, stored by the storage node: access control crosses the clustered bus like
    // everything else.
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
        .onComplete(
            ctx.succeeding(
                socket -> {
                  socket.textMessageHandler(
                      text -> {
                        JsonObject m = new JsonObject(text);
                        if ("system/cpu".equals(m.getString("channel"))
                            && m.getJsonObject("data").containsKey("utilization")) {
                          ctx.verify(
                              () -> {
                                assertThat(m.getString("server")).isEqualTo("local");
                                assertThat(m.getJsonObject("data").getDouble("utilization"))
                                    .isBetween(0.0, 100.0);
                              });
                          ctx.completeNow();
                        }
                      });
                  socket.writeTextMessage(
                      new JsonObject()
                          .put("op", "subscribe")
                          .put("server", "local")
                          .put("channels", new JsonArray().add("system/cpu"))
                          .encode());
                }));
  }

  @Test
  void theCollectorsStatusReachesAGatewayOnAnotherNode(Vertx vertx, VertxTestContext ctx) {
    WebClient web = WebClient.create(vertx);
    // The gateway asked at its start; the collector (started before it, on the other node) answered
    // on the bus.
    pollConfig(vertx, web, 100, ctx);
  }

  private void pollConfig(Vertx vertx, WebClient web, int attempts, VertxTestContext ctx) {
    web.get(edge.httpPort(), "127.0.0.1", "/api/config")
        .send()
        .onComplete(
            ctx.succeeding(
                r -> {
                  JsonObject collector = r.bodyAsJsonObject().getJsonObject("collector");
                  if (collector != null) {
                    ctx.verify(
                        () -> {
                          assertThat(collector.getString("gpu_provider")).isEqualTo("none");
                          assertThat(collector.getString("gpu_reason")).isNotBlank();
                        });
                    ctx.completeNow();
                  } else if (attempts == 0) {
                    ctx.failNow("no collector status in /api/config: " + r.bodyAsString());
                  } else {
                    vertx.setTimer(100, t -> pollConfig(vertx, web, attempts - 1, ctx));
                  }
                }));
  }
}
