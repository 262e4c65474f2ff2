package dev.trainwatch.gateway.auth;

import dev.trainwatch.bus.Addresses;
import dev.trainwatch.bus.Tokens;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;

/**
 * Who is calling, from the request headers alone (so HTTP requests and WebSocket handshakes share
 * it): an API token in {@code Authorization: Bearer}, else the session cookie. A bearer header that
 * is present but wrong is a failed authentication, never a fall-through to the cookie. API tokens
 * are looked up on every request, uncached, so a revoked token fails on its next use on every node.
 */
public final class Authenticator {
  private static final DeliveryOptions ASK = new DeliveryOptions().setSendTimeout(5_000);

  private final Vertx vertx;
  private final Sessions sessions;
  private final AccessSettings settings;

  public Authenticator(Vertx vertx, Sessions sessions, AccessSettings settings) {
    this.vertx = vertx;
    this.sessions = sessions;
    this.settings = settings;
  }

  /**
   * The principal, or null when the request carries no valid credential. Fails only when storage is
   * unreachable.
   */
  public Future<Principal> authenticate(MultiMap headers) {
    String authz = headers.get("authorization");
    if (authz != null) {
      return bearer(authz);
    }
    return sessions.find(Sessions.cookieValue(headers.get("cookie"), settings.sessionCookie()));
  }

  /**
   * True when the request authenticates with a bearer token (no ambient credential: CSRF does not
   * apply).
   */
  static boolean usesBearer(MultiMap headers) {
    return headers.get("authorization") != null;
  }

  private Future<Principal> bearer(String header) {
    if (header.length() < 8 || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return Future.succeededFuture(null);
    }
    String token = header.substring(7).trim();
    if (token.isEmpty()
        || token.length() > Tokens.MAX_LENGTH
        || !token.startsWith(Tokens.API + "_")) {
      // Agent tokens (tw_) open ingest only; they are not even looked up here.
      return Future.succeededFuture(null);
    }
    return vertx
        .eventBus()
        .<JsonObject>request(
            Addresses.ACCESS_TOKEN_CHECK,
            new JsonObject().put("token_sha256", Tokens.sha256Hex(token)),
            ASK)
        .map(
            m -> {
              JsonObject b = m.body();
              Role role = Role.parse(b.getString("role"));
              if (!"ok".equals(b.getString("outcome")) || role == null) {
                return null;
              }
              return new Principal(
                  Principal.Kind.API_TOKEN,
                  b.getString("id"),
                  b.getString("name"),
                  null,
                  role,
                  System.currentTimeMillis(),
                  null,
                  b.getString("id"));
            });
  }
}
