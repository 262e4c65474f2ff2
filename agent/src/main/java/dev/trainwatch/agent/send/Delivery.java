package dev.trainwatch.agent.send;

import dev.trainwatch.agent.spool.Spool;
import dev.trainwatch.agent.spool.SpoolRecord;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the spool to the server, oldest first, one request at a time: on 202 the cursor moves; on a
 * network error, a 5xx or a 429 the same records are tried again after a backoff (honouring
 * Retry-After) while sampling goes on into the spool; on any other 4xx the records are dropped,
 * counted, and the reason logged once. A backlog is replayed at no more than {@code
 * replayPerSecond} snapshots a second, so a fleet coming back does not flatten the server.
 *
 * <p>After any failure, and at start, the last acknowledged snapshot (the spool's anchor) goes
 * first in the next batch: the server answers it as a duplicate, but its rates service gets a
 * predecessor for the replayed samples even if it was restarted meanwhile, so the first of them
 * gets its rates too.
 *
 * <p>Confined to the context it was started on; the spool is touched only on the spool worker.
 */
public final class Delivery {
  private static final Logger LOG = LoggerFactory.getLogger(Delivery.class);

  /**
   * The cursor and anchor reach the disk at most this often (and at a clean stop): after a crash,
   * up to this much is sent again and answered as duplicates, which costs less than two file
   * replacements per sample.
   */
  private static final long CHECKPOINT_EVERY_NANOS = 5_000_000_000L;

  /**
   * @param replayPerSecond most snapshots sent per second while a backlog drains (and records per
   *     batch)
   */
  public record Settings(int replayPerSecond, Backoff backoff) {
    public Settings {
      if (replayPerSecond < 1) {
        throw new IllegalArgumentException("replay rate must be at least 1 snapshot per second");
      }
    }
  }

  private record Prepared(List<SpoolRecord> records, BatchBody body) {}

  /**
   * What one round came to: records handled (acknowledged or dropped), and what the spool still
   * holds.
   */
  private record Step(int handled, long pending) {
    static final Step RETRYING = new Step(-1, -1);
    static final Step EMPTY = new Step(0, 0);
  }

  private final Vertx vertx;
  private final WorkerExecutor spoolWorker;
  private final Spool spool;
  private final IngestClient client;
  private final Settings settings;

  /** Used on the spool worker only. */
  private final SnapshotPayload codec = new SnapshotPayload();

  private Context context;
  private boolean busy;
  private long timer = -1;
  private boolean closed;
  private boolean sendAnchor = true;

  /**
   * After a batch was refused as a whole, this many records go one by one so only the bad ones are
   * dropped.
   */
  private int singly;

  private int failuresInRow;

  /** The retried problem the last request ran into, or null while requests succeed. */
  private Problem failing;

  private long failingSinceNanos;

  /** The last non-retried refusal logged, so each kind is logged once until a 202 comes. */
  private String lastRefusal;

  private long lastCheckpointNanos = System.nanoTime();
  private long sentSnapshots;
  private long requests;
  private final Map<Problem, Long> dropped = new EnumMap<>(Problem.class);
  private long damagedRecords;

  public Delivery(
      Vertx vertx,
      WorkerExecutor spoolWorker,
      Spool spool,
      IngestClient client,
      Settings settings) {
    this.vertx = vertx;
    this.spoolWorker = spoolWorker;
    this.spool = spool;
    this.client = client;
    this.settings = settings;
  }

  /**
   * Binds to the calling context (a verticle's) and starts sending whatever the spool already
   * holds.
   */
  public void start() {
    context = vertx.getOrCreateContext();
    pumpIfIdle();
  }

  /**
   * Something was appended: send it unless a request or a backoff is already under way. Any thread.
   */
  public void wake() {
    Context c = context;
    if (c != null) {
      c.runOnContext(v -> pumpIfIdle());
    }
  }

  private void pumpIfIdle() {
    if (!busy && timer < 0 && !closed) {
      pump();
    }
  }

  private void pump() {
    busy = true;
    int max = singly > 0 ? 1 : Math.min(BatchBody.MAX_SNAPSHOTS, settings.replayPerSecond());
    boolean anchored = sendAnchor && singly == 0;
    long started = System.nanoTime();
    spoolWorker
        .executeBlocking(() -> prepare(max, anchored), true)
        .compose(p -> p == null ? Future.succeededFuture(Step.EMPTY) : send(p))
        .onComplete(
            ar -> {
              busy = false;
              if (closed) {
                return;
              }
              if (ar.failed()) {
                // The spool itself failed (disk full, permissions): retried like a network error.
                retryLater(Outcome.failed(Problem.UNAVAILABLE, 0, -1, "spool: " + ar.cause()));
                return;
              }
              Step step = ar.result();
              if (step.handled() < 0) {
                return; // a retry is scheduled
              }
              if (step.pending() == 0) {
                return; // nothing pending: the next append wakes us
              }
              long tookMs = (System.nanoTime() - started) / 1_000_000;
              long pacedMs =
                  Math.max(1, step.handled()) * 1000L / settings.replayPerSecond() - tookMs;
              if (pacedMs > 0) {
                timer =
                    vertx.setTimer(
                        pacedMs,
                        id -> {
                          timer = -1;
                          pumpIfIdle();
                        });
              } else {
                pump();
              }
            });
  }

  /** On the spool worker. Null when nothing is pending. */
  private Prepared prepare(int max, boolean anchored) throws Exception {
    List<SpoolRecord> records = spool.peek(max);
    if (records.isEmpty()) {
      return null;
    }
    List<byte[]> payloads = new ArrayList<>(records.size());
    for (SpoolRecord r : records) {
      payloads.add(r.payload());
    }
    BatchBody body =
        BatchBody.build(
            codec, anchored ? spool.anchor() : null, payloads, BatchBody.MAX_JSON_BYTES);
    return new Prepared(records.subList(0, body.records()), body);
  }

  private Future<Step> send(Prepared p) {
    if (p.body().undecodable() > 0) {
      damagedRecords += p.body().undecodable();
      LOG.warn("Spool: {} records could not be decoded and are skipped", p.body().undecodable());
    }
    if (p.body().snapshots() == 0) {
      return settle(p, false);
    }
    requests++;
    return client
        .post(p.body().gzip())
        .compose(
            outcome -> {
              if (outcome.ok()) {
                delivered(p, outcome);
                return settle(p, true);
              }
              if (outcome.problem().retried()) {
                retryLater(outcome);
                return Future.succeededFuture(Step.RETRYING);
              }
              if (p.records().size() > 1 && outcome.problem() == Problem.REJECTED) {
                // One bad snapshot must not cost its whole batch: resend them one at a time,
                // dropping only what is refused.
                singly = p.records().size();
                LOG.info(
                    "The server refused a batch of {} ({}); sending them one at a time",
                    p.records().size(),
                    outcome.describe());
                return Future.succeededFuture(
                    new Step(1, p.records().size())); // then the first goes alone
              }
              refused(p, outcome);
              return settle(p, false);
            });
  }

  private void delivered(Prepared p, Outcome outcome) {
    int snapshots = p.records().size() - p.body().undecodable();
    sentSnapshots += snapshots;
    failuresInRow = 0;
    sendAnchor = false;
    lastRefusal = null;
    if (failing != null) {
      LOG.info(
          "Delivering again after {} s of '{}': {} snapshots kept meanwhile are being replayed, oldest first",
          (System.nanoTime() - failingSinceNanos) / 1_000_000_000L,
          failing.what(),
          spool.pending());
      failing = null;
    }
    LOG.debug("Delivered {} snapshots ({})", snapshots, outcome.describe());
  }

  private void refused(Prepared p, Outcome outcome) {
    int n = p.records().size() - p.body().undecodable();
    dropped.merge(outcome.problem(), (long) n, Long::sum);
    String kind = outcome.problem() + "/" + outcome.status();
    if (!kind.equals(lastRefusal)) {
      LOG.error(
          "The server refused {} snapshot(s) with {}: {}. Refused snapshots are dropped, not retried "
              + "(logged again only when the answer changes).",
          n,
          outcome.describe(),
          outcome.problem().hint());
      lastRefusal = kind;
    }
  }

  private void retryLater(Outcome outcome) {
    failuresInRow++;
    sendAnchor = true;
    if (failing != outcome.problem()) {
      if (failing == null) {
        failingSinceNanos = System.nanoTime();
      }
      LOG.warn(
          "Cannot deliver to {}: {}. Snapshots are kept in the spool ({} pending) and retried with backoff; {}",
          client.url(),
          outcome.describe(),
          spool.pending(),
          outcome.problem().hint());
      failing = outcome.problem();
    }
    long delay =
        settings
            .backoff()
            .delayMs(failuresInRow, outcome.retryAfterMs(), ThreadLocalRandom.current());
    LOG.debug("Retrying in {} ms ({} failures in a row)", delay, failuresInRow);
    timer =
        vertx.setTimer(
            Math.max(1, delay),
            id -> {
              timer = -1;
              pumpIfIdle();
            });
  }

  /**
   * The server is done with these records, stored or not: they leave the spool and the one-by-one
   * count.
   */
  private Future<Step> settle(Prepared p, boolean stored) {
    singly = Math.max(0, singly - p.records().size());
    return ack(p.records(), stored);
  }

  private Future<Step> ack(List<SpoolRecord> records, boolean stored) {
    return spoolWorker.executeBlocking(
        () -> {
          spool.ack(records, stored);
          checkpointIfDue();
          return new Step(records.size(), spool.pending());
        },
        true);
  }

  /** On the spool worker. */
  private void checkpointIfDue() throws IOException {
    long now = System.nanoTime();
    if (now - lastCheckpointNanos > CHECKPOINT_EVERY_NANOS) {
      spool.checkpoint();
      lastCheckpointNanos = now;
    }
  }

  /** A line for the log: what was sent and dropped since start. */
  public String summary() {
    return "sent "
        + sentSnapshots
        + " snapshots in "
        + requests
        + " requests; dropped as refused "
        + dropped
        + "; undecodable "
        + damagedRecords
        + "; spool "
        + spool.pending()
        + " pending, "
        + spool.bytes()
        + " bytes, "
        + spool.droppedRecords()
        + " dropped for space";
  }

  public Map<Problem, Long> dropped() {
    return Map.copyOf(dropped);
  }

  public long sentSnapshots() {
    return sentSnapshots;
  }

  /**
   * Stops sending; a request in flight may still complete, and its acknowledgement is then lost (a
   * re-send later).
   */
  public void close() {
    closed = true;
    if (timer >= 0) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
  }
}
