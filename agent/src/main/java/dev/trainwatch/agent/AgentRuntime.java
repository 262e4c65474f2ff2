package dev.trainwatch.agent;

import dev.trainwatch.agent.send.Backoff;
import dev.trainwatch.agent.send.Delivery;
import dev.trainwatch.agent.send.IngestClient;
import dev.trainwatch.agent.send.SpoolSink;
import dev.trainwatch.agent.spool.Spool;
import dev.trainwatch.collector.CollectorVerticle;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The long-running agent: the collector samples into the spool, the sender drains it to the server.
 * Stops cleanly on SIGTERM (systemd) or Ctrl-C: sampling stops, then sending, then the spool's
 * cursor is written.
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
    Vertx vertx = AgentVertx.create();
    List<String> deployments = new ArrayList<>();
    WorkerExecutor spoolWorker = vertx.createSharedWorkerExecutor("trainwatch-agent-spool", 1);
    IngestClient client =
        new IngestClient(
            vertx, s.host(), s.slug(), s.token(), s.timeoutMs(), s.insecure(), s.userAgent());
    Delivery delivery =
        new Delivery(
            vertx,
            spoolWorker,
            spool,
            client,
            new Delivery.Settings(
                s.replayPerSecond(),
                new Backoff(Math.min(BACKOFF_BASE_MS, s.maxBackoffMs()), s.maxBackoffMs())));
    LOG.info(
        "trainwatch-agent {} sending to {} every {} ms; spool {} ({} snapshots waiting, bound {} MiB)",
        AgentVersion.get(),
        client.url(),
        s.collector().intervalMs(),
        s.spoolDir(),
        spool.pending(),
        s.spoolMaxBytes() >> 20);
    try {
      deployments.add(
          vertx.deployVerticle(new DeliveryVerticle(delivery)).await(30, TimeUnit.SECONDS));
      deployments.add(
          vertx
              .deployVerticle(
                  new CollectorVerticle(
                      new SimpleMeterRegistry(),
                      (vx, cfg) -> new SpoolSink(spoolWorker, spool, delivery)),
                  new DeploymentOptions().setConfig(s.collectorJson()))
              .await(120, TimeUnit.SECONDS));
    } catch (Exception e) {
      System.err.println("trainwatch-agent: could not start: " + e);
      stop(vertx, deployments, spoolWorker, spool, delivery);
      return 1;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  stop(vertx, deployments, spoolWorker, spool, delivery);
                  stopped.countDown();
                },
                "trainwatch-agent-shutdown"));
    stopped.await();
    return 0;
  }

  private static void stop(
      Vertx vertx,
      List<String> deployments,
      WorkerExecutor spoolWorker,
      Spool spool,
      Delivery delivery) {
    try {
      // Verticles first (sampling, then sending), in reverse order of deployment.
      for (int i = deployments.size() - 1; i >= 0; i--) {
        vertx.undeploy(deployments.get(i)).await(15, TimeUnit.SECONDS);
      }
      // Queued behind any append or acknowledgement still on the spool worker.
      spoolWorker
          .executeBlocking(
              () -> {
                spool.close();
                return null;
              },
              true)
          .await(15, TimeUnit.SECONDS);
      LOG.info("Agent stopped: {}", delivery.summary());
    } catch (Exception e) {
      LOG.warn("Stopping: {}", e.toString());
    } finally {
      try {
        vertx.close().await(15, TimeUnit.SECONDS);
      } catch (Exception e) {
        LOG.warn("Closing Vert.x: {}", e.toString());
      }
    }
  }
}
