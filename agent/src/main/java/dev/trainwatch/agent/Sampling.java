package dev.trainwatch.agent;

import dev.trainwatch.agent.send.Delivery;
import dev.trainwatch.agent.send.SnapshotPayload;
import dev.trainwatch.agent.spool.Spool;
import dev.trainwatch.bus.raw.GpuProcess;
import dev.trainwatch.bus.raw.RawSnapshot;
import dev.trainwatch.collector.Cadence;
import dev.trainwatch.collector.CollectorConfig;
import dev.trainwatch.collector.HostSampler;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's sampling thread: a sample every interval, deflated and appended to the spool
 * (write-ahead: a sample is on disk before it is sent), then the sender is woken; the GPU process
 * list on its own slower cadence. The next sample is scheduled when the last is spooled, the time
 * it took off the interval, so samples never overlap. Sampling never waits for the network.
 *
 * <p>The collector verticle does the same on a Vert.x worker for the server's own host; the agent
 * runs without Vert.x for its memory budget (docs/ARCHITECTURE.md, "The agent").
 */
final class Sampling {
  private static final Logger LOG = LoggerFactory.getLogger(Sampling.class);

  private static final long SUMMARY_EVERY_MS = 3_600_000;

  private final Runnable summary;
  private final HostSampler sampler;
  private final CollectorConfig cfg;
  private final Spool spool;
  private final Delivery delivery;
  private final SnapshotPayload codec = new SnapshotPayload();
  private final ScheduledThreadPoolExecutor thread;

  /** The latest GPU process list, replaced on its own cadence and attached to every sample. */
  private List<GpuProcess> processes = List.of();

  private String sampleFailure;
  private String appendFailure;
  private long lost;

  /**
   * @param summary logs what the agent did, every {@link #SUMMARY_EVERY_MS} (it has no metrics
   *     endpoint); on this thread, which is idle most of each second
   */
  Sampling(
      HostSampler sampler, CollectorConfig cfg, Spool spool, Delivery delivery, Runnable summary) {
    this.summary = summary;
    this.sampler = sampler;
    this.cfg = cfg;
    this.spool = spool;
    this.delivery = delivery;
    this.thread =
        new ScheduledThreadPoolExecutor(1, AgentThreads.named("trainwatch-agent-sampler"));
    // Stopping drops the samples scheduled but not begun.
    thread.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
  }

  void start() {
    after(0, this::sample);
    if (sampler.listsProcesses()) {
      after(0, this::sampleProcesses);
    }
    thread.scheduleAtFixedRate(
        AgentThreads.orDie("The summary", summary),
        SUMMARY_EVERY_MS,
        SUMMARY_EVERY_MS,
        TimeUnit.MILLISECONDS);
  }

  private void after(long delayMs, Runnable task) {
    try {
      thread.schedule(AgentThreads.orDie("Sampling", task), delayMs, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException stopping) {
      // close() came first: nothing more to schedule
    }
  }

  private void sample() {
    long started = System.nanoTime();
    byte[] payload = null;
    long seq = -1;
    try {
      RawSnapshot s = sampler.sample(processes);
      payload = codec.encode(s);
      seq = s.agent().seq();
      if (sampleFailure != null) {
        LOG.info("Samples are built again");
        sampleFailure = null;
      }
    } catch (RuntimeException | LinkageError e) {
      // Per-source failures never get here: a bug or a resource problem building the snapshot.
      String why = e.toString();
      if (!why.equals(sampleFailure)) {
        LOG.error("A sample could not be built (logged again only when this changes)", e);
        sampleFailure = why;
      }
    }
    if (payload != null) {
      spoolIt(payload, seq);
    }
    after(Cadence.nextDelayMs(cfg.intervalMs(), started), this::sample);
  }

  /** A sample the spool cannot take is counted and logged, once per kind of failure. */
  private void spoolIt(byte[] payload, long seq) {
    try {
      spool.append(payload);
      if (LOG.isDebugEnabled()) {
        LOG.debug("spooled seq={} pending={}", seq, spool.pending());
      }
      if (appendFailure != null) {
        LOG.info("The spool takes samples again after losing {}", lost);
        appendFailure = null;
      }
      delivery.wake();
    } catch (IOException | RuntimeException e) {
      lost++;
      String why = e.toString();
      if (!why.equals(appendFailure)) {
        LOG.error(
            "A sample could not be written to the spool and is lost: {} (logged again only when this "
                + "changes)",
            why);
        appendFailure = why;
      }
    }
  }

  private void sampleProcesses() {
    long started = System.nanoTime();
    processes = sampler.sampleProcesses(); // empty when it failed; its source's health logs why
    after(Cadence.nextDelayMs(cfg.processIntervalMs(), started), this::sampleProcesses);
  }

  /**
   * Stops sampling: waits for a sample under way, then closes the GPU source on the same thread
   * (never under a sample).
   */
  void close() throws InterruptedException {
    try {
      thread.submit(this::closeSources);
    } catch (RejectedExecutionException already) {
      return;
    }
    thread.shutdown();
    if (!thread.awaitTermination(15, TimeUnit.SECONDS)) {
      LOG.warn("A sample was still running 15 s after the stop was asked");
    }
  }

  private void closeSources() {
    try {
      sampler.close();
    } catch (Exception e) {
      LOG.warn("Closing the GPU source failed", e);
    } finally {
      codec.close();
    }
  }
}
