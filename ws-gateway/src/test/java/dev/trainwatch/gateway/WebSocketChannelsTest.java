package dev.trainwatch.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainwatch.bus.Addresses;
import dev.trainwatch.bus.derived.Unstored;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Real WebSocket clients against the gateway; derived snapshots are published on the real bus
 * address.
 */
@ExtendWith(VertxExtension.class)
class WebSocketChannelsTest {
  int port;
  GatewayVerticle gateway;
  String token;
  final List<WebSocketClient> clients = new ArrayList<>();

  @org.junit.jupiter.api.AfterEach
  void closeClients() throws Exception {
    for (var c : clients) {
      c.shutdown(0, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS);
    }
  }

  @BeforeEach
  void deploy(Vertx vertx, VertxTestContext ctx) {
    JsonArray registered = new JsonArray();
    for (String slug : List.of("box-1", "box-2", "box-9", "box-s")) {
      registered.add(new JsonObject().put("slug", slug).put("name", slug).put("is_active", true));
    }
    for (int i = 0; i < 40; i++) {
      registered.add(
          new JsonObject()
              .put("slug", "rack-" + i)
              .put("name", "rack " + i)
              .put("is_active", true));
    }
    vertx
        .eventBus()
        .consumer(
            Addresses.SERVERS_LIST, m -> m.reply(new JsonObject().put("servers", registered)));
    token = StubAccess.token(vertx, "reader");
    GatewayVerticle g = new GatewayVerticle();
    vertx
        .deployVerticle(
            g,
            new DeploymentOptions()
                .setConfig(
                    new JsonObject()
                        .put("http", new JsonObject().put("port", 0))
                        .put("ws_max_per_address", 4)
                        // The slow-client deadlines, shortened: a WebSocket must outlive them
                        // (aSocketOutlivesTheHttpDeadlines).
                        .put("head_timeout_ms", 500)
                        .put("body_timeout_ms", 500)
                        .put("keep_alive_timeout_ms", 500)
                        .put("ws_direct_writes", directWrites())))
        .onComplete(
            ctx.succeeding(
                id -> {
                  gateway = g;
                  port = g.actualPort();
                  ctx.completeNow();
                }));
  }

  static JsonObject derived(String server, int seq, int gpus) {
    JsonArray g = new JsonArray();
    for (int i = 0; i < gpus; i++) {
      g.add(
          new JsonObject()
              .put("index", i)
              .put("utilization", 50.0 + i)
              .put("memory_used", 1000)
              .put("memory_total", 2000)
              .put("temperature", 60.0)
              .put("power", 300.0));
    }
    return new JsonObject()
        .put("server", server)
        .put("ts", "2026-11-22T06:00:0" + seq + ".000Z")
        .put("boot_id", "b")
        .put("seq", seq)
        .put(
            "cpu",
            new JsonObject()
                .put("utilization", 10.0 + seq)
                .put("per_core", new JsonArray().add(10.0 + seq))
                .put("iowait", 0.0))
        .put("memory", new JsonObject().put("ram_used", 1).put("ram_total", 2))
        .put("gpus", g)
        .put("bottleneck", new JsonObject().put("label", "idle").put("reasons", new JsonArray()));
  }

  /** A client whose received frames land in a queue the test thread reads with a bounded wait. */
  record Client(WebSocket ws, BlockingQueue<JsonObject> frames) {
    JsonObject next() throws InterruptedException {
      JsonObject f = frames.poll(5, TimeUnit.SECONDS);
      assertThat(f).as("a frame within 5 s").isNotNull();
      return f;
    }

    void send(JsonObject o) {
      ws.writeTextMessage(o.encode());
    }
  }

  Client connect(Vertx vertx) throws Exception {
    BlockingQueue<JsonObject> q = new LinkedBlockingQueue<>();
    var client = vertx.createWebSocketClient();
    clients.add(client);
    WebSocket ws =
        client
            .connect(
                new WebSocketConnectOptions()
                    .setHost("127.0.0.1")
                    .setPort(port)
                    .setURI("/ws")
                    .addHeader("authorization", "Bearer " + token))
            .await(5, TimeUnit.SECONDS);
    ws.textMessageHandler(t -> q.add(new JsonObject(t)));
    return new Client(ws, q);
  }

  static JsonObject sub(String op, String server, String... channels) {
    return new JsonObject()
        .put("op", op)
        .put("server", server)
        .put("channels", new JsonArray(List.of((Object[]) channels)));
  }

  /**
   * The HTTP deadlines (RequestDeadlines) stop at the handshake: a quiet socket is not cut off at
   * them.
   */
  /**
   * The write path under test: the direct one here; {@code WebSocketChannelsPublicApiTest} runs all
   * on the other.
   */
  boolean directWrites() {
    return true;
  }

