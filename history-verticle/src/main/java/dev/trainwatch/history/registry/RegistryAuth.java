package dev.trainwatch.history.registry;

import dev.trainwatch.bus.FailureCode;
import dev.trainwatch.bus.Tokens;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.HexFormat;

/**
 * Answers token checks against the stored SHA-256, in constant time. The token itself never reaches
 * this side.
 */
public final class RegistryAuth {
  private static final String LOOKUP = "SELECT is_active, token_hash FROM servers WHERE slug = $1";

  private final Pool pool;

  public RegistryAuth(Pool pool) {
    this.pool = pool;
  }

  public void handle(Message<JsonObject> msg) {
    String slug = msg.body().getString("slug");
    byte[] presented;
    try {
      presented = HexFormat.of().parseHex(msg.body().getString("token_sha256", ""));
    } catch (IllegalArgumentException e) {
      msg.fail(FailureCode.INVALID_PAYLOAD.busCode(), "token_sha256 must be hex");
      return;
    }
    pool.preparedQuery(LOOKUP)
        .execute(Tuple.of(slug))
        .onComplete(
            ar -> {
              if (ar.failed()) {
                msg.fail(FailureCode.UNAVAILABLE.busCode(), "storage unavailable");
                return;
              }
              var it = ar.result().iterator();
              String outcome;
              if (!it.hasNext()) {
                outcome = "unknown";
              } else {
                Row r = it.next();
                byte[] stored =
                    r.getBuffer("token_hash") == null ? null : r.getBuffer("token_hash").getBytes();
                // The token is checked before the active flag so a disabled server does not reveal
                // itself to a guesser.
                outcome =
                    !Tokens.matches(stored, presented)
                        ? "bad_token"
                        : r.getBoolean("is_active") ? "ok" : "disabled";
              }
              msg.reply(new JsonObject().put("slug", slug).put("outcome", outcome));
            });
  }
}
