package dev.trainwatch.gateway.auth;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Locale;
import java.util.Set;

/**
 * What an ID token must say before its holder gets a session, as a pure function
 * (IdTokenRulesTest). The signature, audience and expiry are checked by vertx-auth-oauth2 first;
 * they are checked again here so the rules read in one place and a library change cannot loosen
 * them. Identity is {@code iss} + {@code sub}; the e-mail only decides whether and with which role,
 * and only when the provider says it is verified.
 */
public final class IdTokenRules {
  private IdTokenRules() {}

  static final long LEEWAY_S = 60;

  /**
   * The outcome: {@code status} 200 with a principal, else 401 (a bad token) or 403 (a person not
   * let in).
   */
  public record Verdict(int status, String reason, Principal principal) {
    static Verdict refuse(int status, String reason) {
      return new Verdict(status, reason, null);
    }
  }

  public static Verdict check(
      JsonObject c, AccessSettings.Oidc cfg, String expectedNonce, long nowMs) {
    String iss = c.getString("iss");
    boolean issOk = cfg.issuer().equals(iss) || (cfg.google() && "accounts.google.com".equals(iss));
    if (!issOk) {
      return Verdict.refuse(401, "the token comes from another issuer");
    }
    if (!audienceOk(c, cfg.clientId())) {
      return Verdict.refuse(401, "the token was issued to another application");
    }
    Long exp = number(c, "exp");
    if (exp == null || exp + LEEWAY_S < nowMs / 1000) {
      return Verdict.refuse(401, "the token has expired");
    }
    String nonce = c.getString("nonce");
    if (nonce == null
        || expectedNonce == null
        || !MessageDigest.isEqual(
            nonce.getBytes(StandardCharsets.UTF_8),
            expectedNonce.getBytes(StandardCharsets.UTF_8))) {
      return Verdict.refuse(401, "the token does not belong to this sign-in (nonce)");
    }
    String sub = c.getString("sub");
    if (sub == null || sub.isEmpty()) {
      return Verdict.refuse(401, "the token names no subject");
    }
    String email =
        c.getString("email") == null ? null : c.getString("email").trim().toLowerCase(Locale.ROOT);
    Object verified = c.getValue("email_verified");
    if (email == null || !(Boolean.TRUE.equals(verified) || "true".equals(verified))) {
      return Verdict.refuse(403, "your identity provider has not verified your e-mail address");
    }
    String domain = domainOf(c, cfg, email);
    if (!cfg.allowedEmails().contains(email)
        && (domain == null || !cfg.allowedDomains().contains(domain))) {
      return Verdict.refuse(
          403, email + " is not on this server's allowlist; ask its administrator to add you");
    }
    Role role =
        listed(cfg.admins(), email, domain)
            ? Role.ADMIN
            : listed(cfg.users(), email, domain) ? Role.USER : cfg.defaultRole();
    String name = c.getString("name") != null ? c.getString("name") : email;
    return new Verdict(
        200,
        null,
        new Principal(Principal.Kind.OIDC, iss + "|" + sub, name, email, role, nowMs, null, null));
  }

  /**
   * The organisation the account belongs to. Google: only the signed {@code hd} claim
   * (an @example.com address can be a personal Google account; {@code hd} says the domain's admin
   * manages it). Other issuers: the verified address's domain.
   */
  static String domainOf(JsonObject c, AccessSettings.Oidc cfg, String email) {
    if (cfg.google()) {
      String hd = c.getString("hd");
      return hd == null ? null : hd.toLowerCase(Locale.ROOT);
    }
    int at = email.lastIndexOf('@');
    return at < 0 ? null : email.substring(at + 1);
  }

  private static boolean listed(Set<String> entries, String email, String domain) {
    return entries.contains(email) || (domain != null && entries.contains("@" + domain));
  }

  private static boolean audienceOk(JsonObject c, String clientId) {
    Object aud = c.getValue("aud");
    if (aud instanceof String s) {
      return s.equals(clientId);
    }
    if (aud instanceof JsonArray a && a.contains(clientId)) {
      // Several audiences: the authorized party must be us (OIDC Core 3.1.3.7).
      return a.size() == 1 || clientId.equals(c.getString("azp"));
    }
    return false;
  }

  private static Long number(JsonObject c, String key) {
    return c.getValue(key) instanceof Number n ? n.longValue() : null;
  }
}
