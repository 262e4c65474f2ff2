package dev.trainwatch.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The alert API's guard and limits (docs/security.md): who may do what, and every parameter an
 * outsider controls crossing its limit gets a 4xx naming it and changes nothing. Also the rules API
 * end to end: an admin's rule is stored, taken up by the evaluator, and fires.
 */
class AlertApiTest {
  @TempDir static Path dataDir;
  static Vertx vertx;
  static RunCommand.Running stack;
  static WebClient reader;
  static WebClient user;
  static WebClient admin;

  @BeforeAll
  static void start() throws Exception {
    stack =
        RunCommand.Running.start(
            ConfigLoader.load(
                null,
                Map.of(
                    "TRAINWATCH_DATA_DIR",
                    dataDir.toString(),
                    "TRAINWATCH_HTTP_PORT",
                    "0",
                    "TRAINWATCH_COLLECTOR_GPU_ENABLED",
                    "false")),
            Role.expand(EnumSet.of(Role.ALL)),
            false);
    vertx = Vertx.vertx();
    reader = TestCredentials.client(vertx, TestCredentials.apiToken(stack.vertx(), "reader"));
    user = TestCredentials.client(vertx, TestCredentials.apiToken(stack.vertx(), "user"));
    admin = TestCredentials.client(vertx, TestCredentials.apiToken(stack.vertx(), "admin"));
  }

