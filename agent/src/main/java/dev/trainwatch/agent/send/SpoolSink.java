package dev.trainwatch.agent.send;

import dev.trainwatch.agent.spool.Spool;
import dev.trainwatch.bus.raw.RawSnapshot;
import dev.trainwatch.collector.SampleSink;
import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's sink: each sample is encoded on the collector's worker, appended to the spool on the
 * spool worker (write-ahead: a sample is on disk before it is sent), and the sender is woken.
 * Sampling never waits for the network.
 */
public final class SpoolSink implements SampleSink<SpoolSink.Encoded> {
  private static final Logger LOG = LoggerFactory.getLogger(SpoolSink.class);

  /** A snapshot's spool payload and its seq (for the log). */
  public record Encoded(byte[] payload, long seq) {}

  private final WorkerExecutor spoolWorker;
  private final Spool spool;
  private final Delivery delivery;

  /** Used on the collector's worker only. */
  private final SnapshotPayload codec = new SnapshotPayload();

  private String appendFailure;
  private long lost;

  public SpoolSink(WorkerExecutor spoolWorker, Spool spool, Delivery delivery) {
    this.spoolWorker = spoolWorker;
    this.spool = spool;
    this.delivery = delivery;
  }

  @Override
  public Encoded prepare(RawSnapshot snapshot) {
    return new Encoded(codec.encode(snapshot), snapshot.agent().seq());
  }

  /**
   * Always succeeds: a sample the spool cannot take is counted and logged (once per kind of
   * failure).
   */
  @Override
  public Future<Void> deliver(Encoded e) {
    return spoolWorker
        .executeBlocking(
            () -> {
              spool.append(e.payload());
              return spool.pending();
            },
            true)
        .transform(
            ar -> {
              if (ar.succeeded()) {
                LOG.debug("spooled seq={} pending={}", e.seq(), ar.result());
                if (appendFailure != null) {
                  LOG.info("The spool takes samples again after losing {}", lost);
                  appendFailure = null;
                }
                delivery.wake();
              } else {
                lost++;
                String why = ar.cause().toString();
                if (!why.equals(appendFailure)) {
                  LOG.error(
                      "A sample could not be written to the spool and is lost: {} (logged again only when this "
                          + "changes)",
                      why);
                  appendFailure = why;
                }
              }
              return Future.succeededFuture();
            });
  }
}
