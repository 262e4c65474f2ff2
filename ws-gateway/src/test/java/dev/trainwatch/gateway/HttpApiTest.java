package dev.trainwatch.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainwatch.bus.Addresses;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The gateway's HTTP side with a real client: error shapes, trailing slashes, caching of the UI.
 */
@ExtendWith(VertxExtension.class)
class HttpApiTest {
  int port;
  WebClient http;
  String token;

  @BeforeEach
  void deploy(Vertx vertx) throws Exception {
    vertx
        .eventBus()
        .consumer(
            Addresses.SERVERS_LIST,
            m ->
                m.reply(
                    new JsonObject()
                        .put(
                            "servers",
                            new JsonArray()
                                .add(
                                    new JsonObject()
                                        .put("slug", "box-1")
                                        .put("name", "Box 1")
                                        .put("is_active", true)))));
    vertx
        .eventBus()
        .consumer(
            Addresses.HISTORY_QUERY,
            m ->
                m.reply(
                    new JsonObject()
                        .put("server", "box-1")
                        .put("step_s", 5)
                        .put("resolution", "raw")
                        .put("points", new JsonArray())));
    token = StubAccess.token(vertx, "reader");
    GatewayVerticle g = new GatewayVerticle();
    String ui =
        Path.of(getClass().getResource("/ui-fixture/index.html").toURI()).getParent().toString();
    vertx
        .deployVerticle(
            g,
            new DeploymentOptions()
                .setConfig(
                    new JsonObject()
                        .put("http", new JsonObject().put("port", 0))
                        .put("ui_dir", ui)))
        .await(10, TimeUnit.SECONDS);
    port = g.actualPort();
    http = WebClient.create(vertx);
  }

  private HttpResponse<Buffer> get(String uri) throws Exception {
    return http.get(port, "127.0.0.1", uri)
        .bearerTokenAuthentication(token)
        .send()
        .await(10, TimeUnit.SECONDS);
  }

  @Test
  void pathsWorkWithAndWithoutTrailingSlash() throws Exception {
    assertThat(get("/api/servers").statusCode()).isEqualTo(200);
    assertThat(get("/api/servers/").bodyAsJsonArray().getJsonObject(0).getString("slug"))
        .isEqualTo("box-1");
    assertThat(
            get("/api/metrics/history?server=box-1&minutes=15")
                .bodyAsJsonObject()
                .getString("resolution"))
        .isEqualTo("raw");
    assertThat(get("/api/metrics/history/?server=box-1&minutes=15").statusCode()).isEqualTo(200);
  }

  @Test
  void queryMistakesAre400NamingTheParameter() throws Exception {
    var r = get("/api/metrics/history/?server=box-1&minutes=abc");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.bodyAsJsonObject().getJsonObject("error").getString("code"))
        .isEqualTo("invalid_query");
    assertThat(r.bodyAsJsonObject().getJsonObject("error").getString("field")).isEqualTo("minutes");
    var f = get("/api/metrics/history/?server=box-1&from=yesterday&to=2026-11-22T06:00:00Z");
    assertThat(f.bodyAsJsonObject().getJsonObject("error").getString("field")).isEqualTo("from");
    var m = get("/api/metrics/latest/");
    assertThat(m.statusCode()).isEqualTo(400);
    assertThat(m.bodyAsJsonObject().getJsonObject("error").getString("field")).isEqualTo("server");
    var n = get("/api/metrics/latest/?server=box-1");
    assertThat(n.statusCode()).isEqualTo(404);
    assertThat(n.bodyAsJsonObject().getJsonObject("error").getString("code")).isEqualTo("no_data");
    assertThat(n.bodyAsJsonObject().getJsonObject("server").getString("slug")).isEqualTo("box-1");
    for (String far :
        new String[] {"0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "+10000-01-01T00:00:00Z"}) {
      var outside =
          get("/api/metrics/history/?server=box-1&from=" + far + "&to=2026-11-22T06:00:00Z");
      assertThat(outside.statusCode()).as(far).isEqualTo(400);
      assertThat(outside.bodyAsJsonObject().getJsonObject("error").getString("field"))
          .isEqualTo("from");
    }
    var bad = get("/api/metrics/latest/?server=%zz");
    assertThat(bad.statusCode()).as("a query string that does not decode").isEqualTo(400);
    assertThat(bad.bodyAsJsonObject().getJsonObject("error").getString("code"))
        .isEqualTo("invalid_query");
    assertThat(get("/api/v1/system/history?server=%E0%A4%A").statusCode()).isEqualTo(400);
    var u = get("/api/nothing/here");
    assertThat(u.statusCode()).isEqualTo(404);
    assertThat(u.bodyAsJsonObject().getJsonObject("error").getString("code"))
        .isEqualTo("not_found");
  }

  @Test
  void uiCachingIndexRevalidatesHashedAssetsAreImmutable() throws Exception {
    var index = get("/");
    assertThat(index.statusCode()).isEqualTo(200);
    assertThat(index.bodyAsString()).contains("<title>t</title>");
    assertThat(index.getHeader("cache-control")).isEqualTo("no-cache");
    assertThat(index.getHeader("last-modified")).isNotBlank();
    assertThat(get("/index.html").getHeader("cache-control")).isEqualTo("no-cache");
    assertThat(get("/assets/app.js").getHeader("cache-control")).isEqualTo("no-cache");
    var hashed = get("/assets/chunk.3f2a9c1e.js");
    assertThat(hashed.statusCode()).isEqualTo(200);
    assertThat(hashed.getHeader("cache-control")).isEqualTo("public, max-age=31536000, immutable");
    assertThat(get("/assets/missing.js").statusCode()).isEqualTo(404);
    var revalidated =
        http.get(port, "127.0.0.1", "/")
            .bearerTokenAuthentication(token)
            .putHeader("if-modified-since", index.getHeader("last-modified"))
            .send()
            .await(10, TimeUnit.SECONDS);
    assertThat(revalidated.statusCode()).isEqualTo(304);
  }
}