  @AfterAll
  static void stop() throws Exception {
    stack.close();
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  static HttpResponse<Buffer> call(WebClient c, HttpMethod m, String uri, JsonObject body)
      throws Exception {
    var req = c.request(m, stack.httpPort(), "127.0.0.1", uri);
    return (body == null
            ? req.send()
            : req.putHeader("content-type", "application/json").sendBuffer(body.toBuffer()))
        .await(10, TimeUnit.SECONDS);
  }

  static void refused(HttpResponse<Buffer> r, int status, String code, String field) {
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(status);
    JsonObject error = r.bodyAsJsonObject().getJsonObject("error");
    assertThat(error.getString("code")).isEqualTo(code);
    if (field != null) {
      assertThat(error.getString("field")).isEqualTo(field);
    }
  }

  @Test
  void queryParametersHaveLimits() throws Exception {
    assertThat(call(reader, HttpMethod.GET, "/api/alerts", null).statusCode()).isEqualTo(200);
    refused(
        call(reader, HttpMethod.GET, "/api/alerts?state=burning", null),
        400,
        "invalid_query",
        "state");
    refused(
        call(reader, HttpMethod.GET, "/api/alerts?limit=1001", null),
        400,
        "invalid_query",
        "limit");
    refused(
        call(reader, HttpMethod.GET, "/api/alerts?limit=0", null), 400, "invalid_query", "limit");
    refused(
        call(reader, HttpMethod.GET, "/api/alerts?limit=1e3", null), 400, "invalid_query", "limit");
    refused(
        call(reader, HttpMethod.GET, "/api/alerts?since=yesterday", null),
        400,
        "invalid_query",
        "since");
    refused(
        call(reader, HttpMethod.GET, "/api/alerts?since=9999-01-01T00:00:00Z", null),
        400,
        "invalid_query",
        "since");
    refused(
        call(reader, HttpMethod.GET, "/api/alerts?server=NOT%20A%20SLUG", null),
        400,
        "invalid_query",
        "server");
    refused(
        call(reader, HttpMethod.GET, "/api/xid-events?limit=5000", null),
        400,
        "invalid_query",
        "limit");
    assertThat(
            call(
                    reader,
                    HttpMethod.GET,
                    "/api/alerts?server=nobody&state=firing&limit=1000&since=2026-01-01T00:00:00Z",
                    null)
                .bodyAsJsonObject()
                .getJsonArray("alerts"))
        .isEmpty();
  }

  @Test
  void onlyUsersAcknowledgeAndOnlyAdminsChangeRules() throws Exception {
    String unknown = "00000000-0000-4000-8000-000000000000";
    refused(
        call(reader, HttpMethod.POST, "/api/alerts/" + unknown + "/ack", null),
        403,
        "forbidden",
        null);
    refused(
        call(user, HttpMethod.POST, "/api/alerts/" + unknown + "/ack", null),
        404,
        "not_found",
        "id");
    refused(
        call(user, HttpMethod.POST, "/api/alerts/'%20OR%201=1/ack", null), 404, "not_found", "id");
    JsonObject rule =
        new JsonObject().put("metric", "gpu.temperature").put("op", ">=").put("threshold", 70);
    refused(call(user, HttpMethod.PUT, "/api/alerts/rules/warm", rule), 403, "forbidden", null);
    refused(call(user, HttpMethod.GET, "/api/alerts/dead-letters", null), 403, "forbidden", null);
    refused(call(user, HttpMethod.DELETE, "/api/alerts/rules/warm", null), 403, "forbidden", null);
    assertThat(call(admin, HttpMethod.GET, "/api/alerts/dead-letters", null).statusCode())
        .isEqualTo(200);
  }

  @Test
  void aBadRuleIsRefusedNamingItsFieldAndChangesNothing() throws Exception {
    JsonArray before =
        call(reader, HttpMethod.GET, "/api/alerts/rules", null)
            .bodyAsJsonObject()
            .getJsonArray("rules");
    JsonObject good =
        new JsonObject().put("metric", "gpu.temperature").put("op", ">=").put("threshold", 70);
    refused(
        call(admin, HttpMethod.PUT, "/api/alerts/rules/bad", good.copy().put("op", "~")),
        400,
        "invalid_payload",
        "op");
    refused(
        call(admin, HttpMethod.PUT, "/api/alerts/rules/bad", good.copy().put("for_s", 1e9)),
        400,
        "invalid_payload",
        "for_s");
    refused(
        call(admin, HttpMethod.PUT, "/api/alerts/rules/Bad%20Name", good),
        400,
        "invalid_payload",
        "name");
    refused(
        call(admin, HttpMethod.PUT, "/api/alerts/rules/bad", good.copy().put("name", "other")),
        400,
        "invalid_payload",
        "name");
    refused(
        call(
            admin,
            HttpMethod.PUT,
            "/api/alerts/rules/bad",
            good.copy().put("why", "x".repeat(5000))),
        413,
        "payload_too_large",
        null);
    var notJson =
        admin
            .request(HttpMethod.PUT, stack.httpPort(), "127.0.0.1", "/api/alerts/rules/bad")
            .putHeader("content-type", "text/plain")
            .sendBuffer(Buffer.buffer("x"))
            .await(10, TimeUnit.SECONDS);
    assertThat(notJson.statusCode()).isEqualTo(415);
    refused(
        call(admin, HttpMethod.DELETE, "/api/alerts/rules/gpu-xid", null),
        404,
        "not_found",
        "name");
    assertThat(
            call(reader, HttpMethod.GET, "/api/alerts/rules", null)
                .bodyAsJsonObject()
                .getJsonArray("rules"))
        .isEqualTo(before);
  }

  @Test
  void anAdminsRuleIsStoredTakenUpAndFires() throws Exception {
    JsonObject warm =
        new JsonObject()
            .put("metric", "gpu.temperature")
            .put("op", ">=")
            .put("threshold", 70)
            .put("severity", "info")
            .put("why", "test");
    var put = call(admin, HttpMethod.PUT, "/api/alerts/rules/warm", warm);
    assertThat(put.statusCode()).as(put.bodyAsString()).isEqualTo(200);
    assertThat(put.bodyAsJsonObject().getJsonObject("rule").getString("name")).isEqualTo("warm");
    assertThat(
            call(reader, HttpMethod.GET, "/api/alerts/rules", null)
                .bodyAsJsonObject()
                .getJsonArray("rules")
                .stream()
                .map(r -> ((JsonObject) r).getString("name"))
                .toList())
        .contains("warm");

    String token = Cli.run(dataDir, "register-server", "warm-box").trim();
    String userToken = TestCredentials.apiToken(stack.vertx(), "user");
    try (AlertFrames frames = AlertFrames.open(vertx, stack.httpPort(), userToken)) {
      // The rules change reaches the evaluator on the bus after the PUT's answer, so the first
      // snapshot is below the
      // threshold either way, and three hot ones follow in separate requests.
      CraftedHost h =
          new CraftedHost(Instant.now().minusSeconds(60).truncatedTo(ChronoUnit.SECONDS));
      h.temperature = 65;
      List<JsonObject> sequence = new ArrayList<>(h.steps(1, Duration.ofSeconds(1)));
      h.temperature = 75;
      sequence.addAll(h.steps(3, Duration.ofSeconds(1)));
      for (JsonObject s : sequence) {
        var r =
            WebClient.create(vertx)
                .post(stack.httpPort(), "127.0.0.1", "/api/ingest/servers/warm-box/metrics/")
                .putHeader("content-type", "application/json")
                .putHeader("x-monitoring-token", token)
                .sendBuffer(s.toBuffer())
                .await(10, TimeUnit.SECONDS);
        assertThat(r.statusCode()).isEqualTo(202);
      }
      JsonObject fired = frames.await(AlertFrames.is("warm-box", "warm", "firing"));
      assertThat(fired.getString("severity")).isEqualTo("info");
      assertThat(call(admin, HttpMethod.DELETE, "/api/alerts/rules/warm", null).statusCode())
          .isEqualTo(204);
      // Deleting the rule resolves what it had open: nobody else ever would.
      frames.await(
          a ->
              fired.getString("id").equals(a.getString("id"))
                  && "resolved".equals(a.getString("state")));
    }
    refused(
        call(admin, HttpMethod.DELETE, "/api/alerts/rules/warm", null), 404, "not_found", "name");
  }

  @Test
  void theAllServersSubscriptionTakesOnlyAlerts() throws Exception {
    String token = TestCredentials.apiToken(stack.vertx(), "reader");
    var ws =
        vertx
            .createWebSocketClient()
            .connect(TestCredentials.ws(stack.httpPort(), token))
            .await(10, TimeUnit.SECONDS);
    Promise<JsonObject> answer = Promise.promise();
    ws.textMessageHandler(t -> answer.tryComplete(new JsonObject(t)));
    ws.writeTextMessage(
        new JsonObject()
            .put("op", "subscribe")
            .put("server", "*")
            .put("channels", new JsonArray().add("alerts").add("system/cpu"))
            .encode());
    JsonObject error = answer.future().await(10, TimeUnit.SECONDS);
    assertThat(error.getString("event")).isEqualTo("error");
    assertThat(error.encode()).contains("channels");
    ws.close();
  }
}
