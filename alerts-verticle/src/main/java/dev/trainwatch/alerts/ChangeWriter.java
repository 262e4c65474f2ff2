package dev.trainwatch.alerts;

import dev.trainwatch.alerts.eval.Change;
import dev.trainwatch.alerts.store.AlertStore;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stores the evaluator's changes, one batch (one transaction) at a time, and only then lets them out: published on
 * the bus and notified. While Postgres is down changes wait here. Only an alert's newest version is written (the
 * row is written whole), but every version is published in order: pending, firing and resolved arriving in one
 * batch (a replayed backlog) are three state changes for the dashboard, not one.
 */
final class ChangeWriter {
  private static final Logger LOG = LoggerFactory.getLogger(ChangeWriter.class);
  /** A fleet flapping while Postgres is down for hours must not take the heap with it. */
  static final int MAX_WAITING = 50_000;

  private static final class Waiting {
    Alert latest;
    final List<Alert> versions = new ArrayList<>(1);
    final List<Alert> toNotify = new ArrayList<>(1);
  }

  private final Vertx vertx;
  private final AlertStore store;
  private final Consumer<Alert> published;
  private final Consumer<Alert> notified;
  private final long retryMs;
  private LinkedHashMap<String, Waiting> waiting = new LinkedHashMap<>();
  private boolean writing;
  private boolean retryScheduled;
  private long dropped;

  ChangeWriter(Vertx vertx, AlertStore store, Consumer<Alert> published, Consumer<Alert> notified, long retryMs) {
    this.vertx = vertx;
    this.store = store;
    this.published = published;
    this.notified = notified;
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
        w.toNotify.add(c.alert());
      }
    }
    flush();
  }

  int waiting() {
    return waiting.size();
  }

  long dropped() {
    return dropped;
  }

  private void flush() {
    if (writing || waiting.isEmpty()) {
      return;
    }
    writing = true;
    LinkedHashMap<String, Waiting> batch = waiting;
    waiting = new LinkedHashMap<>();
    store.upsert(batch.values().stream().map(w -> w.latest).toList()).onComplete(ar -> {
      writing = false;
      if (ar.succeeded()) {
        for (Waiting w : batch.values()) {
          w.versions.forEach(published);
          w.toNotify.forEach(notified);
        }
        flush();
        return;
      }
      if (ar.cause() instanceof io.vertx.pgclient.PgException pg && pg.getSqlState() != null
          && pg.getSqlState().startsWith("23")) {
        // A constraint says these rows contradict what is stored (two open alerts of one key): retrying cannot help.
        LOG.error("dropped {} alert changes Postgres refuses: {}", batch.size(), pg.getMessage());
        dropped += batch.size();
        flush();
        return;
      }
      LOG.warn("storing {} alert changes failed, will retry: {}", batch.size(), ar.cause().toString());
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
        vertx.setTimer(retryMs, id -> {
          retryScheduled = false;
          flush();
        });
      }
    });
  }
}
