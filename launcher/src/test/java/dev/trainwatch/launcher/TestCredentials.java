package dev.trainwatch.launcher;

import dev.trainwatch.bus.Addresses;
import dev.trainwatch.bus.Tokens;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientSession;
import java.util.concurrent.TimeUnit;

/**
 * Credentials for tests of a running stack: an API token created through the same bus request the
 * admin API sends (stored hashed in the stack's Postgres), and clients that present it.
 */
final class TestCredentials {
  private TestCredentials() {}

  /** A fresh live token with {@code role}, made on the stack's own bus. */
  static String apiToken(Vertx stackVertx, String role) throws Exception {
    String token = Tokens.generate(Tokens.API);
    stackVertx
        .eventBus()
        .request(
            Addresses.ACCESS_TOKEN_ADMIN,
            new JsonObject()
                .put("op", "create")
                .put("id", Tokens.prefix(token))
                .put("name", "test " + Tokens.prefix(token))
                .put("role", role)
                .put("token_sha256", Tokens.sha256Hex(token))
                .put("created_by", "test"))
        .await(10, TimeUnit.SECONDS);
    return token;
  }

  /** A WebClient that sends {@code Authorization: Bearer token} on every request. */
  static WebClient client(Vertx vertx, String token) {
    return WebClientSession.create(WebClient.create(vertx))
        .addHeader("authorization", "Bearer " + token);
  }

  static WebSocketConnectOptions ws(int port, String token) {
    return new WebSocketConnectOptions()
        .setHost("127.0.0.1")
        .setPort(port)
        .setURI("/ws")
        .addHeader("authorization", "Bearer " + token);
  }
}
