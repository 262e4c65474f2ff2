package dev.trainwatch.gateway.auth;

import dev.trainwatch.bus.Tokens;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.AsyncMap;
import java.util.Base64;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Browser sessions and pending OIDC sign-ins, in shared-data maps (local, or cluster-wide so any
 * gateway node knows a session). Only a 256-bit random id travels, in a cookie we write ourselves:
 * HttpOnly, SameSite=Strict, and {@code __Host-} + Secure under TLS.
 *
 * <p>The maps are keyed by the SHA-256 of that id ({@link #key}), never by the id itself: in a
 * cluster every Hazelcast member holds a share of the maps, and one that joined without belonging
 * (docs/security.md) must not be able to read a cookie's worth out of them. The key is the
 * session's name everywhere inside ({@link Principal#sessionId}, the sign-out notice on the bus).
 * Every entry is sealed ({@link EntrySeal}): one that such a member wrote, or altered, or copied
 * under another key, is treated as absent. The same lookup serves HTTP requests and WebSocket
 * handshakes (which never pass through the router).
 *
 * <p>Timeouts: idle ({@code auth.session_idle_s}, the entry's time to live in the map, renewed at
 * most every {@link #TOUCH_EVERY_MS}, or a quarter of the idle timeout if that is shorter) and
 * absolute ({@code auth.session_max_s} after sign-in, checked here on every use).
 */
public final class Sessions {
  private static final Logger LOG = LoggerFactory.getLogger(Sessions.class);
  static final int ID_BYTES = 32;
  static final long TOUCH_EVERY_MS = 15_000;

  /**
   * The pending-sign-in cookie. Lax, unlike the session: the provider's redirect back is a
   * cross-site navigation.
   */
  static final String FLOW_COOKIE = "tw_login";

  static final long FLOW_TTL_MS = 600_000;

  static final String SESSIONS_MAP = "trainwatch.sessions";
  static final String FLOWS_MAP = "trainwatch.login-flows";

  /** A forged entry is logged at most this often: presenting them must not flood the log. */
  private static final long FORGED_LOG_EVERY_MS = 60_000;

  private final AccessSettings settings;
  private final Vertx vertx;
  private final EntrySeal seal;
  private long forgedLoggedAt;
  private long forged;

  public Sessions(Vertx vertx, AccessSettings settings) {
    this(vertx, settings, EntrySeal.overBus(vertx));
  }

  Sessions(Vertx vertx, AccessSettings settings, EntrySeal seal) {
    this.vertx = vertx;
    this.settings = settings;
    this.seal = seal;
  }

  /** What a cookie's id is stored under: base64url SHA-256, 43 characters. */
  public static String key(String id) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(Tokens.sha256(id));
  }

  /**
   * Starts a session for {@code who}; a fresh id every time, so a sign-in never adopts an id it was
   * handed.
   */
  Future<Cookie> create(Principal who) {
    String id = Tokens.secret(ID_BYTES);
    long now = System.currentTimeMillis();
    long idle = settings.sessionIdle().toMillis();
    JsonObject entry =
        new JsonObject()
            .put("principal", who.toSessionJson())
            .put("accessed_ms", now)
            .put("idle_ms", idle);
    String key = key(id);
    return seal.sealer()
        .compose(k -> sessions().compose(m -> m.put(key, k.seal(key, entry), idle)))
        .map(v -> cookie(settings.sessionCookie(), id, "/", CookieSameSite.STRICT, -1));
  }

  /**
   * The signed-in principal for the session a cookie names, or null (absent, idle too long, or past
   * its absolute limit).
   */
  public Future<Principal> find(String cookieValue) {
    String key = keyOfCookie(cookieValue);
    return key == null ? Future.succeededFuture(null) : findByKey(key);
  }

  /** The key of the session a cookie names, or null for one that cannot be ours. */
  static String keyOfCookie(String cookieValue) {
    return cookieValue == null || cookieValue.isEmpty() || cookieValue.length() > 64
        ? null
        : key(cookieValue);
  }

  /** The same, for a session known by its key ({@link Principal#sessionId}). */
  public Future<Principal> findByKey(String sessionKey) {
    return seal.sealer()
        .compose(
            k -> sessions().compose(m -> m.get(sessionKey).compose(e -> use(k, m, sessionKey, e))));
  }

  /** {@code value} is what the map holds: any type, since any member can write there. */
  private Future<Principal> use(
      EntrySeal.Sealer k, AsyncMap<String, Object> m, String sessionKey, Object value) {
    if (value == null) {
      return Future.succeededFuture(null);
    }
    if (!(value instanceof JsonObject e)
        || !k.verify(sessionKey, e)
        || !(e.getValue("principal") instanceof JsonObject)) {
      forged("session");
      return m.remove(sessionKey).map(v -> null);
    }
    long now = System.currentTimeMillis();
    long accessed = e.getLong("accessed_ms", 0L);
    long idle = e.getLong("idle_ms", 0L);
    Principal p = Principal.fromSessionJson(e.getJsonObject("principal"), sessionKey);
    if (now - accessed > idle || now - p.authAtMs() > settings.sessionMax().toMillis()) {
      return m.remove(sessionKey).map(v -> null);
    }
    if (now - accessed > Math.min(TOUCH_EVERY_MS, idle / 4)) {
      JsonObject touched = e.copy().put("accessed_ms", now);
      return m.put(sessionKey, k.seal(sessionKey, touched), idle).map(v -> p);
    }
    return Future.succeededFuture(p);
  }

  /**
   * An entry that does not verify: written by something that is not one of our nodes. Counted,
   * logged at most once a minute, and treated as absent.
   */
  private void forged(String what) {
    forged++;
    long now = System.currentTimeMillis();
    if (now - forgedLoggedAt > FORGED_LOG_EVERY_MS) {
      forgedLoggedAt = now;
      LOG.warn(
          "A {} entry in the shared maps does not carry our seal and is ignored ({} so far): something "
              + "that is not one of this cluster's nodes writes into its maps (docs/security.md)",
          what,
          forged);
    }
  }

  /** Ends the session of this key (null: none). */
  Future<Void> destroy(String sessionKey) {
    return sessionKey == null
        ? Future.succeededFuture()
        : sessions().compose(m -> m.remove(sessionKey)).mapEmpty();
  }

  private Future<AsyncMap<String, Object>> sessions() {
    return vertx.sharedData().getAsyncMap(SESSIONS_MAP);
  }

  /**
   * Stores a pending sign-in; the cookie carries its id, the map its key. Kept in a (local or
   * clustered) async map with a TTL, whose {@code remove} hands back the value to exactly one
   * caller: a callback can be completed once even when two arrive together.
   */
  Future<Cookie> startFlow(JsonObject flow) {
    String id = Tokens.secret(ID_BYTES);
    String key = key(id);
    return seal.sealer()
        .compose(k -> flows().compose(m -> m.put(key, k.seal(key, flow), FLOW_TTL_MS)))
        .map(v -> cookie(FLOW_COOKIE, id, "/login", CookieSameSite.LAX, FLOW_TTL_MS / 1000));
  }

  /**
   * The pending sign-in, removed as it is read. Null when none (never started, expired, or already
   * taken).
   */
  Future<JsonObject> takeFlow(String flowId) {
    String key = keyOfCookie(flowId);
    if (key == null) {
      return Future.succeededFuture(null);
    }
    return seal.sealer()
        .compose(
            k ->
                flows()
                    .compose(m -> m.remove(key))
                    .map(
                        f -> {
                          if (f == null) {
                            return null;
                          }
                          if (f instanceof JsonObject flow && k.verify(key, flow)) {
                            flow.remove(EntrySeal.FIELD);
                            return flow;
                          }
                          forged("sign-in flow");
                          return null;
                        }));
  }

  private Future<AsyncMap<String, Object>> flows() {
    return vertx.sharedData().getAsyncMap(FLOWS_MAP);
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
