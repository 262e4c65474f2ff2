package dev.trainwatch.history.registry;

import dev.trainwatch.bus.Addresses;
import dev.trainwatch.bus.FailureCode;
import dev.trainwatch.bus.Json;
import dev.trainwatch.bus.RegistryChange;
import dev.trainwatch.bus.Tokens;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgException;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.function.Function;

/**
 * The bus side of {@link AccessStore} and {@link RegistryStore}: the gateway's admin API and login
 * routes reach the tables through these. Bodies are checked here too (a cluster peer is another
 * build, not a trusted caller of Java).
 */
public final class AccessConsumers {
  private final AccessStore access;
  private final RegistryStore registry;

  public AccessConsumers(AccessStore access, RegistryStore registry) {
    this.access = access;
    this.registry = registry;
  }

  public Future<Void> register(EventBus bus) {
    return Future.all(
            bus.<JsonObject>consumer(
                    Addresses.REGISTRY_CHANGE,
                    m ->
                        answer(
                            m,
                            b ->
                                registry
                                    .apply(RegistryChange.fromJson(b))
                                    .map(
                                        r ->
                                            new JsonObject()
                                                .put("created", r.created())
                                                .put("token_set", r.tokenSet()))))
                .completion(),
            bus.<JsonObject>consumer(
                    Addresses.ACCESS_LOGIN_MINT,
                    m ->
                        answer(
                            m,
                            b ->
                                access
                                    .mintLogin(
                                        hash(b),
                                        Duration.ofSeconds(
                                            Math.max(
                                                1, Math.min(86_400, b.getLong("ttl_s", 900L)))))
                                    .map(t -> new JsonObject().put("expires_at", Json.ts(t)))))
                .completion(),
            bus.<JsonObject>consumer(
                    Addresses.ACCESS_LOGIN_REDEEM,
                    m ->
                        answer(
                            m,
                            b ->
                                access
                                    .redeemLogin(hash(b))
                                    .map(
                                        ok ->
                                            new JsonObject()
                                                .put("outcome", ok ? "ok" : "refused"))))
                .completion(),
            bus.<JsonObject>consumer(
                    Addresses.ACCESS_TOKEN_CHECK,
                    m ->
                        answer(
                            m,
                            b ->
                                access
                                    .check(hash(b))
                                    .map(
                                        t ->
                                            t.map(x -> x.toJson().put("outcome", "ok"))
                                                .orElse(
                                                    new JsonObject().put("outcome", "unknown")))))
                .completion(),
            bus.<JsonObject>consumer(Addresses.ACCESS_TOKEN_ADMIN, m -> answer(m, this::tokenAdmin))
                .completion(),
            bus.<JsonObject>consumer(
                    Addresses.ACCESS_SESSION_KEY,
                    m ->
                        answer(
                            m,
                            b ->
                                access
                                    .sessionMacKey(Tokens.random(32))
                                    .map(
                                        k ->
                                            new JsonObject()
                                                .put(
                                                    "key", Base64.getEncoder().encodeToString(k)))))
                .completion())
        .mapEmpty();
  }

  private Future<JsonObject> tokenAdmin(JsonObject b) {
    return switch (b.getString("op", "")) {
      case "create" ->
          access
              .create(
                  b.getString("id"),
                  b.getString("name"),
                  b.getString("role"),
                  hash(b),
                  b.getString("created_by"))
              .map(t -> new JsonObject().put("token", t.toJson()));
      case "list" ->
          access
              .list()
              .map(
                  l ->
                      new JsonObject()
                          .put(
                              "tokens",
                              new JsonArray(
                                  l.stream().map(AccessStore.ApiToken::toJson).toList())));
      case "revoke" ->
          access.revoke(b.getString("id")).map(r -> new JsonObject().put("revoked", r));
      default ->
          Future.failedFuture(
              FailureCode.INVALID_PAYLOAD.exception("op must be create, list or revoke"));
    };
  }

  /** A SHA-256 in hex, or the request fails as invalid before any query. */
  private static byte[] hash(JsonObject b) {
    String hex = b.getString("token_sha256", "");
    if (hex.length() != 64) {
      throw new IllegalArgumentException("token_sha256 must be 64 hex digits");
    }
    return HexFormat.of().parseHex(hex);
  }

  private static void answer(Message<JsonObject> m, Function<JsonObject, Future<JsonObject>> work) {
    Future<JsonObject> f;
    try {
      f = work.apply(m.body() == null ? new JsonObject() : m.body());
    } catch (IllegalArgumentException | ClassCastException | NullPointerException e) {
      m.fail(FailureCode.INVALID_PAYLOAD.busCode(), String.valueOf(e.getMessage()));
      return;
    }
    f.onSuccess(m::reply)
        .onFailure(
            e -> {
              if (e instanceof ReplyException re) {
                m.fail(re.failureCode(), re.getMessage());
              } else if (e instanceof PgException pe
                  && pe.getSqlState() != null
                  && pe.getSqlState().startsWith("23")) {
                // A constraint refused the values (bad name or role from a peer that skipped its
                // checks).
                m.fail(FailureCode.INVALID_PAYLOAD.busCode(), "refused by a table constraint");
              } else {
                m.fail(FailureCode.UNAVAILABLE.busCode(), "storage unavailable");
              }
            });
  }
}
