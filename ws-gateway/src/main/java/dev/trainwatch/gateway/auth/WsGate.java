package dev.trainwatch.gateway.auth;

import io.vertx.core.Future;
import io.vertx.core.http.ServerWebSocketHandshake;

/**
 * The WebSocket handshake's checks, before any {@code 101}: the Host (DNS rebinding), the Origin
 * (cross-site WebSocket hijacking: a page elsewhere must not ride the user's cookie; RFC 6455
 * section 10.2 says 403), then a session or API token. A handshake without Origin is not from a
 * browser and needs a bearer token, like any script.
 */
public final class WsGate {
  /** 101 with the principal, or the status to reject with. */
  public record Verdict(int status, Principal principal) {}

  private final AccessSettings settings;
  private final Authenticator authenticator;

  public WsGate(AccessSettings settings, Authenticator authenticator) {
    this.settings = settings;
    this.authenticator = authenticator;
  }

  public Future<Verdict> check(ServerWebSocketHandshake hs) {
    String host = hs.headers().get("host");
    if (!RequestChecks.hostAllowed(host, settings.allowedHosts())) {
      return Future.succeededFuture(new Verdict(403, null));
    }
    String origin = hs.headers().get("origin");
    if (origin == null && !Authenticator.usesBearer(hs.headers())) {
      // Not a browser (browsers always send Origin on a WebSocket), so not one riding a cookie
      // either.
      return Future.succeededFuture(new Verdict(403, null));
    }
    if (origin != null
        && !RequestChecks.originAllowed(
            origin,
            RequestChecks.ownOrigin(settings.tls() ? "https" : "http", host),
            settings.allowedOrigins())) {
      return Future.succeededFuture(new Verdict(403, null));
    }
    return authenticator
        .authenticate(hs.headers())
        .map(p -> p == null ? new Verdict(401, null) : new Verdict(101, p))
        .recover(e -> Future.succeededFuture(new Verdict(503, null)));
  }
}
