package dev.trainwatch.agent;

import dev.trainwatch.agent.send.Backoff;
import dev.trainwatch.agent.send.Delivery;
import dev.trainwatch.agent.send.IngestClient;
import dev.trainwatch.agent.spool.Spool;
import dev.trainwatch.collector.HostSampler;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.io.IOException;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The long-running agent: the sampling thread appends to the spool, the sender thread drains it to
 * the server. Stops cleanly on SIGTERM (systemd) or Ctrl-C: sampling stops, then sending, then the
 * spool's cursor is written.
 */
final class AgentRuntime {
  private static final Logger LOG = LoggerFactory.getLogger(AgentRuntime.class);
  private static final long BACKOFF_BASE_MS = 1000;

  private AgentRuntime() {}

  static int run(AgentSettings s) throws Exception {
    Spool spool;
    try {
      spool = Spool.open(s.spoolDir(), s.spoolMaxBytes());
    } catch (IOException | RuntimeException e) {
      System.err.println(
          "trainwatch-agent: cannot use the spool directory "
              + s.spoolDir()
              + ": "
              + e.getMessage());
      return 1;
    }
    if (s.insecure()) {
      LOG.warn(
          "TLS certificate verification is OFF (--insecure): anyone on the path can read the token and the "
              + "data. For testing only.");
    }
    if (s.intervalRaised()) {
      LOG.warn("--interval raised to the {} s floor", AgentMain.MIN_INTERVAL_S);
    }
    HostSampler sampler;
    try {
      // Inventory, native libraries and GPU discovery: before anything is sent, on this thread.
      // The sources time themselves for the server's /metrics; the agent has no such endpoint, and
      // an empty composite registry records nothing (40 fewer classes than a simple one).
      sampler = HostSampler.open(s.collector(), new CompositeMeterRegistry(), (src, err) -> {});
    } catch (RuntimeException | LinkageError e) {
      System.err.println("trainwatch-agent: could not start: " + e);
      spool.close();
      return 1;
    }
    IngestClient client =
        new IngestClient(s.host(), s.slug(), s.token(), s.timeoutMs(), s.insecure(), s.userAgent());
    Delivery delivery =
        new Delivery(
            spool,
            client,
            new Delivery.Settings(
                s.replayPerSecond(),
                new Backoff(Math.min(BACKOFF_BASE_MS, s.maxBackoffMs()), s.maxBackoffMs())),
            AgentThreads.named("trainwatch-agent-sender"));
    Sampling sampling =
        new Sampling(
            sampler,
            s.collector(),
            spool,
            delivery,
            () -> LOG.info("Agent: {}", delivery.summary()));
    LOG.info(
        "trainwatch-agent {} sending to {} every {} ms; spool {} ({} snapshots waiting, bound {} MiB); "
            + "GPUs: {} ({})",
        AgentVersion.get(),
        client.url(),
        s.collector().intervalMs(),
        s.spoolDir(),
        spool.pending(),
        s.spoolMaxBytes() >> 20,
        sampler.gpuProvider(),
        sampler.gpuReason());
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  stop(sampling, delivery, spool, 2 * s.timeoutMs() + 1000);
                  stopped.countDown();
                },
                "trainwatch-agent-shutdown"));
    delivery.start();
    sampling.start();
    stopped.await();
    return 0;
  }

  private static void stop(Sampling sampling, Delivery delivery, Spool spool, long requestMs) {
    try {
      sampling.close();
      delivery.close(requestMs);
      spool.close();
      LOG.info("Agent stopped: {}", delivery.summary());
    } catch (IOException | RuntimeException e) {
      LOG.warn("Stopping: {}", e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
