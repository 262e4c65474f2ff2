package dev.trainwatch.collector;

import dev.trainwatch.bus.Addresses;
import dev.trainwatch.bus.raw.GpuProcess;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Samples the server's own host and hands each raw snapshot to its {@link SampleSink}, the rates
 * service on {@link Addresses#RAW_SAMPLE} as server {@code collector.server} (the standalone agent
 * samples through the same {@link HostSampler} without Vert.x). All reading happens on one named
 * worker thread; the event loop only schedules and hands on. The next sample is scheduled when the
 * sink has taken the previous one, so samples never overlap and a slow consumer slows collection
 * down instead of piling up requests.
 *
 * <p>What it reads with, and why a source is missing, goes out on {@link
 * Addresses#COLLECTOR_STATUS} (at start, on change, when a gateway asks, every {@link
 * #STATUS_EVERY_MS}): the gateway that shows it may be on another node.
 */
public final class CollectorVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(CollectorVerticle.class);

  static final long STATUS_EVERY_MS = 30_000;
  public static final String WORKER_POOL = "trainwatch-collector";

  private final MeterRegistry registry;
  private CollectorConfig cfg;
  private WorkerExecutor worker;
  private SampleSink<?> sink;
  private HostSampler sampler;

  /** Source name to "ok" or its last error; written from the worker. */
  private final Map<String, String> sources = new ConcurrentHashMap<>();

  private long statusTimer = -1;

  /** The latest GPU process list, replaced on its own cadence and attached to every sample. */
  private List<GpuProcess> processes = List.of();

  private long sampleTimer = -1;
  private long processTimer = -1;
  private boolean stopped;
  private String sampleFailure;

  public CollectorVerticle() {
    this(Metrics.globalRegistry);
  }

  /**
   * @param registry where the self-metrics go (the global registry unless a test wants its own)
   */
  public CollectorVerticle(MeterRegistry registry) {
    this.registry = registry;
  }

  @Override
  public Future<?> start() {
    try {
      cfg = CollectorConfig.fromJson(config());
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    sink = new BusSink(vertx, cfg, registry);
    worker = vertx.createSharedWorkerExecutor(WORKER_POOL, 1);
    Context context = vertx.getOrCreateContext();
    // On the worker: inventory, native libraries and GPU discovery can each take a while.
    return sink.start()
        .compose(
            v ->
                worker.executeBlocking(
                    () ->
                        HostSampler.open(
                            cfg,
                            registry,
                            (source, error) -> {
                              String state = error == null ? "ok" : error;
                              if (!state.equals(sources.put(source, state))) {
                                context.runOnContext(x -> publishStatus());
                              }
                            }),
                    true))
        .onSuccess(this::begin)
        .onFailure(e -> worker.close());
  }

  /** When a source's state changed, when asked, and every {@link #STATUS_EVERY_MS}. */
  private void publishStatus() {
    if (sampler == null || stopped) {
      return;
    }
    vertx
        .eventBus()
        .publish(
            Addresses.COLLECTOR_STATUS,
            new JsonObject()
                .put("server", cfg.server())
                .put("gpu_provider", sampler.gpuProvider())
                .put("gpu_reason", sampler.gpuReason() == null ? "" : sampler.gpuReason())
                .put("system_reader", sampler.systemReader())
                .put("sources", new JsonObject(new TreeMap<>(sources))));
  }

  private void begin(HostSampler s) {
    sampler = s;
    publishStatus();
    statusTimer = vertx.setPeriodic(STATUS_EVERY_MS, id -> publishStatus());
    vertx.eventBus().consumer(Addresses.COLLECTOR_STATUS_ASK, m -> publishStatus());
    LOG.info(
        "Collector sampling every {} ms as server '{}'; GPUs: {} ({})",
        cfg.intervalMs(),
        cfg.server(),
        s.gpuProvider(),
        s.gpuReason());
    collect(sink);
    if (s.listsProcesses()) {
      collectProcesses();
    }
  }

  private <T> void collect(SampleSink<T> to) {
    if (stopped) {
      return;
    }
    long started = System.nanoTime();
    List<GpuProcess> latestProcesses = processes;
    worker
        .executeBlocking(() -> to.prepare(sampler.sample(latestProcesses)), true)
        .compose(
            prepared -> {
              clearSampleFailure();
              return to.deliver(prepared);
            },
            this::sampleFailed)
        .onComplete(done -> scheduleNextSample(to, started));
  }

  /**
   * Per-source failures never get here; this is a bug or a resource problem building the snapshot
   * itself.
   */
  private Future<Void> sampleFailed(Throwable e) {
    String why = SourceHealth.describe(e);
    if (!why.equals(sampleFailure)) {
      LOG.error("Collector sample could not be built (logged again only when this changes)", e);
      sampleFailure = why;
    }
    return Future.succeededFuture();
  }

  private void clearSampleFailure() {
    if (sampleFailure != null) {
      LOG.info("Collector samples are built again");
      sampleFailure = null;
    }
  }

  /** Keeps the cadence: the time the sample and its delivery took comes off the interval. */
  private <T> void scheduleNextSample(SampleSink<T> to, long startedNanos) {
    if (stopped) {
      return;
    }
    sampleTimer =
        vertx.setTimer(Cadence.nextDelayMs(cfg.intervalMs(), startedNanos), id -> collect(to));
  }

  private void collectProcesses() {
    if (stopped) {
      return;
    }
    long started = System.nanoTime();
    worker
        .executeBlocking(sampler::sampleProcesses, true)
        .onComplete(
            done -> {
              // A failed listing leaves an empty list: an old one would name processes that may
              // have exited.
              processes = done.succeeded() ? done.result() : List.of();
              if (!stopped) {
                processTimer =
                    vertx.setTimer(
                        Cadence.nextDelayMs(cfg.processIntervalMs(), started),
                        id -> collectProcesses());
              }
            });
  }

  @Override
  public Future<?> stop() {
    stopped = true;
    vertx.cancelTimer(sampleTimer);
    vertx.cancelTimer(processTimer);
    vertx.cancelTimer(statusTimer);
    if (worker == null) {
      return Future.succeededFuture();
    }
    HostSampler s = sampler;
    // Ordered like the samples, so the close runs after a sample still in flight, never under it.
    Future<Void> closed =
        worker.executeBlocking(
            () -> {
              if (s != null) {
                s.close();
              }
              return null;
            },
            true);
    return closed
        .recover(
            e -> {
              LOG.warn("Closing the GPU source failed", e);
              return Future.succeededFuture();
            })
        .eventually(this::unpublish)
        .eventually(() -> worker.close());
  }

  /** After the last worker task, so a sample finishing late cannot put a source state back. */
  private Future<Void> unpublish() {
    if (cfg != null) {
      vertx
          .eventBus()
          .publish(
              Addresses.COLLECTOR_STATUS,
              new JsonObject().put("server", cfg.server()).put("stopped", true));
    }
    return Future.succeededFuture();
  }
}
