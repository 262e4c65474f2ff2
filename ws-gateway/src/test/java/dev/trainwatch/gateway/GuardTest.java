package dev.trainwatch.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainwatch.bus.Addresses;
import dev.trainwatch.gateway.auth.Guard;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.junit5.VertxExtension;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The front door over real HTTP and WebSocket clients: DNS rebinding (Host), cross-site WebSocket
 * hijacking (Origin), CSRF on state changes, the response headers, and roles. Storage is a bus stub
 * here; launcher's AccessControlTest runs the same surface against Postgres.
 */
@ExtendWith(VertxExtension.class)
class GuardTest {
  int port;
  WebClient http;
  WebSocketClient wsClient;
  StubAccess access;
  String reader;
  String admin;

  private static final String ALERT = "0b9e3c44-5f2a-4d0e-9c1b-7a6d5e4f3a21";

  @BeforeEach
  void deploy(Vertx vertx) throws Exception {
    vertx
        .eventBus()
        .consumer(
            Addresses.SERVERS_LIST, m -> m.reply(new JsonObject().put("servers", new JsonArray())));
    access = new StubAccess(vertx);
    reader = access.token("reader");
    admin = access.token("admin");
    // The gateway's real acknowledge route; the alerts verticle behind it is stood in for on the
    // bus.
    vertx
        .eventBus()
        .<JsonObject>consumer(
            Addresses.ALERTS_API,
            m ->
                m.reply(
                    new JsonObject()
                        .put(
                            "alert",
                            new JsonObject()
                                .put("id", m.body().getString("id"))
                                .put("acknowledged_by", m.body().getString("by")))));
    GatewayVerticle g = new GatewayVerticle(List.of());
    vertx
        .deployVerticle(
            g,
            new DeploymentOptions()
                .setConfig(
                    new JsonObject()
                        .put("http", new JsonObject().put("port", 0))
                        .put("ws_revalidate_ms", 200)))
        .await(10, TimeUnit.SECONDS);
    port = g.actualPort();
    http = WebClient.create(vertx, new WebClientOptions().setFollowRedirects(false));
    wsClient = vertx.createWebSocketClient();
  }

  @AfterEach
  void close() throws Exception {
    wsClient.close().await(5, TimeUnit.SECONDS);
  }

  private HttpResponse<Buffer> send(HttpMethod m, String path, String token, String... headers)
      throws Exception {
    var req = http.request(m, port, "127.0.0.1", path);
    if (token != null) {
      req.bearerTokenAuthentication(token);
    }
    for (int i = 0; i < headers.length; i += 2) {
      req.putHeader(headers[i], headers[i + 1]);
    }
    return (m == HttpMethod.POST
            ? req.putHeader("content-type", "application/json")
                .sendBuffer(Buffer.buffer("{\"name\":\"grafana\",\"role\":\"reader\"}"))
            : req.send())
        .await(10, TimeUnit.SECONDS);
  }

  private Throwable ws(String token, String... headers) throws Exception {
    // No Origin unless a test gives one (Vert.x's client would add its own; a given one replaces
    // it).
    WebSocketConnectOptions o =
        new WebSocketConnectOptions()
            .setHost("127.0.0.1")
            .setPort(port)
            .setURI("/ws")
            .setAllowOriginHeader(Arrays.asList(headers).contains("origin"));
    if (token != null) {
      o.addHeader("authorization", "Bearer " + token);
    }
    for (int i = 0; i < headers.length; i += 2) {
      o.addHeader(headers[i], headers[i + 1]);
    }
    return wsClient
        .connect(o)
        .map(s -> (Throwable) null)
        .otherwise(e -> e)
        .await(10, TimeUnit.SECONDS);
  }

  private static int status(Throwable wsOutcome) {
    return wsOutcome == null ? 101 : ((UpgradeRejectedException) wsOutcome).getStatus();
  }

  @Test
  void foreignHostIsRefusedLoopbackNamesAreServed() throws Exception {
    assertThat(send(HttpMethod.GET, "/api/servers", reader, "host", "evil.example").statusCode())
        .isEqualTo(403);
    assertThat(
            send(HttpMethod.GET, "/api/health", null, "host", "rebind.attacker.test:" + port)
                .statusCode())
        .isEqualTo(403);
    assertThat(
            send(HttpMethod.GET, "/api/servers", reader, "host", "localhost:" + port).statusCode())
        .isEqualTo(200);
    assertThat(send(HttpMethod.GET, "/api/servers", reader, "host", "[::1]:" + port).statusCode())
        .isEqualTo(200);
    assertThat(status(ws(reader, "host", "evil.example"))).isEqualTo(403);
  }

  @Test
  void webSocketOriginMustBeOursAndNullNeverIs() throws Exception {
    assertThat(status(ws(reader, "origin", "https://evil.example"))).isEqualTo(403);
    assertThat(status(ws(reader, "origin", "null"))).isEqualTo(403);
    assertThat(status(ws(reader, "origin", "http://127.0.0.1:" + (port + 1))))
        .as("another port is another origin")
        .isEqualTo(403);
    assertThat(status(ws(reader, "origin", "http://127.0.0.1:" + port))).isEqualTo(101);
    assertThat(status(ws(reader))).as("no Origin: a script, with a token").isEqualTo(101);
    assertThat(status(ws(null, "cookie", "tw_session=whatever")))
        .as("no Origin and no token: refused before the cookie")
        .isEqualTo(403);
    assertThat(status(ws(null, "origin", "http://127.0.0.1:" + port)))
        .as("our origin, no credentials")
        .isEqualTo(401);
    assertThat(status(ws("twa_00000000_bogus"))).isEqualTo(401);
  }

