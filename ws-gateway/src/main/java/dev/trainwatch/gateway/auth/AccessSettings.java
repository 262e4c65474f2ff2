package dev.trainwatch.gateway.auth;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * The gateway's access settings, read once from its config ({@code http} and {@code auth} sections,
 * validated by the launcher's ConfigRules; docs/configuration.md and docs/security.md explain
 * each).
 */
public record AccessSettings(
    Mode mode,
    boolean tls,
    String publicUrl,
    Set<String> allowedHosts,
    Set<String> allowedOrigins,
    Duration loginTokenTtl,
    Duration sessionIdle,
    Duration sessionMax,
    Oidc oidc) {

  public enum Mode {
    LOCAL,
    OIDC
  }

  /**
   * Names a browser may use for a loopback server; anything else in {@code Host} is refused (DNS
   * rebinding).
   */
  public static final Set<String> LOOPBACK_NAMES = Set.of("localhost", "127.0.0.1", "[::1]", "::1");

  /**
   * OIDC client settings. {@code allowedEmails} exact, lower-case; {@code allowedDomains}
   * lower-case, matched against Google's {@code hd} claim (or, for other issuers, the verified
   * e-mail's domain). {@code admins}/{@code users}: e-mails or {@code @domain} entries granted that
   * role; anyone else allowed gets {@code defaultRole}.
   */
  public record Oidc(
      String issuer,
      String clientId,
      String clientSecret,
      String redirectUrl,
      List<String> scopes,
      Set<String> allowedEmails,
      Set<String> allowedDomains,
      Set<String> admins,
      Set<String> users,
      Role defaultRole) {

    boolean google() {
      return issuer.equals("https://accounts.google.com");
    }
  }

  public static AccessSettings from(JsonObject config) {
    JsonObject http = config.getJsonObject("http", new JsonObject());
    JsonObject auth = config.getJsonObject("auth", new JsonObject());
    boolean tls = http.getString("tls_cert") != null;
    String publicUrl = trimSlash(http.getString("public_url"));
    Set<String> hosts = new LinkedHashSet<>(LOOPBACK_NAMES);
    String bind = http.getString("host", "127.0.0.1").toLowerCase(Locale.ROOT);
    if (!bind.equals("0.0.0.0") && !bind.equals("::") && !bind.equals("[::]")) {
      // As a Host header writes it: an IPv6 literal in brackets.
      hosts.add(bind.contains(":") && !bind.startsWith("[") ? "[" + bind + "]" : bind);
    }
    Set<String> origins = new LinkedHashSet<>(lower(auth.getJsonArray("allowed_origins")));
    if (publicUrl != null) {
      URI u = URI.create(publicUrl);
      hosts.add(u.getHost().toLowerCase(Locale.ROOT));
      origins.add(RequestChecks.origin(u.getScheme(), u.getHost(), u.getPort()));
    }
    hosts.addAll(lower(http.getJsonArray("allowed_hosts")));
    Mode mode = "oidc".equals(auth.getString("mode", "local")) ? Mode.OIDC : Mode.LOCAL;
    return new AccessSettings(
        mode,
        tls,
        publicUrl,
        Set.copyOf(hosts),
        Set.copyOf(origins),
        Duration.ofSeconds(auth.getLong("login_token_ttl_s", 900L)),
        Duration.ofSeconds(auth.getLong("session_idle_s", 1800L)),
        Duration.ofSeconds(auth.getLong("session_max_s", 43_200L)),
        mode == Mode.OIDC
            ? oidc(
                auth.getJsonObject("oidc", new JsonObject()),
                auth.getJsonObject("roles", new JsonObject()),
                publicUrl,
                http,
                tls)
            : null);
  }

  private static Oidc oidc(
      JsonObject o, JsonObject roles, String publicUrl, JsonObject http, boolean tls) {
    String redirect = o.getString("redirect_url");
    if (redirect == null) {
      String base =
          publicUrl != null
              ? publicUrl
              : (tls ? "https" : "http")
                  + "://"
                  + http.getString("host", "127.0.0.1")
                  + ":"
                  + http.getInteger("port", 8080);
      redirect = base + "/login/callback";
    }
    return new Oidc(
        trimSlash(o.getString("issuer", "https://accounts.google.com")),
        o.getString("client_id"),
        o.getString("client_secret"),
        redirect,
        List.of("openid", "email", "profile"),
        Set.copyOf(lower(o.getJsonArray("allowed_emails"))),
        Set.copyOf(lower(o.getJsonArray("allowed_domains"))),
        Set.copyOf(lower(roles.getJsonArray("admin"))),
        Set.copyOf(lower(roles.getJsonArray("user"))),
        Objects.requireNonNullElse(Role.parse(roles.getString("default", "reader")), Role.READER));
  }

  /**
   * The session cookie: {@code __Host-} under TLS (Secure, Path=/, no Domain: bound to this exact
   * origin).
   */
  public String sessionCookie() {
    return tls ? "__Host-tw_session" : "tw_session";
  }

  private static List<String> lower(JsonArray a) {
    return a == null
        ? List.of()
        : a.stream()
            .map(x -> String.valueOf(x).trim().toLowerCase(Locale.ROOT))
            .filter(s -> !s.isEmpty())
            .toList();
  }

  private static String trimSlash(String s) {
    return s == null ? null : s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
  }
}