  @Test
  void theWritePathIsTheOneChosen(Vertx vertx) throws Exception {
    Client a = connect(vertx);
    a.send(sub("subscribe", "box-9", "system/cpu"));
    assertThat(a.next().getString("event")).isEqualTo("subscribed");
    assertThat(gateway.hub().directSockets()).isEqualTo(directWrites() ? 1 : 0);
  }

  @Test
  void aSocketOutlivesTheHttpDeadlines(Vertx vertx) throws Exception {
    Client a = connect(vertx);
    a.send(sub("subscribe", "box-9", "system/cpu"));
    assertThat(a.next().getString("event")).isEqualTo("subscribed");
    assertThat(a.frames.poll(1_600, TimeUnit.MILLISECONDS))
        .as("quiet past every deadline")
        .isNull();
    assertThat(a.ws.isClosed()).isFalse();
    vertx.eventBus().publish(Addresses.DERIVED, derived("box-9", 1, 0));
    assertThat(a.next().getString("channel")).isEqualTo("system/cpu");
  }

  @Test
  void subscribeWildcardUnsubscribeAndIsolation(Vertx vertx) throws Exception {
    Client a = connect(vertx);
    Client b = connect(vertx);
    a.send(sub("subscribe", "box-1", "system/cpu", "system/gpu/*"));
    assertThat(a.next().getString("event")).isEqualTo("subscribed");
    b.send(sub("subscribe", "box-2", "system/gpu/1"));
    assertThat(b.next().getJsonArray("channels").getList()).containsExactly("system/gpu/1");

    vertx.eventBus().publish(Addresses.DERIVED, derived("box-1", 1, 2));
    vertx.eventBus().publish(Addresses.DERIVED, derived("box-2", 1, 2));
    List<String> aGot = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      JsonObject f = a.next();
      assertThat(f.getString("server")).isEqualTo("box-1");
      assertThat(f.getString("event")).isEqualTo("metrics");
      assertThat(f.getString("ts")).isEqualTo("2026-11-22T06:00:01.000Z");
      aGot.add(f.getString("channel"));
      if (f.getString("channel").equals("system/gpu/1")) {
        assertThat(f.getJsonObject("data").getDouble("utilization")).isEqualTo(51.0);
      }
      if (f.getString("channel").equals("system/cpu")) {
        assertThat(f.getJsonObject("data").getDouble("utilization")).isEqualTo(11.0);
      }
    }
    assertThat(aGot).containsExactlyInAnyOrder("system/cpu", "system/gpu/0", "system/gpu/1");
    JsonObject bFrame = b.next();
    assertThat(bFrame.getString("server")).isEqualTo("box-2");
    assertThat(bFrame.getString("channel")).isEqualTo("system/gpu/1");

