package dev.trainwatch.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainwatch.bus.Tokens;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Access control end to end on the embedded stack, as {@code trainwatch run} starts it: one-time
 * local sign-in, sessions, API tokens made by the admin API and the CLI, revocation, sign-out, CSRF
 * on cookie requests, the admin registry API, and which listeners exist. Real Postgres, real HTTP
 * and WebSocket clients.
 */
class AccessControlTest {
  @TempDir static Path dataDir;
  static RunCommand.Running running;
  static JsonObject config;
  static Vertx vertx;
  static WebClient http;
  static WebSocketClient wsClient;
  static int port;
  static String own;

  @BeforeAll
  static void start() throws Exception {
    config =
        ConfigLoader.load(
            null,
            Map.of(
                "TRAINWATCH_DATA_DIR", dataDir.toString(),
                "TRAINWATCH_HTTP_PORT", "0",
                "TRAINWATCH_COLLECTOR_GPU_ENABLED", "false"));
    running = RunCommand.Running.start(config, Role.expand(EnumSet.of(Role.ALL)), false);
    port = running.httpPort();
    own = "http://127.0.0.1:" + port;
    vertx = Vertx.vertx();
    http = WebClient.create(vertx, new WebClientOptions().setFollowRedirects(false));
    wsClient = vertx.createWebSocketClient();
  }

