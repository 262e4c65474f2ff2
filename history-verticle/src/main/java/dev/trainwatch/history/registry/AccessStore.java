package dev.trainwatch.history.registry;

import dev.trainwatch.bus.FailureCode;
import dev.trainwatch.bus.Json;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * API tokens and one-time login tokens (tables of V3). Used by this verticle's bus consumers and,
 * in another process, by the admin CLI; both go through here so there is one definition of each
 * rule. Only hashes come in.
 */
public final class AccessStore {
  /** NOTIFY channel for ended grants (a revoked API token); the payload is the token id. */
  public static final String CHANNEL = "trainwatch_access";

  /** One API token as listed; never its hash. */
  public record ApiToken(
      String id,
      String name,
      String role,
      Instant createdAt,
      String createdBy,
      Instant lastUsedAt) {
    public JsonObject toJson() {
      JsonObject o =
          new JsonObject()
              .put("id", id)
              .put("name", name)
              .put("role", role)
              .put("created_at", Json.ts(createdAt))
              .put("created_by", createdBy);
      return lastUsedAt == null ? o : o.put("last_used_at", Json.ts(lastUsedAt));
    }

    static ApiToken of(Row r) {
      return new ApiToken(
          r.getString("id"),
          r.getString("name"),
          r.getString("role"),
          instant(r, "created_at"),
          r.getString("created_by"),
          instant(r, "last_used_at"));
    }
  }

  private static final String COLUMNS = "id, name, role, created_at, created_by, last_used_at";
  // last_used_at is written at most once a minute per token: a scraper every 15 s must not turn
  // reads into writes.
  private static final String CHECK =
      """
      WITH t AS (SELECT id, last_used_at FROM api_tokens WHERE token_hash = $1 AND revoked_at IS NULL),
           touched AS (UPDATE api_tokens a SET last_used_at = now() FROM t
                       WHERE a.id = t.id AND (t.last_used_at IS NULL OR t.last_used_at < now() - interval '60 seconds'))
      SELECT a.id, a.name, a.role, a.created_at, a.created_by, a.last_used_at FROM api_tokens a JOIN t USING (id)""";
  private static final String REDEEM =
      "UPDATE login_tokens SET used_at = now() "
          + "WHERE token_hash = $1 AND used_at IS NULL AND expires_at > now() RETURNING 1";
  private static final String UNIQUE_VIOLATION = "23505";

  private final Pool pool;

  public AccessStore(Pool pool) {
    this.pool = pool;
  }

  /**
   * Stores a login token's hash; spent or expired ones older than a day are swept at the same time.
   */
  public Future<Instant> mintLogin(byte[] hash, Duration ttl) {
    Instant expires = Instant.now().plus(ttl);
    return pool.withTransaction(
            c ->
                c.query("DELETE FROM login_tokens WHERE expires_at < now() - interval '1 day'")
                    .execute()
                    .compose(
                        v ->
                            c.preparedQuery(
                                    "INSERT INTO login_tokens (token_hash, expires_at) VALUES ($1, $2)")
                                .execute(
                                    Tuple.of(
                                        Buffer.buffer(hash),
                                        OffsetDateTime.ofInstant(expires, ZoneOffset.UTC)))))
        .map(rs -> expires);
  }

  /** True once per token, before it expires; every later or late call is false. */
  public Future<Boolean> redeemLogin(byte[] hash) {
    return pool.preparedQuery(REDEEM)
        .execute(Tuple.of(Buffer.buffer(hash)))
        .map(rs -> rs.rowCount() == 1);
  }

  /**
   * The 32-byte key session entries are MACed with: made on first use from {@code fresh}, the same
   * for every node afterwards (the first writer wins).
   */
  public Future<byte[]> sessionMacKey(byte[] fresh) {
    return pool.preparedQuery(
            "INSERT INTO access_secrets (name, secret) VALUES ('session_mac', $1) "
                + "ON CONFLICT (name) DO NOTHING")
        .execute(Tuple.of(Buffer.buffer(fresh)))
        .compose(
            v ->
                pool.preparedQuery("SELECT secret FROM access_secrets WHERE name = 'session_mac'")
                    .execute()
                    .map(rs -> rs.iterator().next().getBuffer(0).getBytes()));
  }

  public Future<Optional<ApiToken>> check(byte[] hash) {
    return pool.preparedQuery(CHECK)
        .execute(Tuple.of(Buffer.buffer(hash)))
        .map(
            rs ->
                rs.iterator().hasNext()
                    ? Optional.of(ApiToken.of(rs.iterator().next()))
                    : Optional.empty());
  }

  /**
   * Fails with {@link FailureCode#CONFLICT} when a live token has this name (or, astronomically,
   * this id).
   */
  public Future<ApiToken> create(
      String id, String name, String role, byte[] hash, String createdBy) {
    return pool.preparedQuery(
            "INSERT INTO api_tokens (id, name, role, token_hash, created_by) "
                + "VALUES ($1, $2, $3, $4, $5) RETURNING "
                + COLUMNS)
        .execute(Tuple.of(id, name, role, Buffer.buffer(hash), createdBy))
        .map(rs -> ApiToken.of(rs.iterator().next()))
        .recover(
            e ->
                Future.failedFuture(
                    e instanceof PgException pe && UNIQUE_VIOLATION.equals(pe.getSqlState())
                        ? FailureCode.CONFLICT.exception(
                            "an API token named '" + name + "' exists; revoke it first")
                        : e));
  }

  /** Live tokens, by name. */
  public Future<List<ApiToken>> list() {
    return pool.query(
            "SELECT " + COLUMNS + " FROM api_tokens WHERE revoked_at IS NULL ORDER BY name")
        .execute()
        .map(
            rs -> {
              List<ApiToken> out = new ArrayList<>();
              rs.forEach(r -> out.add(ApiToken.of(r)));
              return out;
            });
  }

  /**
   * True if a live token was revoked; NOTIFYs on commit so every gateway closes the sockets opened
   * with it.
   */
  public Future<Boolean> revoke(String id) {
    return pool.withTransaction(
        c ->
            c.preparedQuery(
                    "UPDATE api_tokens SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL")
                .execute(Tuple.of(id))
                .compose(
                    rs ->
                        rs.rowCount() == 0
                            ? Future.succeededFuture(false)
                            : c.preparedQuery("SELECT pg_notify($1, $2)")
                                .execute(Tuple.of(CHANNEL, id))
                                .map(v -> true)));
  }

  private static Instant instant(Row r, String column) {
    OffsetDateTime t = r.getOffsetDateTime(column);
    return t == null ? null : t.toInstant();
  }
}
