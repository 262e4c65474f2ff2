package dev.trainwatch.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The ID-token rules as a pure function: what lets a person in, with which role, and every way to
 * be refused.
 */
class IdTokenRulesTest {
  static final long NOW = 1_800_000_000_000L;
  static final AccessSettings.Oidc GOOGLE =
      new AccessSettings.Oidc(
          "https://accounts.google.com",
          "cid",
          "s",
          "https://m.example/login/callback",
          List.of("openid"),
          Set.of("ann@gmail.com"),
          Set.of("corp.example"),
          Set.of("ann@gmail.com"),
          Set.of("@corp.example"),
          Role.READER);
  static final AccessSettings.Oidc OTHER =
      new AccessSettings.Oidc(
          "https://idp.example",
          "cid",
          "s",
          "https://m.example/login/callback",
          List.of("openid"),
          Set.of(),
          Set.of("corp.example"),
          Set.of(),
          Set.of(),
          Role.USER);

  static JsonObject claims(String iss, String email) {
    return new JsonObject()
        .put("iss", iss)
        .put("aud", "cid")
        .put("exp", NOW / 1000 + 600)
        .put("nonce", "n")
        .put("sub", "123")
        .put("email", email)
        .put("email_verified", true)
        .put("name", "Ann");
  }

  @Test
  void anAllowedPersonGetsTheirRoleKeyedBySubject() {
    var v =
        IdTokenRules.check(
            claims("https://accounts.google.com", "Ann@Gmail.com"), GOOGLE, "n", NOW);
    assertThat(v.status()).isEqualTo(200);
    assertThat(v.principal().id()).isEqualTo("https://accounts.google.com|123");
    assertThat(v.principal().email()).isEqualTo("ann@gmail.com");
    assertThat(v.principal().role()).isEqualTo(Role.ADMIN);
    // Google also writes its issuer without the scheme.
    assertThat(
            IdTokenRules.check(claims("accounts.google.com", "ann@gmail.com"), GOOGLE, "n", NOW)
                .status())
        .isEqualTo(200);
  }

  @Test
  void googleDomainsCountOnlyThroughTheSignedHdClaim() {
    JsonObject personal = claims("https://accounts.google.com", "bob@corp.example");
    assertThat(IdTokenRules.check(personal, GOOGLE, "n", NOW).status())
        .as("a personal account with a corp address")
        .isEqualTo(403);
    var managed = IdTokenRules.check(personal.copy().put("hd", "corp.example"), GOOGLE, "n", NOW);
    assertThat(managed.status()).isEqualTo(200);
    assertThat(managed.principal().role()).isEqualTo(Role.USER);
    // Other issuers: the verified address's domain, and the configured default role.
    var other =
        IdTokenRules.check(claims("https://idp.example", "eve@corp.example"), OTHER, "n", NOW);
    assertThat(other.status()).isEqualTo(200);
    assertThat(other.principal().role()).isEqualTo(Role.USER);
  }

  @Test
  void everyBrokenClaimIsRefused() {
    String g = "https://accounts.google.com";
    assertThat(
            IdTokenRules.check(claims("https://evil.example", "ann@gmail.com"), GOOGLE, "n", NOW)
                .status())
        .isEqualTo(401);
    assertThat(
            IdTokenRules.check(claims(g, "ann@gmail.com").put("aud", "other"), GOOGLE, "n", NOW)
                .status())
        .isEqualTo(401);
    assertThat(
            IdTokenRules.check(
                    claims(g, "ann@gmail.com").put("aud", new JsonArray().add("cid").add("x")),
                    GOOGLE,
                    "n",
                    NOW)
                .status())
        .as("several audiences, no azp")
        .isEqualTo(401);
    assertThat(
            IdTokenRules.check(
                    claims(g, "ann@gmail.com")
                        .put("aud", new JsonArray().add("cid").add("x"))
                        .put("azp", "cid"),
                    GOOGLE,
                    "n",
                    NOW)
                .status())
        .isEqualTo(200);
    assertThat(
            IdTokenRules.check(
                    claims(g, "ann@gmail.com").put("exp", NOW / 1000 - 61), GOOGLE, "n", NOW)
                .status())
        .isEqualTo(401);
    assertThat(
            IdTokenRules.check(
                    claims(g, "ann@gmail.com").put("exp", NOW / 1000 - 59), GOOGLE, "n", NOW)
                .status())
        .as("within the leeway")
        .isEqualTo(200);
    assertThat(
            IdTokenRules.check(claims(g, "ann@gmail.com").put("nonce", "m"), GOOGLE, "n", NOW)
                .status())
        .isEqualTo(401);
    assertThat(
            IdTokenRules.check(claims(g, "ann@gmail.com").put("nonce", "n"), GOOGLE, null, NOW)
                .status())
        .isEqualTo(401);
    assertThat(
            IdTokenRules.check(claims(g, "ann@gmail.com").put("sub", ""), GOOGLE, "n", NOW)
                .status())
        .isEqualTo(401);
    assertThat(
            IdTokenRules.check(
                    claims(g, "ann@gmail.com").put("email_verified", false), GOOGLE, "n", NOW)
                .status())
        .isEqualTo(403);
    assertThat(
            IdTokenRules.check(
                    claims(g, "ann@gmail.com").put("email_verified", "false"), GOOGLE, "n", NOW)
                .status())
        .isEqualTo(403);
    var stranger = IdTokenRules.check(claims(g, "zed@gmail.com"), GOOGLE, "n", NOW);
    assertThat(stranger.status()).isEqualTo(403);
    assertThat(stranger.reason()).contains("zed@gmail.com").contains("allowlist");
  }
}