  @AfterAll
  static void stop() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
    running.close();
  }

  // ---- helpers
  // ---------------------------------------------------------------------------------------------------

  static HttpResponse<Buffer> call(
      HttpMethod m, String path, String cookie, String bearer, JsonObject body, String... headers)
      throws Exception {
    HttpRequest<Buffer> req = http.request(m, port, "127.0.0.1", path);
    if (cookie != null) {
      req.putHeader("cookie", "tw_session=" + cookie);
    }
    if (bearer != null) {
      req.bearerTokenAuthentication(bearer);
    }
    for (int i = 0; i < headers.length; i += 2) {
      req.putHeader(headers[i], headers[i + 1]);
    }
    Future<HttpResponse<Buffer>> f =
        body == null
            ? req.send()
            : req.putHeader("content-type", "application/json").sendBuffer(body.toBuffer());
    return f.await(10, TimeUnit.SECONDS);
  }

  /** A browser's admin session: a one-time link, as `trainwatch run` prints it, spent once. */
  static String signIn() throws Exception {
    String url = LoginUrl.mint(running.vertx(), config, own).await(10, TimeUnit.SECONDS);
    var r = http.getAbs(url).send().await(10, TimeUnit.SECONDS);
    assertThat(r.statusCode()).as("the link signs in").isEqualTo(303);
    return sessionCookie(r);
  }

  static String sessionCookie(HttpResponse<Buffer> r) {
    return r.cookies().stream()
        .filter(c -> c.startsWith("tw_session="))
        .map(c -> c.substring(11).split(";")[0])
        .findFirst()
        .orElse(null);
  }

  static WebSocket socket(String cookie, String bearer) throws Exception {
    WebSocketConnectOptions o =
        new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI("/ws");
    if (cookie != null) {
      o.addHeader("cookie", "tw_session=" + cookie).addHeader("origin", own);
    }
    if (bearer != null) {
      o.addHeader("authorization", "Bearer " + bearer);
    }
    return wsClient.connect(o).await(10, TimeUnit.SECONDS);
  }

  static Future<Short> closeCode(WebSocket ws) {
    Promise<Short> p = Promise.promise();
    ws.closeHandler(v -> p.tryComplete(ws.closeStatusCode()));
    return p.future();
  }

  static int ingest(String agentToken, String slug, long seq) throws Exception {
    JsonObject snap =
        new JsonObject()
            .put("schema", 1)
            .put("ts", Instant.now().toString())
            .put(
                "agent",
                new JsonObject()
                    .put("hostname", slug)
                    .put("boot_id", "b")
                    .put("seq", seq)
                    .put("uptime_ms", 1000 + seq));
    return http.post(port, "127.0.0.1", "/api/ingest/servers/" + slug + "/metrics/")
        .putHeader("content-type", "application/json")
        .putHeader("x-monitoring-token", agentToken)
        .sendBuffer(snap.toBuffer())
        .await(10, TimeUnit.SECONDS)
        .statusCode();
  }

  /**
   * Ingest's verdict cache is dropped by NOTIFY moments after a registry commit; ask until it says
   * {@code want}.
   */
  static int ingestSettles(String agentToken, String slug, long seq, int want) throws Exception {
    int got = -1;
    for (int i = 0; i < 100 && got != want; i++) {
      got = ingest(agentToken, slug, seq + i);
      if (got != want) {
        Promise<Void> p = Promise.promise();
        vertx.setTimer(50, t -> p.complete());
        p.future().await(1, TimeUnit.SECONDS);
      }
    }
    return got;
  }

  static String cli(String... args) throws Exception {
    return Cli.run(dataDir, args).trim();
  }

  // ---- local sign-in
  // ---------------------------------------------------------------------------------------------

  @Test
  void theLoginLinkWorksOnceAndMakesAnAdminSession() throws Exception {
    String url = LoginUrl.mint(running.vertx(), config, own).await(10, TimeUnit.SECONDS);
    assertThat(url).matches("http://127\\.0\\.0\\.1:\\d+/login\\?token=[A-Za-z0-9_-]{43}");
    var first = http.getAbs(url + "&next=/%3Fserver%3Dlocal").send().await(10, TimeUnit.SECONDS);
    assertThat(first.statusCode()).isEqualTo(303);
    assertThat(first.getHeader("location")).isEqualTo("/?server=local");
    String set =
        first.cookies().stream().filter(c -> c.startsWith("tw_session=")).findFirst().orElseThrow();
    assertThat(set)
        .containsIgnoringCase("HttpOnly")
        .contains("SameSite=Strict")
        .contains("Path=/")
        .doesNotContainIgnoringCase("secure");
    var me = call(HttpMethod.GET, "/api/me", sessionCookie(first), null, null).bodyAsJsonObject();
    assertThat(me.getString("role")).isEqualTo("admin");
    assertThat(me.getString("kind")).isEqualTo("local");
    assertThat(me.getString("auth_mode")).isEqualTo("local");

    var second = http.getAbs(url).send().await(10, TimeUnit.SECONDS);
    assertThat(second.statusCode()).as("a spent link").isEqualTo(401);
    assertThat(second.bodyAsString()).contains("trainwatch login-url");
    assertThat(sessionCookie(second)).isNull();
  }

  @Test
  void anExpiredOrUnknownLinkIsRefusedAndNextCannotLeaveTheSite() throws Exception {
    String token = Tokens.secret(32);
    try (AdminDb db = AdminDb.open(config)) {
      AdminDb.await(db.access().mintLogin(Tokens.sha256(token), Duration.ofSeconds(-1)));
    }
    assertThat(
            http.get(port, "127.0.0.1", "/login?token=" + token)
                .send()
                .await(10, TimeUnit.SECONDS)
                .statusCode())
        .isEqualTo(401);
    assertThat(
            http.get(port, "127.0.0.1", "/login?token=" + Tokens.secret(32))
                .send()
                .await(10, TimeUnit.SECONDS)
                .statusCode())
        .isEqualTo(401);
    assertThat(
            http.get(port, "127.0.0.1", "/login?token=" + "x".repeat(200))
                .send()
                .await(10, TimeUnit.SECONDS)
                .statusCode())
        .as("longer than any token: refused before hashing")
        .isEqualTo(401);
    assertThat(
            http.get(port, "127.0.0.1", "/login?token=" + "x".repeat(5000))
                .send()
                .await(10, TimeUnit.SECONDS)
                .statusCode())
        .as("past the request-line limit")
        .isEqualTo(414);
    for (String evil :
        new String[] {
          "//evil.example/", "https://evil.example/", "/\\evil.example", "/\r\nSet-Cookie: x=y"
        }) {
      String url = LoginUrl.mint(running.vertx(), config, own).await(10, TimeUnit.SECONDS);
      var r =
          http.getAbs(url + "&next=" + URLEncoder.encode(evil, StandardCharsets.UTF_8))
              .send()
              .await(10, TimeUnit.SECONDS);
      assertThat(r.getHeader("location")).as("next=" + evil).isEqualTo("/");
    }
  }

  @Test
  void theLoginUrlCommandPrintsAWorkingLink() throws Exception {
    String printed = cli("login-url");
    Matcher m = Pattern.compile("token=([A-Za-z0-9_-]{43})").matcher(printed);
    assertThat(m.find()).isTrue();
    assertThat(printed.lines().count()).as("the URL alone on stdout").isEqualTo(1);
    var r =
        http.get(port, "127.0.0.1", "/login?token=" + m.group(1))
            .send()
            .await(10, TimeUnit.SECONDS);
    assertThat(r.statusCode()).isEqualTo(303);
  }

  @Test
  void nothingListensBeyondLoopback() throws Exception {
    int pgPort =
        Integer.parseInt(
            Files.readAllLines(dataDir.resolve("pg").resolve("postmaster.pid")).get(3).trim());
    var listeners = Listeners.read();
    var mine = Listeners.ownInodes();
    var ours =
        listeners.stream()
            .filter(l -> mine.contains(l.inode()) || l.port() == port || l.port() == pgPort)
            .toList();
    assertThat(ours)
        .as("our listeners")
        .extracting(Listeners.Listener::port)
        .contains(port, pgPort);
    assertThat(ours).allSatisfy(l -> assertThat(l.loopback()).as(l.toString()).isTrue());
  }

  // ---- API tokens
  // ------------------------------------------------------------------------------------------------

  @Test
  void anAdminMakesAnApiTokenThatWorksUntilRevoked() throws Exception {
    String admin = signIn();
    var made =
        call(
            HttpMethod.POST,
            "/api/tokens",
            admin,
            null,
            new JsonObject().put("name", "prometheus").put("role", "reader"),
            "origin",
            own);
    assertThat(made.statusCode()).isEqualTo(201);
    String token = made.bodyAsJsonObject().getString("token");
    String id = made.bodyAsJsonObject().getString("id");
    assertThat(token).startsWith(id + "_").matches("twa_[0-9a-f]{8}_[A-Za-z0-9_-]{43}");
    assertThat(made.bodyAsJsonObject().getString("created_by")).isEqualTo("local operator");

    assertThat(call(HttpMethod.GET, "/api/servers", null, token, null).statusCode()).isEqualTo(200);
    assertThat(call(HttpMethod.GET, "/metrics", null, token, null).statusCode())
        .as("Prometheus scrapes with it")
        .isEqualTo(200);
    assertThat(ingest(token, "local", 1)).as("an API token never opens ingest").isEqualTo(401);
    var listed = call(HttpMethod.GET, "/api/tokens", admin, null, null);
    assertThat(listed.bodyAsString())
        .contains(id)
        .contains("prometheus")
        .doesNotContain(token.substring(13));
    assertThat(
            call(
                    HttpMethod.POST,
                    "/api/tokens",
                    admin,
                    null,
                    new JsonObject().put("name", "prometheus").put("role", "reader"),
                    "origin",
                    own)
                .statusCode())
        .as("one live token per name")
        .isEqualTo(409);

    WebSocket ws = socket(null, token);
    Future<Short> closed = closeCode(ws);
    assertThat(
            call(HttpMethod.DELETE, "/api/tokens/" + id, admin, null, null, "origin", own)
                .statusCode())
        .isEqualTo(204);
    assertThat(call(HttpMethod.GET, "/api/servers", null, token, null).statusCode())
        .as("at once")
        .isEqualTo(401);
    assertThat(closed.await(10, TimeUnit.SECONDS)).as("its socket closes").isEqualTo((short) 1008);
    assertThat(
            call(HttpMethod.DELETE, "/api/tokens/" + id, admin, null, null, "origin", own)
                .statusCode())
        .isEqualTo(404);
  }

  @Test
  void cliTokensHaveTheirRoleAndRevokeAtOnce() throws Exception {
    String reader = cli("api-token", "create", "ci reader", "--role", "reader");
    assertThat(reader).matches("twa_[0-9a-f]{8}_[A-Za-z0-9_-]{43}");
    assertThat(call(HttpMethod.GET, "/api/servers", null, reader, null).statusCode())
        .isEqualTo(200);
    JsonObject tokenBody = new JsonObject().put("name", "x").put("role", "admin");
    assertThat(call(HttpMethod.POST, "/api/tokens", null, reader, tokenBody).statusCode())
        .isEqualTo(403);
    assertThat(
            call(
                    HttpMethod.POST,
                    "/api/servers",
                    null,
                    reader,
                    new JsonObject().put("slug", "nope"))
                .statusCode())
        .isEqualTo(403);
    assertThat(
            call(HttpMethod.POST, "/api/servers/local/disable", null, reader, new JsonObject())
                .statusCode())
        .isEqualTo(403);
    assertThat(cli("api-token", "list"))
        .contains(Tokens.prefix(reader))
        .contains("ci reader")
        .doesNotContain(reader);
    cli("api-token", "revoke", Tokens.prefix(reader));
    assertThat(call(HttpMethod.GET, "/api/servers", null, reader, null).statusCode())
        .isEqualTo(401);
    // A stored value is never a credential: the id, or an agent token, on the dashboard API.
    assertThat(call(HttpMethod.GET, "/api/servers", null, Tokens.prefix(reader), null).statusCode())
        .isEqualTo(401);
  }

  // ---- sessions
  // --------------------------------------------------------------------------------------------------

  @Test
  void cookieStateChangesMustComeFromOurOrigin() throws Exception {
    String admin = signIn();
    JsonObject body = new JsonObject().put("name", "csrf-probe").put("role", "reader");
    assertThat(call(HttpMethod.POST, "/api/tokens", admin, null, body).statusCode())
        .as("no Origin")
        .isEqualTo(403);
    assertThat(
            call(
                    HttpMethod.POST,
                    "/api/tokens",
                    admin,
                    null,
                    body,
                    "origin",
                    "https://evil.example")
                .statusCode())
        .isEqualTo(403);
    assertThat(
            call(
                    HttpMethod.POST,
                    "/api/tokens",
                    admin,
                    null,
                    body,
                    "sec-fetch-site",
                    "cross-site",
                    "origin",
                    own)
                .statusCode())
        .isEqualTo(403);
    assertThat(
            call(HttpMethod.POST, "/logout", admin, null, null, "origin", "https://evil.example")
                .statusCode())
        .as("not even sign-out")
        .isEqualTo(403);
    assertThat(call(HttpMethod.GET, "/api/me", admin, null, null).statusCode()).isEqualTo(200);
  }

  @Test
  void signingOutEndsTheSessionAndClosesItsSockets() throws Exception {
    String session = signIn();
    WebSocket ws = socket(session, null);
    Future<Short> closed = closeCode(ws);
    var out = call(HttpMethod.POST, "/logout", session, null, null, "origin", own);
    assertThat(out.statusCode()).isEqualTo(204);
    assertThat(out.cookies())
        .anySatisfy(c -> assertThat(c).startsWith("tw_session=;").contains("Max-Age=0"));
    assertThat(closed.await(5, TimeUnit.SECONDS)).isEqualTo((short) 1008);
    assertThat(call(HttpMethod.GET, "/api/me", session, null, null).statusCode()).isEqualTo(401);
  }

  @Test
  void signingInAgainEndsTheBrowsersOldSessionAndItsSockets() throws Exception {
    String old = signIn();
    Future<Short> closed = closeCode(socket(old, null));
    String url = LoginUrl.mint(running.vertx(), config, own).await(10, TimeUnit.SECONDS);
    var again =
        http.getAbs(url)
            .putHeader("cookie", "tw_session=" + old)
            .send()
            .await(10, TimeUnit.SECONDS);
    assertThat(sessionCookie(again)).isNotNull().isNotEqualTo(old);
    assertThat(closed.await(5, TimeUnit.SECONDS)).isEqualTo((short) 1008);
    assertThat(call(HttpMethod.GET, "/api/me", old, null, null).statusCode()).isEqualTo(401);
  }

  // ---- the registry, over HTTP
  // -----------------------------------------------------------------------------------

  @Test
  void anAdminRegistersRotatesAndDisablesServers() throws Exception {
    String admin = signIn();
    var made =
        call(
            HttpMethod.POST,
            "/api/servers",
            admin,
            null,
            new JsonObject().put("slug", "rack-7").put("name", "Rack 7"),
            "origin",
            own);
    assertThat(made.statusCode()).isEqualTo(201);
    String agent = made.bodyAsJsonObject().getString("token");
    assertThat(agent).matches("tw_[0-9a-f]{8}_[A-Za-z0-9_-]{43}");
    assertThat(ingest(agent, "rack-7", 1)).isEqualTo(202);
    assertThat(call(HttpMethod.GET, "/api/servers", null, agent, null).statusCode())
        .as("agent tokens open ingest only")
        .isEqualTo(401);
    assertThat(
            call(
                    HttpMethod.POST,
                    "/api/servers",
                    admin,
                    null,
                    new JsonObject().put("slug", "rack-7"),
                    "origin",
                    own)
                .statusCode())
        .isEqualTo(409);
    var bad =
        call(
            HttpMethod.POST,
            "/api/servers",
            admin,
            null,
            new JsonObject().put("slug", "Rack 7!"),
            "origin",
            own);
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.bodyAsJsonObject().getJsonObject("error").getString("field")).isEqualTo("slug");
    assertThat(
            call(
                    HttpMethod.POST,
                    "/api/servers/rack-7/disable",
                    admin,
                    null,
                    new JsonObject(),
                    "origin",
                    own)
                .statusCode())
        .isEqualTo(200);
    assertThat(ingestSettles(agent, "rack-7", 10, 403)).isEqualTo(403);
    assertThat(
            call(
                    HttpMethod.POST,
                    "/api/servers/rack-7/enable",
                    admin,
                    null,
                    new JsonObject(),
                    "origin",
                    own)
                .statusCode())
        .isEqualTo(200);
    var rotated =
        call(
            HttpMethod.POST,
            "/api/servers/rack-7/token",
            admin,
            null,
            new JsonObject(),
            "origin",
            own);
    String fresh = rotated.bodyAsJsonObject().getString("token");
    assertThat(ingestSettles(agent, "rack-7", 200, 401)).as("the old token").isEqualTo(401);
    assertThat(ingest(fresh, "rack-7", 400)).isEqualTo(202);
    assertThat(
            call(
                    HttpMethod.POST,
                    "/api/servers/nope/disable",
                    admin,
                    null,
                    new JsonObject(),
                    "origin",
                    own)
                .statusCode())
        .isEqualTo(404);
    var big =
        call(
            HttpMethod.POST,
            "/api/servers",
            admin,
            null,
            new JsonObject().put("slug", "x".repeat(5000)),
            "origin",
            own);
    assertThat(big.statusCode()).as("admin bodies are capped at 4 KiB").isEqualTo(413);
  }
}