  @Test
  void crossSiteStateChangesAreRefused() throws Exception {
    assertThat(
            send(HttpMethod.POST, "/api/tokens", admin, "origin", "https://evil.example")
                .statusCode())
        .isEqualTo(403);
    assertThat(
            send(HttpMethod.POST, "/api/tokens", admin, "sec-fetch-site", "cross-site")
                .statusCode())
        .isEqualTo(403);
    assertThat(
            send(HttpMethod.POST, "/api/tokens", admin, "sec-fetch-site", "same-site").statusCode())
        .isEqualTo(403);
    assertThat(
            send(HttpMethod.DELETE, "/api/tokens/twa_00000000", admin, "origin", "null")
                .statusCode())
        .isEqualTo(403);
    assertThat(
            send(
                    HttpMethod.POST,
                    "/api/tokens",
                    admin,
                    "origin",
                    "http://127.0.0.1:" + port,
                    "sec-fetch-site",
                    "same-origin")
                .statusCode())
        .isEqualTo(201);
    assertThat(send(HttpMethod.POST, "/api/tokens", admin).statusCode())
        .as("a script with a token")
        .isEqualTo(201);
  }

  @Test
  void aReaderMayLookButNotChange() throws Exception {
    assertThat(send(HttpMethod.GET, "/api/servers", reader).statusCode()).isEqualTo(200);
    assertThat(send(HttpMethod.GET, "/metrics", reader).statusCode()).isEqualTo(200);
    for (var c :
        new Object[][] {
          {HttpMethod.POST, "/api/tokens"},
          {HttpMethod.GET, "/api/tokens"},
          {HttpMethod.DELETE, "/api/tokens/twa_00000000"},
          {HttpMethod.POST, "/api/servers"},
          {HttpMethod.POST, "/api/servers/box-1/disable"},
          {HttpMethod.POST, "/api/servers/box-1/token"}
        }) {
      var r = send((HttpMethod) c[0], (String) c[1], reader);
      assertThat(r.statusCode()).as(c[0] + " " + c[1] + " as reader").isEqualTo(403);
      assertThat(r.bodyAsJsonObject().getJsonObject("error").getString("code"))
          .isEqualTo("forbidden");
    }
    assertThat(send(HttpMethod.GET, "/api/tokens", admin).statusCode()).isEqualTo(200);
    // Acknowledging needs the user role or above.
    assertThat(send(HttpMethod.POST, "/api/alerts/" + ALERT + "/ack", reader).statusCode())
        .isEqualTo(403);
    assertThat(
            send(HttpMethod.POST, "/api/alerts/" + ALERT + "/ack", access.token("user"))
                .statusCode())
        .isEqualTo(200);
    assertThat(
            send(
                    HttpMethod.POST,
                    "/api/alerts/" + ALERT + "/ack",
                    access.token("user"),
                    "origin",
                    "https://evil.example")
                .statusCode())
        .as("and it is a state change: CSRF applies")
        .isEqualTo(403);
    var me = send(HttpMethod.GET, "/api/me", reader).bodyAsJsonObject();
    assertThat(me.getString("role")).isEqualTo("reader");
    assertThat(me.getJsonArray("permissions").getList()).containsExactly("view");
  }

  @Test
  void everyResponseCarriesTheSecurityHeaders() throws Exception {
    for (String path : new String[] {"/api/health", "/api/servers", "/login", "/nope.js"}) {
      var r = send(HttpMethod.GET, path, null);
      assertThat(r.getHeader("content-security-policy"))
          .as(path)
          .isEqualTo(Guard.CSP)
          .contains("frame-ancestors 'none'")
          .doesNotContain("unsafe-inline");
      assertThat(r.getHeader("x-content-type-options")).as(path).isEqualTo("nosniff");
      assertThat(r.getHeader("referrer-policy")).as(path).isEqualTo("no-referrer");
      assertThat(r.getHeader("strict-transport-security")).as("no HSTS over plain HTTP").isNull();
    }
  }

  @Test
  void aRevocationWhoseNotificationIsLostStillClosesTheSocket() throws Exception {
    String doomed = access.token("reader");
    var socket =
        wsClient
            .connect(
                new WebSocketConnectOptions()
                    .setHost("127.0.0.1")
                    .setPort(port)
                    .setURI("/ws")
                    .addHeader("authorization", "Bearer " + doomed))
            .await(10, TimeUnit.SECONDS);
    Promise<Short> closed = Promise.promise();
    socket.closeHandler(v -> closed.tryComplete(socket.closeStatusCode()));
    access.revokeSilently(doomed);
    assertThat(closed.future().await(10, TimeUnit.SECONDS)).isEqualTo((short) 1008);
  }

  @Test
  void aRevokedTokenIsRefusedAtOnceAndItsSocketsClose(Vertx vertx) throws Exception {
    String doomed = access.token("reader");
    var socket =
        wsClient
            .connect(
                new WebSocketConnectOptions()
                    .setHost("127.0.0.1")
                    .setPort(port)
                    .setURI("/ws")
                    .addHeader("authorization", "Bearer " + doomed))
            .await(10, TimeUnit.SECONDS);
    Promise<Short> closed = Promise.promise();
    socket.closeHandler(v -> closed.tryComplete(socket.closeStatusCode()));
    access.revoke(doomed);
    assertThat(closed.future().await(10, TimeUnit.SECONDS)).isEqualTo((short) 1008);
    assertThat(send(HttpMethod.GET, "/api/servers", doomed).statusCode()).isEqualTo(401);
  }
}
