package dev.trainwatch.alerts;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgConnection;
import io.vertx.sqlclient.Tuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Exactly one evaluator at a time, across every process on the same Postgres: the holder of a
 * session advisory lock on a connection of its own. Postgres releases the lock when that session
 * ends, so a crashed or partitioned leader (its TCP connection gone) hands over without any timeout
 * of ours, and the database every alert is written to is the one that decides. Non-leaders try
 * again every {@code retryMs}.
 *
 * <p>The two-int4 lock key lives in a key space apart from the single-int8 keys the history writer
 * locks boots with.
 */
final class Leadership {
  private static final Logger LOG = LoggerFactory.getLogger(Leadership.class);

  /** 'twal' (Trainwatch alerts) and the evaluator role. */
  static final int LOCK_CLASS = 0x7477616c;

  static final int EVALUATOR = 1;

  interface Listener {
    void gained();

    void lost();
  }

  private final Vertx vertx;
  private final PgConnectOptions options;
  private final long retryMs;
  private final Listener listener;
  private PgConnection conn;
  private boolean leader;
  private boolean trying;
  private boolean closed;
  private long timer = -1;

  Leadership(Vertx vertx, PgConnectOptions options, long retryMs, Listener listener) {
    this.vertx = vertx;
    this.options = options;
    this.retryMs = retryMs;
    this.listener = listener;
  }

  /**
   * Completes once the first attempt is over: true if this node took the lock (and {@code gained()}
   * ran).
   */
  Future<Boolean> start() {
    Future<Boolean> first = attempt();
    timer = vertx.setPeriodic(retryMs, id -> attempt());
    return first;
  }

  boolean leader() {
    return leader;
  }

  /**
   * The session that holds the lock, while it does: the evaluator writes on it (a fence: no
   * session, no writes).
   */
  PgConnection connection() {
    return leader ? conn : null;
  }

  private Future<Boolean> attempt() {
    if (leader) {
      check();
      return Future.succeededFuture(true);
    }
    if (trying || closed) {
      return Future.succeededFuture(false);
    }
    trying = true;
    return session()
        .compose(
            c ->
                c.preparedQuery("SELECT pg_try_advisory_lock($1, $2)")
                    .execute(Tuple.of(LOCK_CLASS, EVALUATOR))
                    .map(rows -> rows.iterator().next().getBoolean(0)))
        .map(
            taken -> {
              trying = false;
              if (taken && !closed) {
                leader = true;
                LOG.info("this node now evaluates alert rules");
                listener.gained();
                return true;
              }
              return false;
            })
        .recover(
            e -> {
              trying = false;
              LOG.debug("alert leadership attempt failed: {}", e.toString());
              return Future.succeededFuture(false);
            });
  }

  /**
   * The leader's session is asked every {@code retryMs} whether it is alive: a half-open connection
   * (a partition, a host gone without a FIN) would otherwise keep the lock on the Postgres side and
   * the role on ours for as long as TCP keepalive takes. No answer in time: resign, and let whoever
   * can reach Postgres take over.
   */
  private void check() {
    PgConnection c = conn;
    if (c == null || trying) {
      return;
    }
    trying = true;
    long timeout =
        vertx.setTimer(
            Math.max(1_000, retryMs),
            id -> {
              if (conn == c && leader) {
                LOG.warn(
                    "the alert evaluator's Postgres session did not answer in time; giving up the role");
                resign();
                listener.lost();
              }
            });
    c.query("SELECT 1")
        .execute()
        .onComplete(
            ar -> {
              trying = false;
              vertx.cancelTimer(timeout);
              if (ar.failed() && conn == c && leader) {
                LOG.warn(
                    "the alert evaluator's Postgres session failed ({}); giving up the role",
                    ar.cause().toString());
                resign();
                listener.lost();
              }
            });
  }

  private Future<PgConnection> session() {
    if (conn != null) {
      return Future.succeededFuture(conn);
    }
    return PgConnection.connect(vertx, options)
        .compose(
            c -> {
              if (closed) {
                // Closed while connecting: this session must not take (and keep) the lock for a
                // verticle that is gone.
                return c.close().compose(v -> Future.failedFuture("closed"));
              }
              return Future.succeededFuture(c);
            })
        .onSuccess(
            c -> {
              conn = c;
              c.closeHandler(
                  v -> {
                    conn = null;
                    if (leader) {
                      leader = false;
                      LOG.warn(
                          "lost the alert evaluator lock (Postgres connection closed); will try to take it again");
                      listener.lost();
                    }
                  });
            });
  }

  /**
   * Lets another node (or a later attempt of ours) take over: closing the session releases the
   * lock.
   */
  void resign() {
    leader = false;
    PgConnection c = conn;
    conn = null;
    if (c != null) {
      c.close();
    }
  }

  Future<Void> close() {
    closed = true;
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
    leader = false;
    PgConnection c = conn;
    conn = null;
    return c == null ? Future.succeededFuture() : c.close();
  }
}
