package dev.trainwatch.alerts;

import dev.trainwatch.alerts.eval.Change;
import dev.trainwatch.alerts.notify.Notice;
import dev.trainwatch.alerts.store.AlertStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.SqlConnection;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stores the evaluator's changes, one batch (one transaction) at a time, and only then lets them
 * out: published on the bus and notified. Only an alert's newest version is written (the row is
 * written whole), but every version is published in order: pending, firing and resolved judged in
 * one batch (a replayed backlog) are three state changes for the dashboard, not one.
 *
 * <p>Writes go through the session that holds the evaluator's lock ({@code connection}), so a node
 * that lost the lock cannot write what it judged before it knew: {@link #reset()} drops what waits,
 * and an in-flight write on the dead session fails. A row an acknowledgement resolved meanwhile is
 * not overwritten; the evaluator is told to forget it ({@code refused}) and nothing is published
 * for it.
 */
final class ChangeWriter {
  private static final Logger LOG = LoggerFactory.getLogger(ChangeWriter.class);

  /** A fleet flapping while Postgres is down for hours must not take the heap with it. */
  static final int MAX_WAITING = 50_000;

  private static final class Waiting {
    Alert latest;
    final List<Alert> versions = new ArrayList<>(1);
    final List<Notice> toNotify = new ArrayList<>(1);
  }

  private final Vertx vertx;
  private final Supplier<SqlConnection> connection;
  private final Consumer<Alert> published;
  private final Consumer<Notice> notified;
  private final Consumer<Alert> refused;
  private final long retryMs;
  private LinkedHashMap<String, Waiting> waiting = new LinkedHashMap<>();
  private boolean writing;
  private boolean retryScheduled;
  private long generation;
  private long dropped;

  ChangeWriter(
      Vertx vertx,
      Supplier<SqlConnection> connection,
      Consumer<Alert> published,
      Consumer<Notice> notified,
      Consumer<Alert> refused,
      long retryMs) {
    this.vertx = vertx;
    this.connection = connection;
    this.published = published;
    this.notified = notified;
    this.refused = refused;
    this.retryMs = retryMs;
  }

  void add(List<Change> changes) {
    if (changes.isEmpty()) {
      return;
    }
    for (Change c : changes) {
      Waiting w = waiting.get(c.alert().id());
      if (w == null) {
        if (waiting.size() >= MAX_WAITING) {
          dropped++;
          continue;
        }
        waiting.put(c.alert().id(), w = new Waiting());
      }
      w.latest = c.alert();
      w.versions.add(c.alert());
      if (c.notifies()) {
        w.toNotify.add(new Notice(c.alert(), c.event()));
      }
    }
    flush();
  }

  /** The lock is gone: what waits was judged by an evaluator that no longer is one. */
  void reset() {
    generation++;
    waiting = new LinkedHashMap<>();
    writing = false;
  }

  long dropped() {
    return dropped;
  }

  private void flush() {
    SqlConnection conn = connection.get();
    if (writing || waiting.isEmpty() || conn == null) {
      return;
    }
    writing = true;
    long gen = generation;
    LinkedHashMap<String, Waiting> batch = waiting;
    waiting = new LinkedHashMap<>();
    List<Alert> rows = batch.values().stream().map(w -> w.latest).toList();
    AlertStore.upsert(conn, rows)
        .recover(e -> isConstraint(e) ? oneByOne(conn, rows) : Future.failedFuture(e))
        .onComplete(
            ar -> {
              if (gen != generation) {
                return;
              }
              writing = false;
              if (ar.succeeded()) {
                let(batch, ar.result());
                flush();
                return;
              }
              LOG.warn(
                  "storing {} alert changes failed, will retry: {}",
                  batch.size(),
                  ar.cause().toString());
              requeue(batch);
            });
  }

  private void let(Map<String, Waiting> batch, Set<String> taken) {
    for (Waiting w : batch.values()) {
      // Deleted (a pending that did not last) counts as stored: its frames still tell the dashboard
      // it ended.
      boolean stored =
          taken.contains(w.latest.id())
              || (w.latest.state() == Alert.State.RESOLVED && w.latest.firedAt() == null);
      if (stored) {
        w.versions.forEach(published);
        w.toNotify.forEach(notified);
      } else {
        refused.accept(w.latest);
      }
    }
  }

  /**
   * Postgres refused the batch (a constraint: two open alerts of one key, state this evaluator did
   * not know of; or a value it cannot take). Each row on its own, so one bad row costs itself, not
   * its neighbours.
   */
  private Future<Set<String>> oneByOne(SqlConnection conn, List<Alert> rows) {
    Set<String> taken = new HashSet<>();
    Future<Void> chain = Future.succeededFuture();
    for (Alert a : rows) {
      chain =
          chain.compose(
              v ->
                  AlertStore.upsertOne(conn, a)
                      .map(
                          ok -> {
                            if (ok) {
                              taken.add(a.id());
                            }
                            return (Void) null;
                          })
                      .recover(
                          e -> {
                            if (!isConstraint(e)) {
                              return Future.failedFuture(e);
                            }
                            dropped++;
                            LOG.error(
                                "alert {} ({} on {}) refused by Postgres, dropped: {}",
                                a.id(),
                                a.rule(),
                                a.server(),
                                e.getMessage());
                            return Future.succeededFuture();
                          }));
    }
    return chain.map(v -> taken);
  }

  private void requeue(LinkedHashMap<String, Waiting> batch) {
    // Older first: a resolve must reach Postgres before the next alert of its key opens.
    for (Map.Entry<String, Waiting> e : waiting.entrySet()) {
      Waiting older = batch.get(e.getKey());
      if (older == null) {
        batch.put(e.getKey(), e.getValue());
      } else {
        older.latest = e.getValue().latest;
        older.versions.addAll(e.getValue().versions);
        older.toNotify.addAll(e.getValue().toNotify);
      }
    }
    waiting = batch;
    if (!retryScheduled) {
      retryScheduled = true;
      vertx.setTimer(
          retryMs,
          id -> {
            retryScheduled = false;
            flush();
          });
    }
  }

  /**
   * Postgres refused the rows themselves (a constraint, bad data, a statement it cannot run): the
   * same rows would be refused forever, and behind them every later change. Connection and resource
   * errors are retried instead.
   */
  private static boolean isConstraint(Throwable e) {
    return e instanceof PgException pg
        && pg.getSqlState() != null
        && List.of("22", "23", "42").contains(pg.getSqlState().substring(0, 2));
  }
}
