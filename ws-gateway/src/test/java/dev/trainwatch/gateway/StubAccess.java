package dev.trainwatch.gateway;

import dev.trainwatch.bus.Addresses;
import dev.trainwatch.bus.Tokens;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * History's answer to API-token checks, for gateway tests that run without storage (like their
 * stubbed server list). The real lookup against Postgres is exercised end to end by launcher's
 * AccessControlTest.
 */
final class StubAccess {
  /** token hash → the reply history would give. */
  private final Map<String, JsonObject> live = new ConcurrentHashMap<>();

  private final Vertx vertx;

  StubAccess(Vertx vertx) {
    this.vertx = vertx;
    vertx
        .eventBus()
        .<JsonObject>consumer(
            Addresses.ACCESS_TOKEN_CHECK,
            m ->
                m.reply(
                    live.getOrDefault(
                        m.body().getString("token_sha256"),
                        new JsonObject().put("outcome", "unknown"))));
    // The admin API's side: a listing of the live tokens (what the gateway's socket re-check asks
    // for), and a
    // create that succeeds (GuardTest only needs to see requests get through).
    vertx
        .eventBus()
        .<JsonObject>consumer(
            Addresses.ACCESS_TOKEN_ADMIN,
            m ->
                m.reply(
                    new JsonObject()
                        .put(
                            "tokens",
                            new JsonArray(live.values().stream().map(JsonObject::copy).toList()))
                        .put("token", new JsonObject().put("id", "twa_00000000"))));
    sessionKey(vertx);
  }

  /**
   * History's answer to the gateway's question for the key sessions are sealed with: history makes
   * one and keeps it in Postgres; a test's is random.
   */
  static void sessionKey(Vertx vertx) {
    String key = Base64.getEncoder().encodeToString(Tokens.random(32));
    vertx
        .eventBus()
        .<JsonObject>consumer(
            Addresses.ACCESS_SESSION_KEY, m -> m.reply(new JsonObject().put("key", key)));
  }

  /**
   * Revocation whose NOTIFY never arrives (history restarting): only the gateway's periodic
   * re-check can notice.
   */
  void revokeSilently(String token) {
    live.remove(Tokens.sha256Hex(token));
  }

  /** One live token with {@code role}. */
  String token(String role) {
    String token = Tokens.generate(Tokens.API);
    live.put(
        Tokens.sha256Hex(token),
        new JsonObject()
            .put("outcome", "ok")
            .put("id", Tokens.prefix(token))
            .put("name", "test " + role)
            .put("role", role));
    return token;
  }

  /** As history does on revocation: the token stops matching, and the gateways hear of it. */
  void revoke(String token) {
    live.remove(Tokens.sha256Hex(token));
    vertx
        .eventBus()
        .publish(Addresses.ACCESS_CHANGED, new JsonObject().put("api_token", Tokens.prefix(token)));
  }

  /** A single reader token, for tests that only need to get in. */
  static String token(Vertx vertx, String role) {
    return new StubAccess(vertx).token(role);
  }
}
