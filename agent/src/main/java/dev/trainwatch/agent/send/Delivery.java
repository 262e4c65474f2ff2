package dev.trainwatch.agent.send;

import dev.trainwatch.agent.spool.Spool;
import dev.trainwatch.agent.spool.SpoolRecord;
import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the spool to the server, oldest first, one request at a time, on its own thread: on 202 the
 * cursor moves; on a network error, a 5xx or a 429 the same records are tried again after a backoff
 * (honouring Retry-After) while sampling goes on into the spool; on any other 4xx the records are
 * dropped, counted, and the reason logged once. A backlog is replayed at no more than {@code
 * replayPerSecond} snapshots a second, so a fleet coming back does not flatten the server.
 *
 * <p>After any failure, and at start, the last acknowledged snapshot (the spool's anchor) goes
 * first in the next batch: the server answers it as a duplicate, but its rates service gets a
 * predecessor for the replayed samples even if it was restarted meanwhile, so the first of them
 * gets its rates too.
 *
 * <p>Its state is the sender thread's alone; {@link #wake}, {@link #close} and the counters are
 * safe from any thread.
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
   * What one round came to: records handled (acknowledged or dropped) and what the spool still
   * holds; or a retry after {@code retryInMs}.
   */
  private record Step(int handled, long pending, long retryInMs) {
    static Step done(int handled, long pending) {
      return new Step(handled, pending, -1);
    }

    static Step retryIn(long ms) {
      return new Step(0, -1, ms);
    }

    boolean retrying() {
      return retryInMs >= 0;
    }
  }

  private final Spool spool;
  private final IngestClient client;
  private final Settings settings;
  private final SnapshotPayload codec = new SnapshotPayload();
  private final Thread thread;

  /** Guards {@link #woken} and {@link #closed}, and is what the sender waits on. */
  private final Object signal = new Object();

  private boolean woken;
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
  private volatile long sentSnapshots;
  private volatile long requests;
  private volatile long damagedRecords;

  /** Written by the sender, read by {@link #summary} and {@link #dropped} (under its monitor). */
  private final Map<Problem, Long> dropped = new EnumMap<>(Problem.class);

  /**
   * @param threads makes the sender's thread (the agent's take the process down if they die)
   */
  public Delivery(Spool spool, IngestClient client, Settings settings, ThreadFactory threads) {
    this.spool = spool;
    this.client = client;
    this.settings = settings;
    this.thread = threads.newThread(this::run);
  }

  /** Starts sending whatever the spool already holds, then whatever is appended. */
  public void start() {
    thread.start();
  }

  /**
   * Something was appended: send it unless a request or a backoff is already under way. Any thread.
   */
  public void wake() {
    synchronized (signal) {
      woken = true;
      signal.notifyAll();
    }
  }

  private void run() {
    try {
      while (!isClosed()) {
        synchronized (signal) {
          woken = false; // this round peeks everything appended so far
        }
        long started = System.nanoTime();
        Step step = round();
        if (step.retrying()) {
          pause(step.retryInMs(), false);
        } else if (step.pending() == 0) {
          pause(Long.MAX_VALUE, true); // until the next append
        } else {
          long tookMs = (System.nanoTime() - started) / 1_000_000;
          pause(Math.max(1, step.handled()) * 1000L / settings.replayPerSecond() - tookMs, false);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      codec.close();
    }
  }

  /**
   * Waits {@code ms} (nothing when zero or less), or until closed; with {@code wakeable}, also
   * until the next append.
   */
  private void pause(long ms, boolean wakeable) throws InterruptedException {
    long deadline = ms == Long.MAX_VALUE ? Long.MAX_VALUE : System.nanoTime() + ms * 1_000_000;
    synchronized (signal) {
      while (!closed && !(wakeable && woken)) {
        long left = deadline == Long.MAX_VALUE ? 0 : (deadline - System.nanoTime()) / 1_000_000;
        if (deadline != Long.MAX_VALUE && left <= 0) {
          return;
        }
        signal.wait(left); // 0: until notified
      }
    }
  }

  private boolean isClosed() {
    synchronized (signal) {
      return closed;
    }
  }

  private Step round() {
    int max = singly > 0 ? 1 : Math.min(BatchBody.MAX_SNAPSHOTS, settings.replayPerSecond());
    boolean anchored = sendAnchor && singly == 0;
    try {
      Prepared p = prepare(max, anchored);
      return p == null ? Step.done(0, 0) : send(p);
    } catch (IOException | RuntimeException e) {
      // The spool itself failed (disk full, permissions): retried like a network error.
      return retryLater(Outcome.failed(Problem.UNAVAILABLE, 0, -1, "spool: " + e));
    }
  }

  /** Null when nothing is pending. */
  private Prepared prepare(int max, boolean anchored) throws IOException {
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

  private Step send(Prepared p) throws IOException {
    if (p.body().undecodable() > 0) {
      damagedRecords += p.body().undecodable();
      LOG.warn("Spool: {} records could not be decoded and are skipped", p.body().undecodable());
    }
    if (p.body().snapshots() == 0) {
      return settle(p, false);
    }
    requests++;
    Outcome outcome = client.post(p.body().gzip());
    if (outcome.ok()) {
      delivered(p, outcome);
      return settle(p, true);
    }
    if (outcome.problem().retried()) {
      return retryLater(outcome);
    }
    if (p.records().size() > 1 && outcome.problem() == Problem.REJECTED) {
      // One bad snapshot must not cost its whole batch: resend them one at a time, dropping only
      // what is refused.
      singly = p.records().size();
      LOG.info(
          "The server refused a batch of {} ({}); sending them one at a time",
          p.records().size(),
          outcome.describe());
      return Step.done(1, p.records().size()); // then the first goes alone
    }
    refused(p, outcome);
    return settle(p, false);
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
    synchronized (dropped) {
      dropped.merge(outcome.problem(), (long) n, Long::sum);
    }
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

  private Step retryLater(Outcome outcome) {
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
    return Step.retryIn(Math.max(1, delay));
  }

  /**
   * The server is done with these records, stored or not: they leave the spool and the one-by-one
   * count.
   */
  private Step settle(Prepared p, boolean stored) throws IOException {
    singly = Math.max(0, singly - p.records().size());
    spool.ack(p.records(), stored);
    long now = System.nanoTime();
    if (now - lastCheckpointNanos > CHECKPOINT_EVERY_NANOS) {
      spool.checkpoint();
      lastCheckpointNanos = now;
    }
    return Step.done(p.records().size(), spool.pending());
  }

  /** A line for the log: what was sent and dropped since start. */
  public String summary() {
    return "sent "
        + sentSnapshots
        + " snapshots in "
        + requests
        + " requests; dropped as refused "
        + dropped()
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
    synchronized (dropped) {
      return Map.copyOf(dropped);
    }
  }

  public long sentSnapshots() {
    return sentSnapshots;
  }

  /**
   * Stops sending and waits up to {@code waitMs} for the request in flight: one that does not end
   * by then is abandoned, and its records are sent again by the next run (answered as duplicates).
   */
  public void close(long waitMs) throws InterruptedException {
    synchronized (signal) {
      closed = true;
      signal.notifyAll();
    }
    if (thread.isAlive()) {
      thread.join(Math.max(1, waitMs));
    }
  }
}
