package dev.trainwatch.gateway.auth;

import dev.trainwatch.bus.Tokens;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.User;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.oauth2.OAuth2Auth;
import io.vertx.ext.auth.oauth2.OAuth2AuthorizationURL;
import io.vertx.ext.auth.oauth2.OAuth2FlowType;
import io.vertx.ext.auth.oauth2.OAuth2Options;
import io.vertx.ext.auth.oauth2.Oauth2Credentials;
import io.vertx.ext.auth.oauth2.providers.OpenIDConnectAuth;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * OIDC authorization code flow with PKCE (S256), {@code state} and {@code nonce}, through
 * vertx-auth-oauth2.
 *
 * <p>The provider is discovered on first use (and again after a failure, so a server that started
 * while the issuer was unreachable recovers). After discovery the introspection and userinfo
 * endpoints are removed: in 5.0.10 a token that fails local validation is otherwise sent to them,
 * and that path accepts tokens of other audiences (research/vertx_feasibility.md section 3). What
 * is left is local validation of the ID token's signature against the issuer's JWKS, then {@link
 * IdTokenRules}.
 */
final class OidcLogin {
  /** A sign-in's outcome: a principal, or the status and sentence to show. */
  record Outcome(int status, String reason, Principal principal) {}

  /** Where the browser goes next, and the pending-flow record to keep until it comes back. */
  record Start(String authorizeUrl, JsonObject flow) {}

  private final Vertx vertx;
  private final AccessSettings.Oidc cfg;
  private Future<OAuth2Auth> provider;

  OidcLogin(Vertx vertx, AccessSettings.Oidc cfg) {
    this.vertx = vertx;
    this.cfg = cfg;
  }

  private Future<OAuth2Auth> provider() {
    if (provider == null || provider.failed()) {
      OAuth2Options o =
          new OAuth2Options()
              .setSite(cfg.issuer())
              .setClientId(cfg.clientId())
              .setClientSecret(cfg.clientSecret())
              .setJWTOptions(new JWTOptions().addAudience(cfg.clientId()));
      provider =
          OpenIDConnectAuth.discover(vertx, o)
              .compose(
                  discovered -> {
                    discovered.close();
                    o.setIntrospectionPath(null).setUserInfoPath(null);
                    OAuth2Auth strict = OAuth2Auth.create(vertx, o);
                    // Providers rotate signing keys: an unknown kid reloads the set (the token in
                    // hand still fails, the next works).
                    strict.missingKeyHandler(kid -> strict.jWKSet());
                    return strict.jWKSet().map(v -> strict);
                  });
    }
    return provider;
  }

  Future<Start> start() {
    String state = Tokens.secret(32);
    String nonce = Tokens.secret(32);
    String verifier = Tokens.secret(48);
    return provider()
        .map(
            p ->
                new Start(
                    p.authorizeURL(
                        new OAuth2AuthorizationURL()
                            .setRedirectUri(cfg.redirectUrl())
                            .setScopes(cfg.scopes())
                            .setState(state)
                            .setCodeChallenge(challenge(verifier))
                            .setCodeChallengeMethod("S256")
                            .putAdditionalParameter("nonce", nonce)),
                    new JsonObject()
                        .put("state", state)
                        .put("nonce", nonce)
                        .put("verifier", verifier)));
  }

  /**
   * Exchanges the code (with the PKCE verifier) and judges the ID token. {@code flow}: what {@link
   * #start} kept.
   */
  Future<Outcome> finish(JsonObject flow, String code) {
    return provider()
        .compose(
            p ->
                p.authenticate(
                        new Oauth2Credentials()
                            .setFlow(OAuth2FlowType.AUTH_CODE)
                            .setCode(code)
                            .setRedirectUri(cfg.redirectUrl())
                            .setCodeVerifier(flow.getString("verifier")))
                    .compose(
                        tokens -> {
                          String idToken = tokens.principal().getString("id_token");
                          if (idToken == null) {
                            return Future.succeededFuture(
                                new Outcome(401, "the provider sent no ID token", null));
                          }
                          return p.authenticate(new TokenCredentials(idToken))
                              .map(user -> judge(user, flow));
                        }))
        .recover(
            e ->
                Future.succeededFuture(
                    new Outcome(401, "the provider's answer did not validate", null)));
  }

  private Outcome judge(User user, JsonObject flow) {
    JsonObject claims = user.attributes().getJsonObject("accessToken");
    if (claims == null) {
      // Not validated locally (no JWT): never accept.
      return new Outcome(401, "the ID token could not be validated", null);
    }
    IdTokenRules.Verdict v =
        IdTokenRules.check(claims, cfg, flow.getString("nonce"), System.currentTimeMillis());
    return new Outcome(v.status(), v.reason(), v.principal());
  }

  static String challenge(String verifier) {
    try {
      byte[] d =
          MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(d);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  void close() {
    if (provider != null && provider.succeeded()) {
      provider.result().close();
    }
  }
}
