package dev.trainwatch.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CONTRACT v1.1's fleet summary: {@code GET /api/fleet} (one line per server, figures absent rather
 * than 0) and the {@code fleet} channel subscribed with {@code "server": "*"}: everything at once
 * on subscribing, then at most one numbered frame a second with only the servers that changed. No
 * local collector here, so only the test's servers ever change.
 */
class FleetTest {
  @TempDir static Path dataDir;
  static Vertx vertx;
  static RunCommand.Running stack;
  static WebClient http;
  static WebClient admin;
  static String adminToken;
  static final Map<String, String> tokens = new HashMap<>();
  static final Map<String, CraftedHost> hosts = new HashMap<>();

  @BeforeAll
  static void start() throws Exception {
    stack =
        RunCommand.Running.start(
            ConfigLoader.load(
                null,
                Map.of("TRAINWATCH_DATA_DIR", dataDir.toString(), "TRAINWATCH_HTTP_PORT", "0")),
            EnumSet.of(Role.INGEST, Role.RATES, Role.HISTORY, Role.ALERTS, Role.GATEWAY),
            false);
    vertx = Vertx.vertx();
    http = WebClient.create(vertx);
    adminToken = TestCredentials.apiToken(stack.vertx(), "admin");
    admin = TestCredentials.client(vertx, adminToken);
    for (String slug : List.of("fleet-a", "fleet-b", "fleet-c")) {
      tokens.put(slug, Cli.run(dataDir, "register-server", slug).trim());
      hosts.put(
          slug, new CraftedHost(Instant.now().minusSeconds(30).truncatedTo(ChronoUnit.SECONDS)));
    }
  }

