package dev.trainwatch.alerts.store;

import dev.trainwatch.alerts.Alert;
import dev.trainwatch.alerts.rules.Rule;
import dev.trainwatch.alerts.rules.Severity;
import dev.trainwatch.alerts.rules.Xid;
import io.vertx.core.Future;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The alert tables (migration V5, applied by history): alerts, admin-made rules, dead letters, XID
 * events. Every statement is one round trip on the reactive client.
 */
public final class AlertStore {
  private static final String COLUMNS =
      "id, rule, severity, server, gpu_index, state, resolve, value::text,"
          + " threshold::text, message, started_at, fired_at, resolved_at, acknowledged_by, acknowledged_at";

  /**
   * The whole row by id. Acknowledgement columns are never written here (an ack may land between
   * the evaluator's read and this write), and a row someone already resolved by acknowledging it
   * stays resolved.
   */
  static final String UPSERT =
      """
      INSERT INTO alerts (id, rule, severity, server, gpu_index, state, resolve, value, threshold, message,
                          started_at, fired_at, resolved_at)
      VALUES ($1, $2, $3, $4, $5, $6, $7, CAST($8 AS text)::jsonb, CAST($9 AS text)::jsonb, $10, $11, $12, $13)
      ON CONFLICT (id) DO UPDATE SET severity = EXCLUDED.severity, state = EXCLUDED.state, value = EXCLUDED.value,
        message = EXCLUDED.message, started_at = EXCLUDED.started_at, fired_at = EXCLUDED.fired_at,
        resolved_at = EXCLUDED.resolved_at, updated_at = now()
      WHERE alerts.state <> 'resolved'
      RETURNING id""";

  /**
   * A pending alert that did not last is not kept: its frames told the dashboard, its row would
   * only be churn.
   */
  static final String DELETE_NEVER_FIRED =
      "DELETE FROM alerts WHERE id = ANY($1) AND state = 'resolved' AND fired_at IS NULL";

  static final String OPEN = "SELECT " + COLUMNS + " FROM alerts WHERE state <> 'resolved'";

  /**
   * Open ones whatever their age, and those resolved since {@code $2}; firing first, then pending,
   * newest first.
   */
  static final String QUERY =
      "SELECT "
          + COLUMNS
          + """
       FROM alerts
      WHERE ($1::text IS NULL OR server = $1) AND ($3::text IS NULL OR state = $3)
        AND (state <> 'resolved' OR resolved_at >= $2)
      ORDER BY CASE state WHEN 'firing' THEN 0 WHEN 'pending' THEN 1 ELSE 2 END,
               CASE severity WHEN 'critical' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END, started_at DESC
      LIMIT $4""";

  /**
   * The first acknowledgement wins and is kept; an alert that waits for one (XIDs) resolves with
   * it. Returns the row whatever happened, so a second click answers with who was first.
   */
  static final String ACK =
      "WITH acked AS (UPDATE alerts SET acknowledged_by = $2, acknowledged_at = $3,"
          + " updated_at = now(),"
          + " state = CASE WHEN resolve = 'ack' AND state = 'firing' THEN 'resolved' ELSE state END,"
          + " resolved_at = CASE WHEN resolve = 'ack' AND state = 'firing' THEN $3 ELSE resolved_at END"
          // The first acknowledgement is kept; but one given while an alert that waits for it was
          // still pending has not
          // resolved it, so the one that does is recorded.
          + " WHERE id = $1 AND (acknowledged_at IS NULL OR (resolve = 'ack' AND state = 'firing'))"
          + " RETURNING "
          + COLUMNS
          + ")"
          + " SELECT *, true FROM acked UNION ALL"
          + " SELECT "
          + COLUMNS
          + ", false FROM alerts WHERE id = $1 AND NOT EXISTS (SELECT 1 FROM acked)";

  /**
   * What the fleet view counts: every firing alert's id and server (bounded far above any real
   * fleet).
   */
  static final String FIRING = "SELECT id, server FROM alerts WHERE state = 'firing' LIMIT 100000";

  static final String DEAD_LETTER =
      """
      INSERT INTO alert_dead_letters (alert_id, channel, payload, attempts, last_error) VALUES ($1, $2, $3, $4, $5)""";
  static final String DEAD_LETTERS =
      """
      SELECT id, alert_id, channel, payload, attempts, last_error, created_at FROM alert_dead_letters
      ORDER BY created_at DESC, id DESC LIMIT $1""";
  static final String RULES = "SELECT definition::text FROM alert_rules ORDER BY name";
  static final String PUT_RULE =
      """
      INSERT INTO alert_rules (name, definition, updated_by) VALUES ($1, CAST($2 AS text)::jsonb, $3)
      ON CONFLICT (name) DO UPDATE SET definition = EXCLUDED.definition, updated_by = EXCLUDED.updated_by,
        updated_at = now()""";
  static final String DELETE_RULE = "DELETE FROM alert_rules WHERE name = $1";
  static final String XID_EVENTS =
      """
      SELECT server, gpu_index, gpu_uuid, xid, ts FROM xid_events
      WHERE ($1::text IS NULL OR server = $1) AND ts >= $2 ORDER BY ts DESC LIMIT $3""";

