package dev.trainwatch.gateway.auth;

import dev.trainwatch.bus.Tokens;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.AsyncMap;
import io.vertx.ext.web.Session;
import io.vertx.ext.web.sstore.ClusteredSessionStore;
import io.vertx.ext.web.sstore.LocalSessionStore;
import io.vertx.ext.web.sstore.SessionStore;

/**
 * Browser sessions, kept server-side in a vertx-web {@link SessionStore} (local, or clustered so
 * any gateway node knows a session), and pending OIDC sign-ins, in a shared-data map. Only a
 * 256-bit random id travels, in a cookie we write ourselves: HttpOnly, SameSite=Strict, and {@code
 * __Host-} + Secure under TLS. The same lookup serves HTTP requests and WebSocket handshakes (which
 * never pass through the router).
 *
 * <p>Timeouts: idle ({@code auth.session_idle_s}, the store's own expiry, renewed at most every
 * {@link #TOUCH_EVERY_MS}, or a quarter of the idle timeout if that is shorter) and absolute
 * ({@code auth.session_max_s} after sign-in, checked here on every use).
 */
public final class Sessions {
  static final int ID_BYTES = 32;
  static final long TOUCH_EVERY_MS = 15_000;

  /**
   * The pending-sign-in cookie. Lax, unlike the session: the provider's redirect back is a
   * cross-site navigation.
   */
  static final String FLOW_COOKIE = "tw_login";

  static final long FLOW_TTL_MS = 600_000;

  private final SessionStore store;
  private final AccessSettings settings;
  private final Vertx vertx;

  public Sessions(Vertx vertx, AccessSettings settings) {
    this.vertx = vertx;
    this.store =
        vertx.isClustered()
            ? ClusteredSessionStore.create(vertx, "trainwatch.sessions")
            : LocalSessionStore.create(vertx, "trainwatch.sessions", 5_000);
    this.settings = settings;
  }

  /**
   * Starts a session for {@code who}; a fresh id every time, so a sign-in never adopts an id it was
   * handed.
   */
  Future<Cookie> create(Principal who) {
    Session s = store.createSession(settings.sessionIdle().toMillis(), ID_BYTES);
    s.put("principal", who.toSessionJson());
    return store
        .put(s)
        .map(v -> cookie(settings.sessionCookie(), s.id(), "/", CookieSameSite.STRICT, -1));
  }

  /**
   * The signed-in principal for this session id, or null (absent, idle too long, or past its
   * absolute limit).
   */
  public Future<Principal> find(String sessionId) {
    if (sessionId == null || sessionId.length() > 64) {
      return Future.succeededFuture(null);
    }
    return store
        .get(sessionId)
        .compose(
            s -> {
              if (s == null || s.<JsonObject>get("principal") == null) {
                return Future.succeededFuture(null);
              }
              long now = System.currentTimeMillis();
              Principal p = Principal.fromSessionJson(s.get("principal"), s.id());
              if (now - s.lastAccessed() > s.timeout()
                  || now - p.authAtMs() > settings.sessionMax().toMillis()) {
                return store.delete(s.id()).map(v -> null);
              }
              if (now - s.lastAccessed() > Math.min(TOUCH_EVERY_MS, s.timeout() / 4)) {
                s.setAccessed();
                return store.put(s).map(v -> p);
              }
              return Future.succeededFuture(p);
            });
  }

  Future<Void> destroy(String sessionId) {
    return sessionId == null ? Future.succeededFuture() : store.delete(sessionId);
  }

  /**
   * Stores a pending sign-in; the cookie carries its id. Kept in a (local or clustered) async map
   * with a TTL, whose {@code remove} hands back the value to exactly one caller: a callback can be
   * completed once even when two arrive together.
   */
  Future<Cookie> startFlow(JsonObject flow) {
    String id = Tokens.secret(ID_BYTES);
    return flows()
        .compose(m -> m.put(id, flow, FLOW_TTL_MS))
        .map(v -> cookie(FLOW_COOKIE, id, "/login", CookieSameSite.LAX, FLOW_TTL_MS / 1000));
  }

  /**
   * The pending sign-in, removed as it is read. Null when none (never started, expired, or already
   * taken).
   */
  Future<JsonObject> takeFlow(String flowId) {
    if (flowId == null || flowId.length() > 64) {
      return Future.succeededFuture(null);
    }
    return flows().compose(m -> m.remove(flowId));
  }

  private Future<AsyncMap<String, JsonObject>> flows() {
    return vertx.sharedData().getAsyncMap("trainwatch.login-flows");
  }

  /** A cookie that removes {@code name}. */
  Cookie expired(String name, String path) {
    return cookie(
        name, "", path, name.equals(FLOW_COOKIE) ? CookieSameSite.LAX : CookieSameSite.STRICT, 0);
  }

  private Cookie cookie(
      String name, String value, String path, CookieSameSite sameSite, long maxAgeS) {
    Cookie c =
        Cookie.cookie(name, value)
            .setPath(path)
            .setHttpOnly(true)
            .setSecure(settings.tls())
            .setSameSite(sameSite);
    if (maxAgeS >= 0) {
      c.setMaxAge(maxAgeS);
    }
    return c;
  }

  public void close() {
    store.close();
  }

  /** The value of cookie {@code name} in a {@code Cookie} request header, or null. */
  static String cookieValue(String header, String name) {
    if (header == null) {
      return null;
    }
    for (String part : header.split(";")) {
      int eq = part.indexOf('=');
      if (eq > 0 && part.substring(0, eq).trim().equals(name)) {
        return part.substring(eq + 1).trim();
      }
    }
    return null;
  }
}