    a.send(sub("unsubscribe", "box-1", "system/gpu/*"));
    assertThat(a.next().getJsonArray("channels").getList()).containsExactly("system/cpu");
    vertx.eventBus().publish(Addresses.DERIVED, derived("box-1", 2, 2));
    JsonObject only = a.next();
    assertThat(only.getString("channel")).isEqualTo("system/cpu");
    assertThat(a.frames.poll(300, TimeUnit.MILLISECONDS))
        .as("no GPU frame after unsubscribe")
        .isNull();
    assertThat(b.frames.poll(100, TimeUnit.MILLISECONDS))
        .as("box-1 updates never reach a box-2 subscriber")
        .isNull();
  }

  /**
   * Issue 17: frames go out before the commit, so a sample that then fails to be stored is marked
   * on every channel the socket follows for that server (a wildcard once, under its own name), and
   * in the latest snapshot. A mark for a sample the latest has already moved past leaves the latest
   * alone.
   */
  @Test
  void aSampleShownLiveAndThenNotStoredIsMarked(Vertx vertx) throws Exception {
    Client a = connect(vertx);
    a.send(sub("subscribe", "box-1", "system/cpu", "system/gpu/*", "alerts"));
    assertThat(a.next().getString("event")).isEqualTo("subscribed");
    vertx.eventBus().publish(Addresses.DERIVED, derived("box-1", 1, 2));
    for (int i = 0; i < 3; i++) {
      assertThat(a.next().getString("event")).isEqualTo("metrics");
    }
    vertx
        .eventBus()
        .publish(
            Addresses.DERIVED_UNSTORED,
            new Unstored("box-1", Instant.parse("2026-11-22T06:00:01Z"), "b", 1, "unavailable")
                .toJson());
    List<String> marked = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      JsonObject f = a.next();
      assertThat(f.getString("event")).isEqualTo("unstored");
      assertThat(f.getString("server")).isEqualTo("box-1");
      assertThat(f.getString("ts")).isEqualTo("2026-11-22T06:00:01.000Z");
      assertThat(f.getJsonObject("data").getMap())
          .containsEntry("seq", 1)
          .containsEntry("boot_id", "b")
          .containsEntry("code", "unavailable");
      marked.add(f.getString("channel"));
    }
    assertThat(marked).containsExactlyInAnyOrder("system/cpu", "system/gpu/*");
    assertThat(a.frames.poll(200, TimeUnit.MILLISECONDS))
        .as("no mark on the alerts channel")
        .isNull();

    WebClient http = WebClient.create(vertx);
    JsonObject latest =
        http.get(port, "127.0.0.1", "/api/metrics/latest?server=box-1")
            .bearerTokenAuthentication(token)
            .send()
            .await(5, TimeUnit.SECONDS)
            .bodyAsJsonObject();
    assertThat(latest.getLong("seq")).isEqualTo(1L);
    assertThat(latest.getBoolean("stored")).isFalse();

    vertx.eventBus().publish(Addresses.DERIVED, derived("box-1", 2, 2));
    for (int i = 0; i < 3; i++) {
      assertThat(a.next().getString("ts")).isEqualTo("2026-11-22T06:00:02.000Z");
    }
    vertx
        .eventBus()
        .publish(
            Addresses.DERIVED_UNSTORED,
            new Unstored("box-1", Instant.parse("2026-11-22T06:00:01Z"), "b", 1, "unavailable")
                .toJson());
    assertThat(a.next().getString("event")).isEqualTo("unstored");
    latest =
        http.get(port, "127.0.0.1", "/api/metrics/latest?server=box-1")
            .bearerTokenAuthentication(token)
            .send()
            .await(5, TimeUnit.SECONDS)
            .bodyAsJsonObject();
    assertThat(latest.getLong("seq")).isEqualTo(2L);
    assertThat(latest.containsKey("stored"))
        .as("the newer sample is not the one refused")
        .isFalse();
  }

  @Test
  void newSubscriberGetsTheLatestAtOnce(Vertx vertx) throws Exception {
    vertx.eventBus().publish(Addresses.DERIVED, derived("box-9", 5, 0));
    Client c = connect(vertx);
    // The publish above is delivered asynchronously; subscribe until the replayed frame shows up
    // (bounded).
    JsonObject f = null;
    for (int i = 0; i < 20 && f == null; i++) {
      c.send(sub("subscribe", "box-9", "system/memory"));
      c.next();
      f = c.frames.poll(200, TimeUnit.MILLISECONDS);
    }
    assertThat(f).isNotNull();
    assertThat(f.getString("channel")).isEqualTo("system/memory");
    assertThat(f.getJsonObject("data").getLong("ram_total")).isEqualTo(2L);
  }

  @Test
  void malformedMessagesGetAnErrorFrameAndTheSocketStaysUsable(Vertx vertx) throws Exception {
    Client c = connect(vertx);
    c.ws.writeTextMessage("not json");
    JsonObject e1 = c.next();
    assertThat(e1.getString("event")).isEqualTo("error");
    assertThat(e1.getJsonObject("error").getString("code")).isEqualTo("invalid_json");
    c.send(
        new JsonObject()
            .put("op", "dance")
            .put("server", "x")
            .put("channels", new JsonArray().add("system/cpu")));
    assertThat(c.next().getJsonObject("error").getString("field")).isEqualTo("op");
    c.send(sub("subscribe", "box-1", "system/cpu", "system/nope"));
    JsonObject e3 = c.next().getJsonObject("error");
    assertThat(e3.getString("code")).isEqualTo("invalid_payload");
    assertThat(e3.getString("field")).isEqualTo("channels[1]");
    c.send(
        new JsonObject().put("op", "subscribe").put("channels", new JsonArray().add("system/cpu")));
    assertThat(c.next().getJsonObject("error").getString("field")).isEqualTo("server");
    // Still usable.
    c.send(sub("subscribe", "box-1", "system/cpu"));
    assertThat(c.next().getString("event")).isEqualTo("subscribed");
    vertx.eventBus().publish(Addresses.DERIVED, derived("box-1", 3, 0));
    assertThat(c.next().getString("channel")).isEqualTo("system/cpu");
  }

  @Test
  void aStalledClientDoesNotDelayOthersAndKeepsOnlyTheNewestFrame(Vertx vertx) throws Exception {
    // The stalled client pauses its socket: the server's write queue to it fills, and from then on
    // only the newest
    // frame per channel is kept for it.
    var stalledClient = vertx.createWebSocketClient();
    clients.add(stalledClient);
    WebSocket stalled =
        stalledClient
            .connect(
                new WebSocketConnectOptions()
                    .setHost("127.0.0.1")
                    .setPort(port)
                    .setURI("/ws")
                    .addHeader("authorization", "Bearer " + token))
            .await(5, TimeUnit.SECONDS);
    Promise<Void> subscribed = Promise.promise();
    stalled.textMessageHandler(t -> subscribed.tryComplete());
    stalled.writeTextMessage(sub("subscribe", "box-s", "system/cpu").encode());
    subscribed.future().await(5, TimeUnit.SECONDS);
    stalled.pause();
    Client live = connect(vertx);
    live.send(sub("subscribe", "box-s", "system/cpu"));
    live.next();

    // ~40 KB frames: a few hundred of them overflow the socket buffers and the 256 KiB write queue.
    JsonArray bulk = new JsonArray();
    for (int i = 0; i < 4000; i++) {
      bulk.add(i * 1.0);
    }
    List<Long> latenciesMs = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      JsonObject d = derived("box-s", 1, 0);
      d.getJsonObject("cpu").put("per_core", bulk).put("utilization", (double) (i % 100));
      long t0 = System.nanoTime();
      vertx.eventBus().publish(Addresses.DERIVED, d);
      JsonObject f = live.next();
      latenciesMs.add((System.nanoTime() - t0) / 1_000_000);
      assertThat(f.getJsonObject("data").getDouble("utilization")).isEqualTo((double) (i % 100));
    }
    latenciesMs.sort(null);
    long p99 = latenciesMs.get((int) Math.ceil(latenciesMs.size() * 0.99) - 1);
    assertThat(p99).as("p99 publish-to-receive latency of the healthy client, ms").isLessThan(200);
    assertThat(stalled.isClosed()).isFalse();
    assertThat(gateway.hub().framesDropped())
        .as("frames superseded for the stalled client instead of queued")
        .isGreaterThan(0);
    stalled.resume();
  }

  /**
   * Issue 13: registered servers only, bounded servers and channels per socket, bounded message
   * rate.
   */
  @Test
  void subscriptionsAreBoundedAndOnlyForRegisteredServers(Vertx vertx) throws Exception {
    Client c = connect(vertx);
    c.send(sub("subscribe", "never-registered", "system/cpu"));
    JsonObject unknown = c.next();
    assertThat(unknown.getString("event")).isEqualTo("error");
    assertThat(unknown.getJsonObject("error").getString("code")).isEqualTo("unknown_server");
    for (int i = 0; i < ChannelHub.MAX_SERVERS_PER_SOCKET; i++) {
      c.send(sub("subscribe", "rack-" + i, "system/cpu"));
      assertThat(c.next().getString("event")).isEqualTo("subscribed");
    }
    c.send(sub("subscribe", "rack-" + ChannelHub.MAX_SERVERS_PER_SOCKET, "system/cpu"));
    JsonObject tooMany = c.next();
    assertThat(tooMany.getString("event")).isEqualTo("error");
    assertThat(tooMany.getJsonObject("error").getString("message")).contains("at most 32 servers");
    String[] gpus = new String[ChannelHub.MAX_CHANNELS_PER_SERVER];
    for (int i = 0; i < gpus.length; i++) {
      gpus[i] = "system/gpu/" + i;
    }
    c.send(sub("subscribe", "rack-0", gpus));
    assertThat(c.next().getJsonObject("error").getString("field")).isEqualTo("channels");
  }

  @Test
  void aFloodOfMessagesClosesTheSocket(Vertx vertx) throws Exception {
    Client c = connect(vertx);
    Promise<Short> closed = Promise.promise();
    c.ws().closeHandler(v -> closed.tryComplete(c.ws().closeStatusCode()));
    for (int i = 0; i <= ChannelHub.MAX_MESSAGES_PER_MINUTE; i++) {
      c.send(sub("unsubscribe", "box-1", "system/cpu"));
    }
    assertThat(closed.future().await(10, TimeUnit.SECONDS)).isEqualTo((short) 1008);
  }

  @Test
  void socketsPerAddressAreCapped(Vertx vertx) throws Exception {
    for (int i = 0; i < 4; i++) {
      connect(vertx);
    }
    var client = vertx.createWebSocketClient();
    clients.add(client);
    Throwable refused =
        client
            .connect(
                new WebSocketConnectOptions()
                    .setHost("127.0.0.1")
                    .setPort(port)
                    .setURI("/ws")
                    .addHeader("authorization", "Bearer " + token))
            .map(w -> (Throwable) null)
            .otherwise(e -> e)
            .await(5, TimeUnit.SECONDS);
    assertThat(refused).isInstanceOf(UpgradeRejectedException.class);
    assertThat(((UpgradeRejectedException) refused).getStatus()).isEqualTo(429);
  }
}