  private final Pool pool;

  public AlertStore(Pool pool) {
    this.pool = pool;
  }

  /**
   * The evaluator's write, in order, in one transaction, on {@code conn}: the session that holds
   * the evaluator's lock, so a node that lost the lock (its session gone) cannot write. Returns the
   * ids Postgres took: a row an acknowledgement already resolved is left as it is and its id is
   * missing.
   */
  public static Future<Set<String>> upsert(SqlConnection conn, List<Alert> alerts) {
    List<Tuple> rows = new ArrayList<>(alerts.size());
    List<String> neverFired = new ArrayList<>();
    for (Alert a : alerts) {
      rows.add(row(a));
      if (a.state() == Alert.State.RESOLVED && a.firedAt() == null) {
        neverFired.add(a.id());
      }
    }
    return conn.begin()
        .compose(
            tx ->
                conn.preparedQuery(UPSERT)
                    .executeBatch(rows)
                    .compose(
                        first -> {
                          Set<String> taken = new HashSet<>();
                          for (RowSet<Row> rs = first; rs != null; rs = rs.next()) {
                            rs.forEach(r -> taken.add(r.getString(0)));
                          }
                          Future<?> deleted =
                              neverFired.isEmpty()
                                  ? Future.succeededFuture()
                                  : conn.preparedQuery(DELETE_NEVER_FIRED)
                                      .execute(Tuple.of(neverFired.toArray(String[]::new)));
                          return deleted.compose(v -> tx.commit()).map(v -> taken);
                        })
                    .onFailure(e -> tx.rollback()));
  }

  /**
   * One row on its own (autocommit): true if Postgres took it, false if a resolved row kept it out.
   */
  public static Future<Boolean> upsertOne(SqlConnection conn, Alert a) {
    return conn.preparedQuery(UPSERT).execute(row(a)).map(rs -> rs.size() > 0);
  }

  private static Tuple row(Alert a) {
    return Tuple.tuple()
        .addString(a.id())
        .addString(a.rule())
        .addString(a.severity().id())
        .addString(a.server())
        .addInteger(a.gpuIndex() == null ? -1 : a.gpuIndex())
        .addString(a.state().id())
        .addString(a.resolve() == Rule.Resolve.ACK ? "ack" : "auto")
        .addString(json(a.value()))
        .addString(json(a.threshold()))
        .addString(a.message())
        .addOffsetDateTime(utc(a.startedAt()))
        .addOffsetDateTime(utc(a.firedAt()))
        .addOffsetDateTime(utc(a.resolvedAt()));
  }

  public Future<List<Alert>> open() {
    return pool.preparedQuery(OPEN).execute().map(AlertStore::alerts);
  }

  public Future<List<Alert>> query(String server, String state, Instant since, int limit) {
    return pool.preparedQuery(QUERY)
        .execute(Tuple.of(server, utc(since), state, limit))
        .map(AlertStore::alerts);
  }

  /** The alert after an acknowledgement; {@code changed} false when someone was first. */
  public record Ack(Alert alert, boolean changed) {}

  static final String ONE = "SELECT " + COLUMNS + " FROM alerts WHERE id = $1";

  /** Null when there is no such alert. */
  public Future<Ack> ack(String id, String by, Instant at) {
    return pool.preparedQuery(ACK)
        .execute(Tuple.of(id, by, utc(at)))
        .compose(
            rows -> {
              if (rows.size() == 0) {
                return Future.succeededFuture(null);
              }
              Row r = rows.iterator().next();
              Ack ack = new Ack(alert(r), r.getBoolean(15));
              if (ack.changed() || ack.alert().acknowledgedAt() != null) {
                return Future.succeededFuture(ack);
              }
              // Another acknowledgement committed while this statement ran: its snapshot predates
              // it. Read it again.
              return pool.preparedQuery(ONE)
                  .execute(Tuple.of(id))
                  .map(
                      again ->
                          again.size() == 0 ? ack : new Ack(alert(again.iterator().next()), false));
            });
  }

  /**
   * Retention: resolved alerts, XID events and dead letters older than {@code before} go (open
   * alerts stay whatever their age). Returns how many rows went.
   */
  public Future<Long> retention(Instant before) {
    Tuple t = Tuple.of(utc(before));
    return pool.preparedQuery("DELETE FROM alerts WHERE state = 'resolved' AND resolved_at < $1")
        .execute(t)
        .compose(
            a ->
                pool.preparedQuery("DELETE FROM xid_events WHERE ts < $1")
                    .execute(t)
                    .compose(
                        x ->
                            pool.preparedQuery(
                                    "DELETE FROM alert_dead_letters WHERE created_at < $1")
                                .execute(t)
                                .map(d -> (long) a.rowCount() + x.rowCount() + d.rowCount())));
  }