  @AfterAll
  static void stop() throws Exception {
    stack.close();
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  static void send(String slug, int n) throws Exception {
    for (JsonObject s : hosts.get(slug).steps(n, Duration.ofSeconds(1))) {
      int status =
          http.post(stack.httpPort(), "127.0.0.1", "/api/ingest/servers/" + slug + "/metrics/")
              .putHeader("content-type", "application/json")
              .putHeader("x-monitoring-token", tokens.get(slug))
              .sendBuffer(s.toBuffer())
              .await(10, TimeUnit.SECONDS)
              .statusCode();
      assertThat(status).isEqualTo(202);
    }
  }

  static JsonObject server(JsonObject doc, String slug) {
    return doc.getJsonArray("servers").stream()
        .map(o -> (JsonObject) o)
        .filter(o -> slug.equals(o.getString("slug")))
        .findFirst()
        .orElse(null);
  }

  /** Fleet frames as a dashboard receives them, each with its arrival time. */
  static final class Frames {
    record Frame(long atNanos, JsonObject data) {}

    final List<Frame> frames = new CopyOnWriteArrayList<>();
    private final List<Map.Entry<Predicate<JsonObject>, Promise<JsonObject>>> waiting =
        new ArrayList<>();
    WebSocket ws;

    synchronized void add(JsonObject data) {
      frames.add(new Frame(System.nanoTime(), data));
      waiting.removeIf(w -> w.getKey().test(data) && w.getValue().tryComplete(data));
    }

    synchronized Future<JsonObject> when(Predicate<JsonObject> p) {
      for (Frame f : frames) {
        if (p.test(f.data)) {
          return Future.succeededFuture(f.data);
        }
      }
      Promise<JsonObject> promise = Promise.promise();
      waiting.add(Map.entry(p, promise));
      return promise.future();
    }
  }

  static Frames subscribe(JsonObject message, Promise<JsonObject> error) throws Exception {
    Frames f = new Frames();
    f.ws =
        vertx
            .createWebSocketClient()
            .connect(TestCredentials.ws(stack.httpPort(), adminToken))
            .await(10, TimeUnit.SECONDS);
    f.ws.textMessageHandler(
        t -> {
          JsonObject m = new JsonObject(t);
          if ("fleet".equals(m.getString("channel"))) {
            f.add(m.getJsonObject("data"));
          } else if ("error".equals(m.getString("event")) && error != null) {
            error.tryComplete(m);
          }
        });
    f.ws.writeTextMessage(message.encode());
    return f;
  }

  @Test
  void theFleetIsOneSubscriptionWithOnlyTheChangesAtMostOnceASecond() throws Exception {
    send("fleet-a", 2);
    send("fleet-b", 2);
    JsonObject all =
        admin
            .get(stack.httpPort(), "127.0.0.1", "/api/fleet/")
            .send()
            .await(10, TimeUnit.SECONDS)
            .bodyAsJsonObject();
    JsonObject a = server(all, "fleet-a");
    assertThat(a.getString("status")).isEqualTo("online");
    assertThat(a.getDouble("cpu_utilization")).isEqualTo(50.0);
    assertThat(a.getDouble("ram_used_percent")).isEqualTo(50.0);
    assertThat(a.getString("bottleneck")).isNotBlank();
    assertThat(a.getJsonArray("gpus").getJsonObject(0))
        .isEqualTo(
            new JsonObject()
                .put("index", 0)
                .put("utilization", 90.0)
                .put("memory_used_percent", 50.0)
                .put("temperature", 60.0));
    assertThat(a.getInteger("alerts_firing")).isZero();
    JsonObject c = server(all, "fleet-c");
    assertThat(c.getString("status")).as("never reported").isEqualTo("offline");
    assertThat(c.getJsonArray("gpus")).isEmpty();
    assertThat(c.containsKey("cpu_utilization")).as("absent, not 0").isFalse();

    Frames f =
        subscribe(
            new JsonObject()
                .put("op", "subscribe")
                .put("server", "*")
                .put("channels", new JsonArray().add("fleet")),
            null);
    JsonObject first = f.when(d -> d.getBoolean("full")).await(10, TimeUnit.SECONDS);
    assertThat(first.getJsonArray("servers")).hasSize(3);
    long seq = first.getLong("seq");

    // Ten snapshots of fleet-a in quick succession, and an XID on fleet-b: only they are in what
    // follows.
    send("fleet-a", 10);
    hosts.get("fleet-b").xid = 79L;
    send("fleet-b", 1);
    JsonObject firing =
        f.when(
                d ->
                    server(d, "fleet-b") != null
                        && server(d, "fleet-b").getInteger("alerts_firing") == 1)
            .await(15, TimeUnit.SECONDS);
    assertThat(firing.getBoolean("full")).isFalse();
    assertThat(firing.getLong("seq")).isGreaterThan(seq);
    // Disabling fleet-c changes it alone.
    assertThat(
            admin
                .post(stack.httpPort(), "127.0.0.1", "/api/servers/fleet-c/disable")
                .send()
                .await(10, TimeUnit.SECONDS)
                .statusCode())
        .isEqualTo(200);
    JsonObject disabled =
        f.when(
                d ->
                    server(d, "fleet-c") != null
                        && "disabled".equals(server(d, "fleet-c").getString("status")))
            .await(15, TimeUnit.SECONDS);
    assertThat(server(disabled, "fleet-c").getJsonArray("gpus")).isEmpty();

    List<Frames.Frame> deltas =
        f.frames.stream().filter(x -> !x.data().getBoolean("full")).toList();
    long expected = seq;
    for (Frames.Frame d : deltas) {
      assertThat(d.data().getLong("seq")).as("numbered without gaps").isEqualTo(++expected);
      assertThat(
              d.data().getJsonArray("servers").stream()
                  .map(o -> ((JsonObject) o).getString("slug")))
          .as("only the servers that changed")
          .isSubsetOf("fleet-a", "fleet-b", "fleet-c");
    }
    assertThat(deltas.stream().mapToInt(d -> d.data().getJsonArray("servers").size()).sum())
        .as("eleven snapshots and two changes, folded into a few frames")
        .isLessThanOrEqualTo(6);
    for (int i = 1; i < deltas.size(); i++) {
      assertThat(Duration.ofNanos(deltas.get(i).atNanos() - deltas.get(i - 1).atNanos()))
          .as("at most one frame a second")
          .isGreaterThan(Duration.ofMillis(800));
    }
    f.ws.close();
  }

  @Test
  void theFleetChannelTakesOnlyTheAllServersSubscription() throws Exception {
    Promise<JsonObject> error = Promise.promise();
    Frames f =
        subscribe(
            new JsonObject()
                .put("op", "subscribe")
                .put("server", "fleet-a")
                .put("channels", new JsonArray().add("fleet")),
            error);
    JsonObject e = error.future().await(10, TimeUnit.SECONDS);
    assertThat(e.getJsonObject("error").getString("field")).isEqualTo("channels");
    f.ws.close();
    var unauth =
        http.get(stack.httpPort(), "127.0.0.1", "/api/fleet").send().await(10, TimeUnit.SECONDS);
    assertThat(unauth.statusCode()).isEqualTo(401);
  }
}
