package dev.trainwatch.launcher;

import io.vertx.core.json.JsonObject;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * Start-up refusals that need more than one setting (ConfigRules checks each key alone). The
 * exposure rule is the one that matters: a dashboard reachable beyond this machine must have TLS
 * and OIDC sign-in, or the operator must say, by name, that they accept the risk (docs/security.md,
 * "Exposure").
 */
final class AccessChecks {
  private AccessChecks() {}

  static void consistent(JsonObject config) {
    JsonObject http = config.getJsonObject("http");
    if ((http.getString("tls_cert") == null) != (http.getString("tls_key") == null)) {
      throw new ConfigException(
          "http.tls_cert", "and http.tls_key go together: set both or neither");
    }
    JsonObject ingest = config.getJsonObject("ingest");
    if (ingest.getString("host") != null && ingest.getValue("port") == null) {
      throw new ConfigException(
          "ingest.host", "needs ingest.port (ingest gets a listener of its own only with both)");
    }
    JsonObject auth = config.getJsonObject("auth");
    if ("oidc".equals(auth.getString("mode"))) {
      JsonObject oidc = auth.getJsonObject("oidc");
      if (oidc.getString("client_id") == null || oidc.getString("client_secret") == null) {
        throw new ConfigException(
            "auth.oidc.client_id", "and auth.oidc.client_secret are required with auth.mode=oidc");
      }
      if (oidc.getString("redirect_url") == null && http.getString("public_url") == null) {
        throw new ConfigException(
            "http.public_url",
            "(or auth.oidc.redirect_url) is required with auth.mode=oidc: "
                + "the provider sends browsers back to exactly the URL registered with it, so it cannot be guessed");
      }
      if (oidc.getJsonArray("allowed_emails").isEmpty()
          && oidc.getJsonArray("allowed_domains").isEmpty()) {
        throw new ConfigException(
            "auth.oidc.allowed_emails",
            "or auth.oidc.allowed_domains must name someone: "
                + "with both empty nobody could sign in");
      }
    }
  }

  /** Only for a process that serves the dashboard. */
  static void exposure(JsonObject config) {
    JsonObject http = config.getJsonObject("http");
    String host = http.getString("host");
    if (isLoopback(host) || http.getBoolean("allow_insecure_exposure", false)) {
      return;
    }
    boolean tls = http.getString("tls_cert") != null;
    boolean oidc = "oidc".equals(config.getJsonObject("auth").getString("mode"));
    if (!tls || !oidc) {
      throw new ConfigException(
          "http.host",
          "'"
              + host
              + "' serves the dashboard beyond this machine, which needs "
              + (tls ? "" : "TLS (http.tls_cert, http.tls_key)")
              + (!tls && !oidc ? " and " : "")
              + (oidc ? "" : "auth.mode=oidc")
              + ". To let remote agents in while the dashboard stays local, set "
              + "ingest.host and ingest.port instead; to accept the risk anyway, set http.allow_insecure_exposure=true");
    }
  }

  /**
   * Only {@code localhost} and literal loopback addresses: a name is not resolved here (it could
   * resolve anywhere, and {@code 127.corp.example} is not an address).
   */
  static boolean isLoopback(String host) {
    String h = host.toLowerCase(Locale.ROOT);
    if (h.startsWith("[") && h.endsWith("]")) {
      h = h.substring(1, h.length() - 1);
    }
    if (h.equals("localhost")) {
      return true;
    }
    boolean literal =
        h.matches("\\d{1,3}(\\.\\d{1,3}){3}") || (h.contains(":") && h.matches("[0-9a-f:.]+"));
    try {
      return literal && InetAddress.getByName(h).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
