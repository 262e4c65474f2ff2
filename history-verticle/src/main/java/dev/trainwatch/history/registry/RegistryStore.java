package dev.trainwatch.history.registry;

import dev.trainwatch.bus.FailureCode;
import dev.trainwatch.bus.RegistryChange;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * Operator changes to the server registry, from the admin CLI and the dashboard's admin API alike.
 * Each change commits, then NOTIFYs so running ingest nodes drop cached token verdicts and gateways
 * their server lists at once.
 */
public final class RegistryStore {
  /**
   * The Postgres NOTIFY channel a registry change is announced on (relayed to the bus by
   * RegistryListener).
   */
  public static final String CHANNEL = "trainwatch_registry";

  /** What a change did: created the server, and whether the caller's token is now its token. */
  public record Result(boolean created, boolean tokenSet) {}

  /** One registry row as the CLI lists it. */
  public record Row(
      String slug,
      String name,
      String tokenPrefix,
      boolean active,
      OffsetDateTime lastSeenAt,
      String hostname) {}

  private final Pool pool;

  public RegistryStore(Pool pool) {
    this.pool = pool;
  }

  public Future<Result> apply(RegistryChange ch) {
    return pool.withTransaction(
        c ->
            c.preparedQuery("SELECT 1 FROM servers WHERE slug = $1 FOR UPDATE")
                .execute(Tuple.of(ch.slug()))
                .compose(
                    rs -> {
                      boolean exists = rs.iterator().hasNext();
                      if (exists && ch.mode() == RegistryChange.Mode.CREATE) {
                        return Future.failedFuture(
                            FailureCode.CONFLICT.exception(
                                "server '" + ch.slug() + "' is registered already"));
                      }
                      if (!exists && ch.mode() == RegistryChange.Mode.UPDATE) {
                        return Future.failedFuture(
                            FailureCode.UNKNOWN_SERVER.exception(
                                "no server with slug '" + ch.slug() + "'"));
                      }
                      Future<Result> done = exists ? update(c, ch) : insert(c, ch);
                      return done.compose(
                          r ->
                              c.preparedQuery("SELECT pg_notify($1, $2)")
                                  .execute(Tuple.of(CHANNEL, ch.slug()))
                                  .map(v -> r));
                    }));
  }

  private static Future<Result> insert(SqlConnection c, RegistryChange ch) {
    if (ch.tokenHash() == null) {
      return Future.failedFuture(
          FailureCode.INVALID_PAYLOAD.exception("a new server needs a token"));
    }
    return c.preparedQuery(
            "INSERT INTO servers (slug, name, token_prefix, token_hash, is_active) VALUES ($1, $2, $3, $4, $5)")
        .execute(
            Tuple.of(
                ch.slug(),
                ch.name() == null ? ch.slug() : ch.name(),
                ch.tokenPrefix(),
                Buffer.buffer(ch.tokenHash()),
                ch.active() == null || ch.active()))
        .map(rs -> new Result(true, true));
  }

  private static Future<Result> update(SqlConnection c, RegistryChange ch) {
    boolean rotate = ch.rotate() && ch.tokenHash() != null;
    return c.preparedQuery(
            "UPDATE servers SET token_prefix = CASE WHEN $2 THEN $3 ELSE token_prefix END, "
                + "token_hash = CASE WHEN $2 THEN $4 ELSE token_hash END, name = coalesce($5, name), "
                + "is_active = coalesce($6, is_active) WHERE slug = $1")
        .execute(
            Tuple.of(
                ch.slug(),
                rotate,
                ch.tokenPrefix(),
                ch.tokenHash() == null ? null : Buffer.buffer(ch.tokenHash()),
                ch.name(),
                ch.active()))
        .map(rs -> new Result(false, rotate));
  }

  public Future<List<Row>> list() {
    return pool.query(
            "SELECT slug, name, token_prefix, is_active, last_seen_at, hostname FROM servers ORDER BY slug")
        .execute()
        .map(
            rs -> {
              List<Row> out = new ArrayList<>();
              rs.forEach(
                  r ->
                      out.add(
                          new Row(
                              r.getString("slug"),
                              r.getString("name"),
                              r.getString("token_prefix"),
                              r.getBoolean("is_active"),
                              r.getOffsetDateTime("last_seen_at"),
                              r.getString("hostname"))));
              return out;
            });
  }
}
