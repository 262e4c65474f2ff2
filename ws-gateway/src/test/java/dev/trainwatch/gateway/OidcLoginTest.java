package dev.trainwatch.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainwatch.bus.Addresses;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.junit5.VertxExtension;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * OIDC sign-in against a real OIDC provider (mock-oauth2-server on loopback): discovery, JWKS, the
 * authorization code flow with PKCE, state and nonce, over HTTP exactly as a browser would walk it
 * (no redirects followed, cookies carried by hand). Then every way it must refuse.
 */
@ExtendWith(VertxExtension.class)
class OidcLoginTest {
  static final String CLIENT = "trainwatch";
  static MockOAuth2Server idp;
  static String issuer;
  static int port;
  static Vertx vertx;
  static WebClient http;

  @BeforeAll
  static void start() throws Exception {
    idp = new MockOAuth2Server(new ForgedTokenRoute());
    idp.start(InetAddress.getByName("127.0.0.1"), 0);
    issuer = idp.issuerUrl("default").toString().replaceAll("/$", "");
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      port = s.getLocalPort();
    }
    vertx = Vertx.vertx();
    vertx
        .eventBus()
        .consumer(
            Addresses.SERVERS_LIST, m -> m.reply(new JsonObject().put("servers", new JsonArray())));
    StubAccess.sessionKey(vertx);
    JsonObject config =
        new JsonObject()
            .put("http", new JsonObject().put("port", port))
            .put(
                "auth",
                new JsonObject()
                    .put("mode", "oidc")
                    .put(
                        "oidc",
                        new JsonObject()
                            .put("issuer", issuer)
                            .put("client_id", CLIENT)
                            .put("client_secret", "s3cret")
                            .put("redirect_url", "http://127.0.0.1:" + port + "/login/callback")
                            .put(
                                "allowed_emails",
                                new JsonArray().add("alice@example.com").add("bob@example.com"))
                            .put("allowed_domains", new JsonArray().add("corp.example")))
                    .put(
                        "roles",
                        new JsonObject()
                            .put("admin", new JsonArray().add("alice@example.com"))
                            .put("user", new JsonArray().add("@corp.example"))
                            .put("default", "reader")));
    vertx
        .deployVerticle(new GatewayVerticle(), new DeploymentOptions().setConfig(config))
        .await(20, TimeUnit.SECONDS);
    http = WebClient.create(vertx, new WebClientOptions().setFollowRedirects(false));
  }

  @AfterAll
  static void stop() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
    idp.shutdown();
  }

  /** What one walk through the flow produced. */
  record Walk(
      String authorizeUrl, HttpResponse<Buffer> callback, String callbackUrl, String flowCookie) {
    String sessionCookie() {
      return cookie(callback, "tw_session");
    }
  }

  static Map<String, Object> person(String email, boolean verified) {
    return Map.of(
        "email", email, "email_verified", verified, "name", email.substring(0, email.indexOf('@')));
  }

  /**
   * Start at /login/oidc, let the provider answer (its token shaped by {@code callback}), come
   * back.
   */
  static Walk walk(
      DefaultOAuth2TokenCallback callback,
      UnaryOperator<String> editAuthorize,
      UnaryOperator<String> editCallback,
      String extraCookie)
      throws Exception {
    var start = get("/login/oidc", null);
    assertThat(start.statusCode()).isEqualTo(302);
    String flow = cookie(start, "tw_login");
    String authorize = start.getHeader("location");
    var idpAnswer = http.getAbs(editAuthorize.apply(authorize)).send().await(10, TimeUnit.SECONDS);
    assertThat(idpAnswer.statusCode()).as("the provider redirects back").isEqualTo(302);
    URI back = URI.create(editCallback.apply(idpAnswer.getHeader("location")));
    if (callback != null) {
      idp.enqueueCallback(callback);
    }
    String cookies = "tw_login=" + flow + (extraCookie == null ? "" : "; " + extraCookie);
    var cb = get(back.getRawPath() + "?" + back.getRawQuery(), cookies);
    return new Walk(authorize, cb, back.getRawPath() + "?" + back.getRawQuery(), flow);
  }

  static Walk walk(DefaultOAuth2TokenCallback callback) throws Exception {
    return walk(callback, UnaryOperator.identity(), UnaryOperator.identity(), null);
  }

  static DefaultOAuth2TokenCallback as(String email, boolean verified) {
    return new DefaultOAuth2TokenCallback(
        "default", "sub-" + email, "JWT", List.of(CLIENT), person(email, verified), 3600);
  }

  static HttpResponse<Buffer> get(String path, String cookie) throws Exception {
    var req = http.get(port, "127.0.0.1", path);
    if (cookie != null) {
      req.putHeader("cookie", cookie);
    }
    return req.send().await(10, TimeUnit.SECONDS);
  }

  static String cookie(HttpResponse<Buffer> r, String name) {
    return r.cookies().stream()
        .filter(c -> c.startsWith(name + "="))
        .map(c -> c.substring(name.length() + 1).split(";")[0])
        .findFirst()
        .orElse(null);
  }

  static String setCookie(HttpResponse<Buffer> r, String name) {
    return r.cookies().stream().filter(c -> c.startsWith(name + "=")).findFirst().orElse("");
  }

  static String param(String url, String name) {
    List<String> v = new QueryStringDecoder(url).parameters().get(name);
    return v == null ? null : v.get(0);
  }

  @Test
  void anAllowlistedAdminSignsInWithPkceStateAndNonce() throws Exception {
    Walk w = walk(as("alice@example.com", true));
    assertThat(param(w.authorizeUrl(), "code_challenge_method")).isEqualTo("S256");
    assertThat(param(w.authorizeUrl(), "code_challenge")).matches("[A-Za-z0-9_-]{43}");
    assertThat(param(w.authorizeUrl(), "state")).matches("[A-Za-z0-9_-]{43}");
    assertThat(param(w.authorizeUrl(), "nonce")).matches("[A-Za-z0-9_-]{43}");
    assertThat(param(w.authorizeUrl(), "redirect_uri"))
        .isEqualTo("http://127.0.0.1:" + port + "/login/callback");
    assertThat(w.callback().statusCode()).isEqualTo(303);
    assertThat(w.callback().getHeader("location")).isEqualTo("/");
    String set = setCookie(w.callback(), "tw_session");
    assertThat(set)
        .containsIgnoringCase("HttpOnly")
        .contains("SameSite=Strict")
        .contains("Path=/")
        .doesNotContainIgnoringCase("domain=");
    var me = get("/api/me", "tw_session=" + w.sessionCookie());
    assertThat(me.statusCode()).isEqualTo(200);
    assertThat(me.bodyAsJsonObject().getString("email")).isEqualTo("alice@example.com");
    assertThat(me.bodyAsJsonObject().getString("role")).isEqualTo("admin");
    assertThat(me.bodyAsJsonObject().getString("kind")).isEqualTo("oidc");
  }

  @Test
  void theFlowCookieIsLaxAndShortLived() throws Exception {
    var start = get("/login/oidc", null);
    assertThat(setCookie(start, "tw_login"))
        .containsIgnoringCase("HttpOnly")
        .contains("SameSite=Lax")
        .contains("Path=/login")
        .contains("Max-Age=600");
  }

  @Test
  void rolesComeFromConfigByEmailOrDomain() throws Exception {
    Walk carol = walk(as("carol@corp.example", true));
    assertThat(carol.callback().statusCode()).isEqualTo(303);
    assertThat(
            get("/api/me", "tw_session=" + carol.sessionCookie())
                .bodyAsJsonObject()
                .getString("role"))
        .isEqualTo("user");
    Walk bob = walk(as("bob@example.com", true));
    assertThat(
            get("/api/me", "tw_session=" + bob.sessionCookie())
                .bodyAsJsonObject()
                .getString("role"))
        .isEqualTo("reader");
  }

  @Test
  void signingInNeverAdoptsASessionIdItWasHanded() throws Exception {
    Walk first = walk(as("alice@example.com", true));
    String planted = first.sessionCookie();
    Walk again =
        walk(
            as("alice@example.com", true),
            UnaryOperator.identity(),
            UnaryOperator.identity(),
            "tw_session=" + planted);
    assertThat(again.sessionCookie()).isNotNull().isNotEqualTo(planted);
    assertThat(get("/api/me", "tw_session=" + planted).statusCode())
        .as("the old session ended")
        .isEqualTo(401);
  }

  @Test
  void aReplayedCallbackFindsNothing() throws Exception {
    Walk w = walk(as("alice@example.com", true));
    assertThat(w.callback().statusCode()).isEqualTo(303);
    var replay = get(w.callbackUrl(), "tw_login=" + w.flowCookie());
    assertThat(replay.statusCode()).isEqualTo(400);
    assertThat(cookie(replay, "tw_session")).isNull();
  }

  @Test
  void missingOrForeignStateIsRefused() throws Exception {
    Walk missing =
        walk(
            as("alice@example.com", true),
            UnaryOperator.identity(),
            u -> u.replaceAll("([?&])state=[^&]*&?", "$1"),
            null);
    assertThat(missing.callback().statusCode()).isEqualTo(400);
    Walk wrong =
        walk(
            as("alice@example.com", true),
            UnaryOperator.identity(),
            u -> u.replaceAll("state=[^&]*", "state=forged"),
            null);
    assertThat(wrong.callback().statusCode()).isEqualTo(401);
    assertThat(wrong.callback().bodyAsString()).contains("state");
    assertThat(cookie(wrong.callback(), "tw_session")).isNull();
  }

  @Test
  void aTokenForAnotherSignInIsRefused() throws Exception {
    // The provider binds the nonce it was given; change it on the way and the token no longer
    // matches our sign-in.
    Walk w =
        walk(
            as("alice@example.com", true),
            u -> u.replaceAll("nonce=[^&]*", "nonce=somebody-elses"),
            UnaryOperator.identity(),
            null);
    assertThat(w.callback().statusCode()).isEqualTo(401);
    assertThat(w.callback().bodyAsString()).contains("nonce");
  }

  @Test
  void wrongAudienceForeignIssuerExpiryAndBadSignatureAreRefused() throws Exception {
    assertThat(forged("default", List.of("other-client"), 3600, false, null).statusCode())
        .as("audience")
        .isEqualTo(401);
    assertThat(
            forged("default", List.of(CLIENT, "other-client"), 3600, false, "other-client")
                .statusCode())
        .as("several audiences, azp not us")
        .isEqualTo(401);
    assertThat(forged("other", List.of(CLIENT), 3600, false, null).statusCode())
        .as("issuer")
        .isEqualTo(401);
    assertThat(forged("default", List.of(CLIENT), -600, false, null).statusCode())
        .as("expired")
        .isEqualTo(401);
    assertThat(forged("default", List.of(CLIENT), 3600, true, null).statusCode())
        .as("signature")
        .isEqualTo(401);
    // The control: the same route with a sound token signs in, so the refusals above are about the
    // token.
    assertThat(forged("default", List.of(CLIENT, "other-client"), 3600, false, CLIENT).statusCode())
        .isEqualTo(303);
  }

  /**
   * Walks the flow, but the provider's token endpoint answers with an ID token made here: signed by
   * the provider's key for {@code issuerId}, for audience {@code aud}, carrying the right nonce,
   * optionally with a broken signature.
   */
  private static HttpResponse<Buffer> forged(
      String issuerId, List<String> aud, long expiry, boolean badSignature, String azp)
      throws Exception {
    var start = get("/login/oidc", null);
    String flow = cookie(start, "tw_login");
    String authorize = start.getHeader("location");
    URI back =
        URI.create(http.getAbs(authorize).send().await(10, TimeUnit.SECONDS).getHeader("location"));
    var claims = new HashMap<String, Object>(person("alice@example.com", true));
    claims.put("nonce", param(authorize, "nonce"));
    // The provider names the requesting client as azp.
    String jwt =
        idp.issueToken(
                issuerId,
                azp == null ? CLIENT : azp,
                new DefaultOAuth2TokenCallback(issuerId, "sub-a", "JWT", aud, claims, expiry))
            .serialize();
    if (badSignature) {
      String[] parts = jwt.split("\\.");
      char[] sig = parts[2].toCharArray();
      sig[10] = sig[10] == 'A' ? 'B' : 'A';
      jwt = parts[0] + "." + parts[1] + "." + new String(sig);
    }
    ForgedTokenRoute.NEXT.set(
        new JsonObject()
            .put("access_token", "opaque")
            .put("token_type", "Bearer")
            .put("expires_in", 3600)
            .put("id_token", jwt)
            .encode());
    var cb = get(back.getRawPath() + "?" + back.getRawQuery(), "tw_login=" + flow);
    assertThat(ForgedTokenRoute.NEXT.get()).as("the forged answer was used").isNull();
    if (cb.statusCode() != 303) {
      assertThat(cookie(cb, "tw_session")).isNull();
    }
    return cb;
  }

  @Test
  void unverifiedOrUnlistedPeopleSeeWhy() throws Exception {
    Walk unverified = walk(as("alice@example.com", false));
    assertThat(unverified.callback().statusCode()).isEqualTo(403);
    assertThat(unverified.callback().bodyAsString()).contains("not verified");
    Walk stranger = walk(as("mallory@elsewhere.test", true));
    assertThat(stranger.callback().statusCode()).isEqualTo(403);
    assertThat(stranger.callback().getHeader("content-type")).startsWith("text/html");
    assertThat(stranger.callback().bodyAsString())
        .contains("mallory@elsewhere.test is not on this server")
        .contains("allowlist");
    assertThat(cookie(stranger.callback(), "tw_session")).isNull();
  }

  @Test
  void aProviderErrorIsShownNotFollowed() throws Exception {
    var r = get("/login/callback?error=access_denied&state=x", "tw_login=nothing");
    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(r.bodyAsString()).contains("access_denied");
  }
}
