package dev.trainwatch.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainwatch.bus.Addresses;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.junit5.VertxExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every route the router knows, asked without credentials, answers 401, except the public list
 * (CONTRACT §2): health, public config, sign-in, and ingest (tested by its own module; mounted here
 * as in embedded mode).
 */
@ExtendWith(VertxExtension.class)
class RouteCrawlTest {
  static final Set<String> PUBLIC =
      Set.of("/api/health", "/api/config", "/login", "/login/oidc", "/login/callback");

  @Test
  void everyRouteButThePublicOnesNeedsCredentials(Vertx vertx) throws Exception {
    vertx
        .eventBus()
        .consumer(
            Addresses.SERVERS_LIST, m -> m.reply(new JsonObject().put("servers", new JsonArray())));
    // Stand-in for ingest's routes in embedded mode: the guard must leave them to ingest's own
    // token check.
    GatewayVerticle g =
        new GatewayVerticle(
            List.of(
                (vx, r) -> {
                  r.post("/api/ingest/servers/:slug/metrics")
                      .handler(ctx -> ctx.response().setStatusCode(418).end());
                  return Future.succeededFuture();
                }));
    vertx
        .deployVerticle(
            g,
            new DeploymentOptions()
                .setConfig(new JsonObject().put("http", new JsonObject().put("port", 0))))
        .await(10, TimeUnit.SECONDS);
    WebClient http = WebClient.create(vertx, new WebClientOptions().setFollowRedirects(false));

    Set<String> crawled = new TreeSet<>();
    List<String> publicSeen = new ArrayList<>();
    for (Route route : g.router().getRoutes()) {
      String path = route.getPath();
      if (path == null || path.endsWith("*") || path.equals("/")) {
        continue; // the guard's own handlers, the body reader, the /api/* 404 and the UI's static
        // files (no data)
      }
      String concrete = path.replace(":slug", "box-1").replace(":id", "twa_00000000");
      Set<HttpMethod> methods =
          route.methods() == null || route.methods().isEmpty()
              ? Set.of(HttpMethod.GET)
              : route.methods();
      for (HttpMethod m : methods) {
        var req = http.request(m, g.actualPort(), "127.0.0.1", concrete);
        var resp =
            (m == HttpMethod.POST
                    ? req.putHeader("content-type", "application/json")
                        .sendBuffer(Buffer.buffer("{}"))
                    : req.send())
                .await(10, TimeUnit.SECONDS);
        String bare =
            concrete.endsWith("/") && concrete.length() > 1
                ? concrete.substring(0, concrete.length() - 1)
                : concrete;
        if (PUBLIC.contains(bare) || bare.startsWith("/api/ingest/")) {
          assertThat(resp.statusCode()).as(m + " " + concrete + " is public").isNotEqualTo(401);
          publicSeen.add(bare);
        } else {
          assertThat(resp.statusCode())
              .as(m + " " + concrete + " without credentials")
              .isEqualTo(401);
          assertThat(resp.bodyAsJsonObject().getJsonObject("error").getString("code"))
              .isEqualTo("unauthorized");
        }
        crawled.add(m + " " + path);
      }
    }
    // The crawl really covered the surface: the API, admin routes, /metrics and the account routes.
    assertThat(crawled)
        .contains(
            "GET /api/servers",
            "GET /api/metrics/history",
            "GET /metrics",
            "GET /api/me",
            "POST /api/tokens",
            "DELETE /api/tokens/:id",
            "POST /api/servers/:slug/disable",
            "POST /logout");
    assertThat(publicSeen)
        .contains("/api/health", "/api/config", "/login", "/api/ingest/servers/box-1/metrics");
    // Paths no route declares are under the same rule.
    assertThat(
            http.get(g.actualPort(), "127.0.0.1", "/api/not-a-route")
                .send()
                .await(10, TimeUnit.SECONDS)
                .statusCode())
        .isEqualTo(401);
    // The dashboard page itself sends a browser without a session to sign in.
    var home = http.get(g.actualPort(), "127.0.0.1", "/").send().await(10, TimeUnit.SECONDS);
    assertThat(home.statusCode()).isEqualTo(303);
    assertThat(home.getHeader("location")).isEqualTo("/login");
    // And the live stream: no 101 without a session or token.
    var ws = vertx.createWebSocketClient();
    Throwable refused =
        ws.connect(
                new WebSocketConnectOptions()
                    .setHost("127.0.0.1")
                    .setPort(g.actualPort())
                    .setURI("/ws"))
            .map(s -> (Throwable) null)
            .otherwise(e -> e)
            .await(10, TimeUnit.SECONDS);
    assertThat(refused).isInstanceOf(UpgradeRejectedException.class);
    assertThat(((UpgradeRejectedException) refused).getStatus()).isEqualTo(401);
  }
}
