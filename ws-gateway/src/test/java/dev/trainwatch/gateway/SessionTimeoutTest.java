package dev.trainwatch.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainwatch.bus.Addresses;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.junit5.VertxExtension;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Session lifetimes, shortened by config so the test can cross them: idle (no use for
 * session_idle_s ends it) and absolute (session_max_s after sign-in ends it whatever happens), and
 * the sockets riding on a session close when it ends. The one-time login is history's (a bus stub
 * here; AccessControlTest runs it on Postgres).
 */
@ExtendWith(VertxExtension.class)
class SessionTimeoutTest {
  int port;
  WebClient http;
  Vertx vertx;

  @BeforeEach
  void deploy(Vertx vertx) throws Exception {
    this.vertx = vertx;
    vertx
        .eventBus()
        .consumer(
            Addresses.SERVERS_LIST, m -> m.reply(new JsonObject().put("servers", new JsonArray())));
    vertx
        .eventBus()
        .consumer(
            Addresses.ACCESS_LOGIN_REDEEM, m -> m.reply(new JsonObject().put("outcome", "ok")));
    StubAccess.sessionKey(vertx);
    GatewayVerticle g = new GatewayVerticle();
    vertx
        .deployVerticle(
            g,
            new DeploymentOptions()
                .setConfig(
                    new JsonObject()
                        .put("http", new JsonObject().put("port", 0))
                        .put("ws_revalidate_ms", 200)
                        .put(
                            "auth",
                            new JsonObject().put("session_idle_s", 1).put("session_max_s", 3))))
        .await(10, TimeUnit.SECONDS);
    port = g.actualPort();
    http = WebClient.create(vertx, new WebClientOptions().setFollowRedirects(false));
  }

  String signIn() throws Exception {
    var r = http.get(port, "127.0.0.1", "/login?token=any").send().await(10, TimeUnit.SECONDS);
    assertThat(r.statusCode()).isEqualTo(303);
    return r.cookies().stream()
        .filter(c -> c.startsWith("tw_session="))
        .map(c -> c.split(";")[0])
        .findFirst()
        .orElseThrow();
  }

  int me(String cookie) throws Exception {
    return http.get(port, "127.0.0.1", "/api/me")
        .putHeader("cookie", cookie)
        .send()
        .await(10, TimeUnit.SECONDS)
        .statusCode();
  }

  /**
   * Lets {@code ms} of wall time pass on a Vert.x timer: what is under test here is time itself.
   */
  void elapse(long ms) throws Exception {
    Promise<Void> p = Promise.promise();
    vertx.setTimer(ms, t -> p.complete());
    p.future().await(ms + 5_000, TimeUnit.MILLISECONDS);
  }

  @Test
  void aSessionUnusedForTheIdleTimeEnds() throws Exception {
    String cookie = signIn();
    assertThat(me(cookie)).isEqualTo(200);
    elapse(1_500);
    assertThat(me(cookie)).isEqualTo(401);
  }

  @Test
  void useKeepsASessionAliveButNotPastItsAbsoluteLimit() throws Exception {
    String cookie = signIn();
    long start = System.currentTimeMillis();
    while (System.currentTimeMillis() - start < 2_600) {
      assertThat(me(cookie)).as("in use, under 3 s").isEqualTo(200);
      elapse(300);
    }
    elapse(600);
    assertThat(me(cookie)).as("3 s after sign-in, however busy").isEqualTo(401);
  }

  @Test
  void aSocketOnASessionClosesWhenTheSessionEnds() throws Exception {
    String cookie = signIn();
    long signedIn = System.currentTimeMillis();
    var ws =
        vertx
            .createWebSocketClient()
            .connect(
                new WebSocketConnectOptions()
                    .setHost("127.0.0.1")
                    .setPort(port)
                    .setURI("/ws")
                    .addHeader("cookie", cookie))
            .await(10, TimeUnit.SECONDS);
    Promise<Short> closed = Promise.promise();
    ws.closeHandler(v -> closed.tryComplete(ws.closeStatusCode()));
    // The open socket counts as use (it re-checks, and so touches, its session), so only the
    // absolute limit ends it.
    Future<Short> f = closed.future();
    assertThat(f.await(10, TimeUnit.SECONDS)).isEqualTo((short) 1008);
    assertThat(System.currentTimeMillis() - signedIn)
        .as("lived past the 1 s idle limit, ended at the 3 s one")
        .isGreaterThanOrEqualTo(2_900);
  }
}
