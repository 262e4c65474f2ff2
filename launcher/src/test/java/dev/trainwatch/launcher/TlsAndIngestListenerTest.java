package dev.trainwatch.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainwatch.bus.RegistryChange;
import dev.trainwatch.bus.Tls;
import dev.trainwatch.bus.Tokens;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SelfSignedCertificate;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.nio.file.Path;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exposure on purpose: the dashboard over TLS (HSTS, {@code __Host-} Secure cookie, TLS 1.2 and 1.3
 * only), and ingest on a listener of its own so agents reach it while the dashboard stays where it
 * is.
 */
class TlsAndIngestListenerTest {
  @TempDir static Path dataDir;
  static RunCommand.Running running;
  static JsonObject config;
  static Vertx vertx;

  @BeforeAll
  static void start() throws Exception {
    SelfSignedCertificate cert = SelfSignedCertificate.create("localhost");
    config =
        ConfigLoader.load(
            null,
            Map.of(
                "TRAINWATCH_DATA_DIR", dataDir.toString(),
                "TRAINWATCH_HTTP_PORT", "0",
                "TRAINWATCH_HTTP_TLS_CERT", cert.certificatePath(),
                "TRAINWATCH_HTTP_TLS_KEY", cert.privateKeyPath(),
                "TRAINWATCH_INGEST_HOST", "127.0.0.1",
                "TRAINWATCH_INGEST_PORT", "0",
                "TRAINWATCH_COLLECTOR_ENABLED_SOURCES_GPUS", "false"));
    running = RunCommand.Running.start(config, Role.expand(EnumSet.of(Role.ALL)), false);
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
    running.close();
  }

  static WebClient client(String... protocols) {
    WebClientOptions o =
        new WebClientOptions()
            .setSsl(true)
            .setTrustAll(true)
            .setVerifyHost(false)
            .setFollowRedirects(false);
    if (protocols.length > 0) {
      o.setEnabledSecureTransportProtocols(Set.of(protocols));
    }
    return WebClient.create(vertx, o);
  }

  @Test
  void theDashboardSpeaksTls12And13WithHstsAndAHostCookie() throws Exception {
    assertThat(Tls.PROTOCOLS).containsExactlyInAnyOrder("TLSv1.2", "TLSv1.3");
    int port = running.httpPort();
    for (String p : new String[] {"TLSv1.2", "TLSv1.3"}) {
      var r = client(p).get(port, "127.0.0.1", "/api/health").send().await(10, TimeUnit.SECONDS);
      assertThat(r.statusCode()).as(p).isEqualTo(200);
      assertThat(r.getHeader("strict-transport-security"))
          .isEqualTo("max-age=63072000; includeSubDomains");
    }
    String base = LoginUrl.base(config, port);
    assertThat(base).isEqualTo("https://127.0.0.1:" + port);
    String url = LoginUrl.mint(running.vertx(), config, base).await(10, TimeUnit.SECONDS);
    var signIn = client().getAbs(url).send().await(10, TimeUnit.SECONDS);
    assertThat(signIn.statusCode()).isEqualTo(303);
    String set =
        signIn.cookies().stream()
            .filter(c -> c.startsWith("__Host-tw_session="))
            .findFirst()
            .orElseThrow();
    assertThat(set)
        .containsIgnoringCase("Secure")
        .containsIgnoringCase("HttpOnly")
        .contains("Path=/")
        .doesNotContainIgnoringCase("domain=");
    String cookie = set.split(";")[0];
    assertThat(
            client()
                .get(port, "127.0.0.1", "/api/me")
                .putHeader("cookie", cookie)
                .send()
                .await(10, TimeUnit.SECONDS)
                .statusCode())
        .isEqualTo(200);
    assertThat(
            client()
                .get(port, "127.0.0.1", "/api/me")
                .putHeader("cookie", cookie.replace("__Host-", ""))
                .send()
                .await(10, TimeUnit.SECONDS)
                .statusCode())
        .as("the plain name means nothing under TLS")
        .isEqualTo(401);
  }

  @Test
  void ingestHasItsOwnListenerAndTheDashboardPortDoesNotServeIt() throws Exception {
    int ingest = running.ingestPort();
    assertThat(ingest).isPositive().isNotEqualTo(running.httpPort());
    String token = register();
    JsonObject snap =
        new JsonObject()
            .put("schema", 1)
            .put("ts", Instant.now().toString())
            .put(
                "agent",
                new JsonObject()
                    .put("hostname", "edge-1")
                    .put("boot_id", "b")
                    .put("seq", 1)
                    .put("uptime_ms", 5));
    var sent =
        client()
            .post(ingest, "127.0.0.1", "/api/ingest/servers/edge-1/metrics/")
            .putHeader("content-type", "application/json")
            .putHeader("x-monitoring-token", token)
            .sendBuffer(snap.toBuffer())
            .await(10, TimeUnit.SECONDS);
    assertThat(sent.statusCode()).isEqualTo(202);
    var elsewhere =
        client()
            .post(running.httpPort(), "127.0.0.1", "/api/ingest/servers/edge-1/metrics/")
            .putHeader("content-type", "application/json")
            .putHeader("x-monitoring-token", token)
            .sendBuffer(snap.toBuffer())
            .await(10, TimeUnit.SECONDS);
    assertThat(elsewhere.statusCode()).isEqualTo(404);
  }

  private static String register() throws Exception {
    String token = Tokens.generate();
    try (AdminDb db = AdminDb.open(config)) {
      AdminDb.await(
          db.registry()
              .apply(
                  new RegistryChange(
                      RegistryChange.Mode.CREATE,
                      "edge-1",
                      null,
                      Tokens.sha256(token),
                      Tokens.prefix(token),
                      false,
                      null)));
    }
    return token;
  }
}