  /** Rules made through the API, for the 1000-rule limit. */
  public Future<Long> ruleCount(String except) {
    return pool.preparedQuery("SELECT count(*) FROM alert_rules WHERE name <> $1")
        .execute(Tuple.of(except))
        .map(rows -> rows.iterator().next().getLong(0));
  }

  public Future<JsonArray> firing() {
    return pool.query(FIRING)
        .execute()
        .map(
            rows -> {
              JsonArray out = new JsonArray();
              rows.forEach(
                  r ->
                      out.add(
                          new JsonObject()
                              .put("id", r.getString(0))
                              .put("server", r.getString(1))));
              return out;
            });
  }

  public Future<Void> deadLetter(
      String alertId, String channel, String payload, int attempts, String lastError) {
    return pool.preparedQuery(DEAD_LETTER)
        .execute(Tuple.of(alertId, channel, payload, attempts, lastError))
        .mapEmpty();
  }

  public Future<JsonArray> deadLetters(int limit) {
    return pool.preparedQuery(DEAD_LETTERS)
        .execute(Tuple.of(limit))
        .map(
            rows -> {
              JsonArray out = new JsonArray();
              for (Row r : rows) {
                out.add(
                    new JsonObject()
                        .put("id", r.getLong(0))
                        .put("alert_id", r.getString(1))
                        .put("channel", r.getString(2))
                        .put("payload", r.getString(3))
                        .put("attempts", r.getInteger(4))
                        .put("last_error", r.getString(5))
                        .put(
                            "created_at",
                            dev.trainwatch.bus.Json.ts(r.getOffsetDateTime(6).toInstant())));
              }
              return out;
            });
  }

  /** Rule definitions as stored (validated before they were stored, and again when loaded). */
  public Future<JsonArray> rules() {
    return pool.query(RULES)
        .execute()
        .map(
            rows -> {
              JsonArray out = new JsonArray();
              rows.forEach(r -> out.add(new JsonObject(r.getString(0))));
              return out;
            });
  }

  public Future<Void> putRule(Rule rule, String by) {
    return pool.preparedQuery(PUT_RULE)
        .execute(Tuple.of(rule.name(), rule.toJson().encode(), by))
        .mapEmpty();
  }

  public Future<Boolean> deleteRule(String name) {
    return pool.preparedQuery(DELETE_RULE).execute(Tuple.of(name)).map(rows -> rows.rowCount() > 0);
  }

  public Future<JsonArray> xidEvents(String server, Instant since, int limit) {
    return pool.preparedQuery(XID_EVENTS)
        .execute(Tuple.of(server, utc(since), limit))
        .map(
            rows -> {
              JsonArray out = new JsonArray();
              for (Row r : rows) {
                JsonObject o =
                    new JsonObject()
                        .put("server", r.getString(0))
                        .put("gpu_index", r.getInteger(1));
                if (r.getString(2) != null) {
                  o.put("gpu_uuid", r.getString(2));
                }
                long xid = r.getLong(3);
                out.add(
                    o.put("xid", xid)
                        .put("meaning", Xid.meaning(xid))
                        .put("ts", dev.trainwatch.bus.Json.ts(r.getOffsetDateTime(4).toInstant())));
              }
              return out;
            });
  }

  private static List<Alert> alerts(Iterable<Row> rows) {
    List<Alert> out = new ArrayList<>();
    rows.forEach(r -> out.add(alert(r)));
    return out;
  }

  static Alert alert(Row r) {
    int gpu = r.getInteger(4);
    return new Alert(
        r.getString(0),
        r.getString(1),
        Severity.parse(r.getString(2)),
        r.getString(3),
        gpu < 0 ? null : gpu,
        Alert.State.parse(r.getString(5)),
        "ack".equals(r.getString(6)) ? Rule.Resolve.ACK : Rule.Resolve.AUTO,
        unjson(r.getString(7)),
        unjson(r.getString(8)),
        r.getString(9),
        instant(r.getOffsetDateTime(10)),
        instant(r.getOffsetDateTime(11)),
        instant(r.getOffsetDateTime(12)),
        r.getString(13),
        instant(r.getOffsetDateTime(14)));
  }

  private static String json(Object v) {
    // JSON has no NaN or infinity; a value that is not a number is not a reading.
    if (v == null || (v instanceof Double d && !Double.isFinite(d))) {
      return null;
    }
    return Json.encode(v);
  }

  private static Object unjson(String s) {
    if (s == null) {
      return null;
    }
    Object v = Json.decodeValue(s);
    return v instanceof Number n ? (Object) n.doubleValue() : v;
  }

  private static OffsetDateTime utc(Instant t) {
    return t == null ? null : t.atOffset(ZoneOffset.UTC);
  }

  private static Instant instant(OffsetDateTime t) {
    return t == null ? null : t.toInstant();
  }
}
