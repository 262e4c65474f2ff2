package dev.trainwatch.history.write;

import dev.trainwatch.bus.FailureCode;
import dev.trainwatch.bus.derived.DerivedSnapshot;
import dev.trainwatch.history.layout.Layout;
import dev.trainwatch.history.registry.RegistryRows;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Batches snapshot inserts, one transaction at a time (group commit): what arrives while a
 * transaction is in flight goes out together in the next one, as soon as it commits or when {@code
 * batchMax} are waiting. An idle writer writes at once (after the current event-loop turn, so that
 * one burst is one batch), or {@code flushMs} later when that is set above 0. Batches thus grow
 * with load by themselves and a lone snapshot is never held back by a timer: with a fixed linger,
 * closed-loop agents spent most of their time waiting for it. A write's future completes only after
 * its transaction committed, with {@code true} when stored and {@code false} for a repeat of
 * (server, boot_id, seq).
 *
 * <p>When Postgres is unreachable the batch goes back to the head of the queue and is retried with
 * backoff, so a restart of Postgres costs latency, not data. The queue (in flight included) is
 * bounded: past {@code bufferMax} a write fails at once with {@link FailureCode#UNAVAILABLE} and
 * ingest answers 503. A batch Postgres rejects for its content (not for being unreachable) fails
 * its writes instead of blocking the queue forever.
 *
 * <p>Every write also has a deadline ({@code deadlineMs}): an agent must hear 503 within 2 s when
 * Postgres is stopped or frozen (issue 13), so that it keeps the snapshot and retries, instead of
 * waiting on a request that may never end. A write past its deadline fails with UNAVAILABLE and, if
 * still queued, is dropped (the sender resends it; one already in a transaction may still commit,
 * and the resend is then a duplicate). A transaction Postgres has not finished after {@code
 * stuckMs} (a frozen server, a black-holed connection: TCP would wait ~15 min) is abandoned with
 * its connection, and the writer reconnects.
 */
public final class SnapshotWriter {
  private static final Logger LOG = LoggerFactory.getLogger(SnapshotWriter.class);
  private static final long MAX_BACKOFF_MS = 5_000;

  /**
   * {@link #timer} values besides a timer id: no flush scheduled, or one queued on the event loop.
   */
  private static final long NONE = -1, NEXT_TURN = -2;

  private record Pending(
      SampleRows.Row row,
      Tuple seen,
      DeviceRows.Inventory devices,
      List<Tuple> xids,
      Promise<Boolean> done,
      long deadlineNanos) {}

  private record Key(long boot, long seq) {}

  /** What the registry last got for a server, and when (System.nanoTime). */
  private record SeenMark(List<Object> values, long atNanos) {}

  /**
   * How stale {@code last_seen_at} may get before it is written again: a row version per snapshot
   * was Postgres's largest single cost with one snapshot per request. Far below {@link
   * dev.trainwatch.bus.ServerInfo#STALE_AFTER}.
   */
  static final long SEEN_EVERY_NANOS = 2_000_000_000L;

  private final Vertx vertx;
  private final Supplier<Pool> connect;
  private Pool pool;
  private final int batchMax;
  private final long flushMs;
  private final int bufferMax;
  private final long retryMs;
  private final long deadlineNanos;
  private final long stuckNanos;
  private final long sweepTimer;
  private long inflightSinceNanos;
  private final ArrayDeque<Pending> queue = new ArrayDeque<>();
  private final Set<LocalDate> partitions = new HashSet<>();
  private final Map<String, DeviceRows.Inventory> devices = new HashMap<>();
  private final Map<String, SeenMark> seenWritten = new HashMap<>();

  /**
   * Per boot, the highest seq known to be stored. An agent's live snapshots come with ever higher
   * seqs, so only a row at or below this mark (a replay) needs the statement's look across every
   * partition for its (boot, seq): checking all of them cost a fifth of ingest throughput. Seeded
   * from Postgres the first time a boot is seen, raised by what this writer commits; a mark can
   * only be too low (retention dropped rows), which costs a look, never a duplicate. With other
   * history nodes writing too ({@link #shared}) marks could miss their rows, so every row is looked
   * up.
   */
  private final Map<Long, Long> highestSeq =
      new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Long> eldest) {
          return size() > MAX_BOOTS_TRACKED;
        }
      };

  /**
   * Boots whose mark is remembered: a fleet of 1,000 hosts has 1,000 live boots; a forgotten one is
   * seeded again.
   */
  static final int MAX_BOOTS_TRACKED = 20_000;

  private final boolean shared;
  private List<Pending> inflight = List.of();
  private long timer = NONE;
  private long backoffMs;
  private boolean writing;
  private boolean partitionRetried;
  private boolean closed;

  /** How the writer's knobs are set: {@code docs/configuration.md} has each one's reason. */
  public record Settings(
      int batchMax,
      long flushMs,
      int bufferMax,
      long retryMs,
      long deadlineMs,
      long stuckMs,
      boolean shared) {}

  /**
   * @param connect makes the writer's own pool of one connection (sharing the query pool queued
   *     writes, acknowledged only when durable, behind dashboards' reads); called again when a
   *     transaction is abandoned as stuck
   */
  public SnapshotWriter(Vertx vertx, Supplier<Pool> connect, Settings s) {
    this.vertx = vertx;
    this.connect = connect;
    this.pool = connect.get();
    this.batchMax = s.batchMax();
    this.flushMs = s.flushMs();
    this.bufferMax = s.bufferMax();
    this.retryMs = s.retryMs();
    this.deadlineNanos = TimeUnit.MILLISECONDS.toNanos(s.deadlineMs());
    this.stuckNanos = TimeUnit.MILLISECONDS.toNanos(s.stuckMs());
    this.shared = s.shared();
    long every = Math.max(10, Math.min(250, s.deadlineMs() / 4));
    this.sweepTimer = vertx.setPeriodic(every, id -> sweep());
  }

  /** Must be called on the owning verticle's context. */
  public Future<Boolean> write(DerivedSnapshot s) {
    if (closed || queued() >= bufferMax) {
      return Future.failedFuture(
          FailureCode.UNAVAILABLE.exception("history write buffer full (" + bufferMax + ")"));
    }
    SampleRows.Row row =
        new SampleRows.Row(
            s.server(),
            SampleRows.utc(s.ts()),
            s.seq(),
            Layout.bootKey(s.server(), s.bootId()),
            s.gap(),
            s.bottleneck() == null ? null : s.bottleneck().label(),
            Layout.encode(s));
    Promise<Boolean> p = Promise.promise();
    queue.add(
        new Pending(
            row,
            RegistryRows.seen(s),
            DeviceRows.of(s),
            XidRows.of(s, row.boot()),
            p,
            System.nanoTime() + deadlineNanos));
    if (queue.size() >= batchMax) {
      flush();
    } else if (timer == NONE && !writing) {
      if (flushMs == 0) {
        timer = NEXT_TURN;
        vertx.runOnContext(
            v -> {
              if (timer == NEXT_TURN) {
                timer = NONE;
                flush();
              }
            });
      } else {
        timer =
            vertx.setTimer(
                flushMs,
                id -> {
                  timer = NONE;
                  flush();
                });
      }
    }
    return p.future();
  }

  public int queued() {
    return queue.size() + inflight.size();
  }

  /**
   * Retention dropped these days' partitions: a late write for one of them has to create it again.
   */
  public void forgetPartitions(Set<LocalDate> days) {
    partitions.removeAll(days);
  }

  /**
   * Fails what is still queued (the senders have not been acknowledged and will resend) and closes
   * the pool.
   */
  public Future<Void> close() {
    closed = true;
    vertx.cancelTimer(sweepTimer);
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
    timer = NONE;
    for (Pending p : queue) {
      p.done.tryFail(FailureCode.UNAVAILABLE.exception("history stopping"));
    }
    queue.clear();
    return pool.close();
  }

  /**
   * Transactions given up as stuck, by every writer of this JVM: the process's self-metric, which a
   * second verticle instance (or a redeployment) must not shadow with a counter of its own.
   */
  public static final AtomicLong ABANDONED = new AtomicLong();

  /**
   * Fails writes past their deadline, oldest first (the queue's head is its oldest part: a batch
   * put back after a failure is older than anything behind it), and gives up a transaction that has
   * hung for {@code stuckNanos}.
   */
  private void sweep() {
    long now = System.nanoTime();
    for (Pending p : inflight) {
      if (now - p.deadlineNanos >= 0) {
        p.done.tryFail(FailureCode.UNAVAILABLE.exception("storage did not commit in time"));
      }
    }
    while (!queue.isEmpty() && now - queue.peek().deadlineNanos >= 0) {
      queue
          .poll()
          .done
          .tryFail(FailureCode.UNAVAILABLE.exception("storage did not commit in time"));
    }
    if (!inflight.isEmpty() && now - inflightSinceNanos >= stuckNanos) {
      ABANDONED.incrementAndGet();
      LOG.warn(
          "a history transaction has not finished in {} ms: abandoning its connection and reconnecting",
          TimeUnit.NANOSECONDS.toMillis(now - inflightSinceNanos));
      Pool stuck = pool;
      pool = connect.get();
      // Whatever the abandoned batch's outcome, done() ignores it: its writers have failed above
      // and will resend.
      inflight = List.of();
      writing = false;
      stuck.close();
      flush();
    }
  }

  private void flush() {
    if (writing || queue.isEmpty() || closed) {
      return;
    }
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
    timer = NONE;
    List<Pending> batch = new ArrayList<>(Math.min(batchMax, queue.size()));
    while (batch.size() < batchMax && !queue.isEmpty()) {
      batch.add(queue.poll());
    }
    writing = true;
    inflight = batch;
    inflightSinceNanos = System.nanoTime();
    Map<String, Tuple> seen = registryUpdates(batch);
    Pool on = pool;
    seedMarks(on, batch)
        .compose(v -> ensurePartitions(on, batch))
        .compose(v -> on.withTransaction(conn -> insert(conn, batch, seen)))
        .onComplete(
            ar -> {
              if (inflight == batch) { // not abandoned by sweep()
                done(batch, seen, ar.succeeded() ? ar.result() : null, ar.cause());
              }
            });
  }

  private void done(
      List<Pending> batch, Map<String, Tuple> seenWrites, Set<Key> storedKeys, Throwable failure) {
    writing = false;
    inflight = List.of();
    if (failure == null) {
      if (backoffMs > 0) {
        LOG.info("history writes recovered");
        backoffMs = 0;
      }
      Set<Key> seen = new HashSet<>();
      long now = System.nanoTime();
      seenWrites.forEach((server, t) -> seenWritten.put(server, new SeenMark(values(t), now)));
      partitionRetried = false;
      for (Pending p : batch) {
        Key k = new Key(p.row.boot(), p.row.seq());
        // Within one batch only the first of two equal snapshots is the stored one.
        boolean stored = storedKeys.contains(k) && seen.add(k);
        if (!stored) {
          // A replay, or a row the insert could not join to its server (the servers row deleted by
          // hand): the next
          // batch writes the registry row again instead of waiting out SEEN_EVERY_NANOS.
          seenWritten.remove(p.row.server());
        }
        if (stored) {
          highestSeq.merge(k.boot(), k.seq(), Math::max);
        }
        p.done.tryComplete(stored);
        devices.put(p.row.server(), p.devices);
      }
      flush();
    } else if ((transientFailure(failure) || (missingPartition(failure) && !partitionRetried))
        && !closed) {
      if (missingPartition(failure)) {
        // Retention dropped a day between our check and the insert (a replay of old data, or a
        // clock far behind):
        // the retry makes the partition again. Once: if that does not cure it, the batch fails
        // below.
        partitions.clear();
        partitionRetried = true;
      }
      for (int i = batch.size() - 1; i >= 0; i--) {
        if (!batch
            .get(i)
            .done
            .future()
            .isComplete()) { // past its deadline: the sender was told 503 and resends
          queue.addFirst(batch.get(i));
        }
      }
      backoffMs = backoffMs == 0 ? retryMs : Math.min(MAX_BACKOFF_MS, backoffMs * 2);
      LOG.warn(
          "history write failed, {} snapshots kept, retrying in {} ms: {}",
          queue.size(),
          backoffMs,
          failure.toString());
      writing = true; // no flush by size while backing off
      vertx.setTimer(
          backoffMs,
          id -> {
            writing = false;
            flush();
          });
    } else {
      LOG.error("history batch of {} rejected by Postgres", batch.size(), failure);
      for (Pending p : batch) {
        p.done.tryFail(FailureCode.UNAVAILABLE.exception("storage rejected the batch"));
      }
      flush();
    }
  }

  /** Reads the stored high-water seq of each boot in the batch this writer has no mark for. */
  private Future<Void> seedMarks(Pool on, List<Pending> batch) {
    if (shared) {
      return Future.succeededFuture();
    }
    Set<Long> unknown = new HashSet<>();
    for (Pending p : batch) {
      if (!highestSeq.containsKey(p.row.boot())) {
        unknown.add(p.row.boot());
      }
    }
    if (unknown.isEmpty()) {
      return Future.succeededFuture();
    }
    return on.preparedQuery(SampleRows.HIGHEST_SEQ)
        .execute(Tuple.tuple().addArrayOfLong(unknown.toArray(Long[]::new)))
        .map(
            rows -> {
              for (Row r : rows) {
                Long max = r.getLong(1);
                highestSeq.put(r.getLong(0), max == null ? Long.MIN_VALUE : max);
              }
              return null;
            });
  }

  private Future<Void> ensurePartitions(Pool on, List<Pending> batch) {
    Set<LocalDate> missing = new HashSet<>();
    for (Pending p : batch) {
      LocalDate day = p.row.ts().atZoneSameInstant(ZoneOffset.UTC).toLocalDate();
      if (!partitions.contains(day)) {
        missing.add(day);
      }
    }
    if (missing.isEmpty()) {
      return Future.succeededFuture();
    }
    return on.preparedQuery(SampleRows.ENSURE_PARTITIONS)
        .execute(Tuple.tuple().addArrayOfLocalDate(missing.toArray(LocalDate[]::new)))
        .map(
            rows -> {
              partitions.addAll(missing);
              return null;
            });
  }

  /**
   * The registry rows this batch must write: each server's newest sighting, unless the row was
   * written less than {@link #SEEN_EVERY_NANOS} ago with the same values.
   */
  private Map<String, Tuple> registryUpdates(List<Pending> batch) {
    Map<String, Tuple> seen = new LinkedHashMap<>();
    for (Pending p : batch) {
      seen.put(p.row.server(), p.seen);
    }
    long now = System.nanoTime();
    seen.values()
        .removeIf(
            t -> {
              SeenMark last = seenWritten.get(t.getString(0));
              return last != null
                  && last.values.equals(values(t))
                  && now - last.atNanos < SEEN_EVERY_NANOS;
            });
    return seen;
  }

  private Future<Set<Key>> insert(
      SqlConnection conn, List<Pending> batch, Map<String, Tuple> seen) {
    Set<String> servers = new HashSet<>();
    Set<Key> keys = new HashSet<>();
    List<Tuple> inventories = new ArrayList<>();
    List<Tuple> xids = new ArrayList<>();
    List<SampleRows.Row> rows = new ArrayList<>(batch.size());
    for (Pending p : batch) {
      xids.addAll(p.xids);
      String server = p.row.server();
      if (servers.add(server) && !p.devices.equals(devices.get(server))) {
        inventories.add(p.devices.tuple(server));
      }
      // The statement's duplicate check cannot see its own rows: a repeat within the batch is left
      // out here.
      if (keys.add(new Key(p.row.boot(), p.row.seq()))) {
        rows.add(p.row);
      }
    }
    Boolean[] probe = new Boolean[rows.size()];
    for (int i = 0; i < probe.length; i++) {
      SampleRows.Row r = rows.get(i);
      probe[i] = shared || r.seq() <= highestSeq.getOrDefault(r.boot(), Long.MAX_VALUE);
    }
    // Sent together without waiting (the connection pipelines them) and run by Postgres in this
    // order.
    List<Future<?>> steps = new ArrayList<>(4);
    if (shared) {
      steps.add(
          conn.preparedQuery(SampleRows.LOCK_BOOTS)
              .execute(
                  Tuple.tuple()
                      .addArrayOfLong(
                          rows.stream().map(SampleRows.Row::boot).toArray(Long[]::new))));
    }
    if (!seen.isEmpty()) {
      steps.add(conn.preparedQuery(RegistryRows.SEEN).executeBatch(new ArrayList<>(seen.values())));
    }
    if (!inventories.isEmpty()) {
      steps.add(conn.preparedQuery(DeviceRows.UPSERT).executeBatch(inventories));
    }
    if (!xids.isEmpty()) {
      steps.add(conn.preparedQuery(XidRows.INSERT).executeBatch(xids));
    }
    Future<RowSet<Row>> inserted =
        conn.preparedQuery(SampleRows.INSERT).execute(SampleRows.tuple(rows, probe));
    steps.add(inserted);
    return Future.all(steps)
        .map(
            v -> {
              Set<Key> stored = new HashSet<>();
              for (Row r : inserted.result()) {
                stored.add(new Key(r.getLong(0), r.getLong(1)));
              }
              return stored;
            });
  }

  private static List<Object> values(Tuple t) {
    List<Object> out = new ArrayList<>(t.size());
    for (int i = 0; i < t.size(); i++) {
      out.add(t.getValue(i));
    }
    return out;
  }

  /**
   * "no partition of relation samples found for row": check_violation raised by partition routing.
   */
  static boolean missingPartition(Throwable t) {
    return t instanceof PgException pg
        && "23514".equals(pg.getSqlState())
        && pg.getMessage() != null
        && pg.getMessage().contains("no partition");
  }

  /**
   * Postgres unreachable, restarting, or out of resources: worth retrying. A SQL error about the
   * data (class 22, 23, 42…) would fail the same way every time.
   */
  static boolean transientFailure(Throwable t) {
    if (t instanceof PgException pg && pg.getSqlState() != null) {
      String cls = pg.getSqlState().substring(0, 2);
      return List.of("08", "40", "53", "55", "57", "58").contains(cls);
    }
    return true;
  }
}
