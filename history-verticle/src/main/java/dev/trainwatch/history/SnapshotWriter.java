package dev.trainwatch.history;

import dev.trainwatch.bus.FailureCode;
import dev.trainwatch.bus.derived.DerivedSnapshot;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Batches snapshot inserts: a batch goes out when {@code batchMax} are waiting or {@code flushMs} after the first
 * arrived, one transaction at a time. Each write's future completes only after its transaction committed, with
 * {@code true} when stored and {@code false} when it was a duplicate of (server, boot_id, seq). The queue is bounded:
 * past {@code bufferMax} a write fails at once with {@link FailureCode#UNAVAILABLE} so ingest can answer 503 rather
 * than grow memory. A failed transaction fails its writes with UNAVAILABLE: nothing is acknowledged that is not
 * committed, and the agent keeps and resends the data.
 */
final class SnapshotWriter {
  private static final Logger LOG = LoggerFactory.getLogger(SnapshotWriter.class);

  private record Pending(DerivedSnapshot snapshot, Promise<Boolean> done) {}

  private final Vertx vertx;
  private final Pool pool;
  private final int batchMax;
  private final long flushMs;
  private final int bufferMax;
  private final ArrayDeque<Pending> queue = new ArrayDeque<>();
  private long timer = -1;
  private boolean writing;
  private boolean failing;

  SnapshotWriter(Vertx vertx, Pool pool, int batchMax, long flushMs, int bufferMax) {
    this.vertx = vertx;
    this.pool = pool;
    this.batchMax = batchMax;
    this.flushMs = flushMs;
    this.bufferMax = bufferMax;
  }

  /** Must be called on the owning verticle's context. */
  Future<Boolean> write(DerivedSnapshot s) {
    if (queue.size() >= bufferMax) {
      return Future.failedFuture(FailureCode.UNAVAILABLE.exception("history write buffer full (" + bufferMax + ")"));
    }
    Promise<Boolean> p = Promise.promise();
    queue.add(new Pending(s, p));
    if (queue.size() >= batchMax) {
      flush();
    } else if (timer < 0 && !writing) {
      timer = vertx.setTimer(flushMs, id -> {
        timer = -1;
        flush();
      });
    }
    return p.future();
  }

  int queued() {
    return queue.size();
  }

  private void flush() {
    if (writing || queue.isEmpty()) {
      return;
    }
    if (timer >= 0) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
    List<Pending> batch = new ArrayList<>(Math.min(batchMax, queue.size()));
    while (batch.size() < batchMax && !queue.isEmpty()) {
      batch.add(queue.poll());
    }
    writing = true;
    pool.withTransaction(conn -> insert(conn, batch)).onComplete(ar -> {
      writing = false;
      if (ar.succeeded()) {
        if (failing) {
          LOG.info("history writes recovered");
          failing = false;
        }
        List<Boolean> stored = ar.result();
        for (int i = 0; i < batch.size(); i++) {
          batch.get(i).done.complete(stored.get(i));
        }
      } else {
        if (!failing) {
          LOG.warn("history write failed, answering 'unavailable' until storage recovers: {}", ar.cause().toString());
          failing = true;
        }
        for (Pending p : batch) {
          p.done.fail(FailureCode.UNAVAILABLE.exception("storage unavailable"));
        }
      }
      if (!queue.isEmpty()) {
        flush();
      }
    });
  }

  private Future<List<Boolean>> insert(SqlConnection conn, List<Pending> batch) {
    Map<String, Tuple> seen = new LinkedHashMap<>();
    List<Tuple> rows = new ArrayList<>(batch.size());
    for (Pending p : batch) {
      seen.put(p.snapshot.server(), RegistryRows.seen(p.snapshot));
      rows.add(SnapshotRows.tuple(p.snapshot));
    }
    return conn.preparedQuery(RegistryRows.SEEN).executeBatch(new ArrayList<>(seen.values()))
        .compose(v -> conn.preparedQuery(SnapshotRows.INSERT).executeBatch(rows))
        .map(SnapshotWriter::insertedFlags);
  }

  /** executeBatch chains one RowSet per tuple; RETURNING yields a row only when the insert was not a duplicate. */
  private static List<Boolean> insertedFlags(RowSet<Row> first) {
    List<Boolean> out = new ArrayList<>();
    for (RowSet<Row> rs = first; rs != null; rs = rs.next()) {
      out.add(rs.rowCount() > 0);
    }
    return out;
  }
}
