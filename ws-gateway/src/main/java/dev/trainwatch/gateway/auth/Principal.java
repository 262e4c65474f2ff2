package dev.trainwatch.gateway.auth;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Locale;

/**
 * Who made a request. {@code id} is stable per identity: the OIDC {@code iss} and {@code sub}
 * (never the e-mail, which an account can change or share), {@code local} for the operator of a
 * local-mode server, the token id for an API token. {@code sessionId} is set for browser sessions,
 * {@code tokenId} for API tokens; sockets are closed by either when it ends.
 */
public record Principal(
    Kind kind,
    String id,
    String name,
    String email,
    Role role,
    long authAtMs,
    String sessionId,
    String tokenId) {
  public enum Kind {
    LOCAL,
    OIDC,
    API_TOKEN
  }

  public boolean can(Permission p) {
    return role.can(p);
  }

  /** Stored in the session (no session id: that is the key it is stored under). */
  JsonObject toSessionJson() {
    JsonObject o =
        new JsonObject()
            .put("kind", kind.name())
            .put("id", id)
            .put("name", name)
            .put("role", role.id())
            .put("auth_at_ms", authAtMs);
    return email == null ? o : o.put("email", email);
  }

  static Principal fromSessionJson(JsonObject o, String sessionId) {
    return new Principal(
        Kind.valueOf(o.getString("kind")),
        o.getString("id"),
        o.getString("name"),
        o.getString("email"),
        Role.parse(o.getString("role")),
        o.getLong("auth_at_ms"),
        sessionId,
        null);
  }

  /** {@code GET /api/me}. */
  public JsonObject toJson() {
    JsonObject o =
        new JsonObject()
            .put("name", name)
            .put("role", role.id())
            .put("kind", kind.name().toLowerCase(Locale.ROOT))
            .put(
                "permissions",
                new JsonArray(
                    role.grants().stream()
                        .map(p -> p.name().toLowerCase(Locale.ROOT))
                        .sorted()
                        .toList()));
    return email == null ? o : o.put("email", email);
  }
}
