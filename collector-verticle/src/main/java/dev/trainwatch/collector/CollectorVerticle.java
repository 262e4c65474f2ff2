package dev.trainwatch.collector;

import dev.trainwatch.bus.Addresses;
import dev.trainwatch.bus.raw.GpuProcess;
import dev.trainwatch.bus.raw.RawSample;
import dev.trainwatch.collector.gpu.GpuSource;
import dev.trainwatch.collector.gpu.GpuSources;
import dev.trainwatch.collector.gpu.NoGpuSource;
import dev.trainwatch.collector.system.SystemReader;
import dev.trainwatch.collector.system.SystemReaders;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.LocalMap;
import java.util.List;
import oshi.SystemInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Samples this host and hands each raw snapshot to the rates service on {@link Addresses#RAW_SAMPLE} as server
 * {@code collector.server}. All reading happens on one named worker thread; the event loop only schedules and sends.
 * The next sample is scheduled when the previous one has been answered, so samples never overlap and a slow
 * consumer slows collection down instead of piling up requests.
 */
public final class CollectorVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(CollectorVerticle.class);

  /** Shared map the gateway reads for {@code /api/config}. Every value is a string. */
  public static final String SHARED_MAP = "trainwatch.collector";
  public static final String GPU_PROVIDER = "gpu_provider";
  public static final String GPU_REASON = "gpu_reason";
  public static final String SYSTEM_READER = "system_reader";
  /** Followed by a source name; the value is "ok" or the source's last error. */
  public static final String SOURCE_PREFIX = "source.";
  public static final String WORKER_POOL = "trainwatch-collector";
  /** Even a sample that overran its interval leaves the event loop and the consumer a moment before the next. */
  private static final long MIN_DELAY_MS = 5;

  private final MeterRegistry registry;
  private CollectorConfig cfg;
  private WorkerExecutor worker;
  private SourceHealths health;
  private DeliveryLog delivery;
  private SnapshotAssembler assembler;
  private GpuSource gpu;
  private LocalMap<String, String> shared;
  /** The latest GPU process list, replaced on its own cadence and attached to every sample. */
  private List<GpuProcess> processes = List.of();
  private long sampleTimer = -1;
  private long processTimer = -1;
  private boolean stopped;
  private String sampleFailure;

  public CollectorVerticle() {
    this(Metrics.globalRegistry);
  }

  /** @param registry where the self-metrics go (the global registry unless a test wants its own) */
  public CollectorVerticle(MeterRegistry registry) {
    this.registry = registry;
  }

  private record Opened(SnapshotAssembler assembler, GpuSource gpu, String systemReader) {}

  @Override
  public Future<?> start() {
    try {
      cfg = CollectorConfig.fromJson(config());
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    shared = vertx.sharedData().getLocalMap(SHARED_MAP);
    health = new SourceHealths(registry,
        (source, error) -> shared.put(SOURCE_PREFIX + source, error == null ? "ok" : error));
    delivery = new DeliveryLog(registry);
    worker = vertx.createSharedWorkerExecutor(WORKER_POOL, 1);
    return worker.executeBlocking(this::open, true)
        .onSuccess(this::begin)
        .onFailure(e -> worker.close());
  }

  /** On the worker: inventory, native libraries and GPU discovery can each take a while. */
  private Opened open() {
    SystemReader reader = SystemReaders.open(cfg.systemReader(), new SystemInfo(), cfg.devices());
    SnapshotAssembler a = new SnapshotAssembler(reader, cfg.enabled(), health, cfg.version(), cfg.hostname(),
        cfg.labels());
    return new Opened(a, openGpu(), reader.kind());
  }

  private GpuSource openGpu() {
    if (!cfg.enabled().gpus()) {
      return new NoGpuSource("disabled by collector.enabled_sources.gpus");
    }
    try {
      return GpuSources.open(cfg.gpu());
    } catch (Exception | LinkageError e) {
      LOG.warn("No GPU provider could be opened; collecting without GPUs", e);
      return new NoGpuSource("GPU provider failed to open: " + SourceHealth.describe(e));
    }
  }

  private void begin(Opened o) {
    assembler = o.assembler();
    gpu = o.gpu();
    shared.put(GPU_PROVIDER, gpu.provider());
    shared.put(GPU_REASON, gpu.reason() == null ? "" : gpu.reason());
    shared.put(SYSTEM_READER, o.systemReader());
    LOG.info("Collector sampling every {} ms as server '{}'; GPUs: {} ({})", cfg.intervalMs(), cfg.server(),
        gpu.provider(), gpu.reason());
    collect();
    if (cfg.enabled().gpus() && cfg.enabled().processes() && !"none".equals(gpu.provider())) {
      collectProcesses();
    }
  }

  private void collect() {
    if (stopped) {
      return;
    }
    long started = System.nanoTime();
    List<GpuProcess> latestProcesses = processes;
    // The JSON is built on the worker too: for a many-core host it is the largest single piece of work.
    worker.executeBlocking(
            () -> new RawSample(cfg.server(), null, assembler.sample(gpu, latestProcesses)).toJson(), true)
        .compose(this::deliver, this::sampleFailed)
        .onComplete(done -> scheduleNextSample(started));
  }

  /** Always succeeds: an unanswered sample is logged and counted, and collection goes on. */
  private Future<Void> deliver(JsonObject sample) {
    clearSampleFailure();
    DeliveryOptions options = new DeliveryOptions().setSendTimeout(cfg.replyTimeoutMs());
    return vertx.eventBus().request(Addresses.RAW_SAMPLE, sample, options)
        .transform(reply -> {
          if (reply.succeeded()) {
            delivery.stored();
          } else {
            delivery.failed(reply.cause());
          }
          return Future.succeededFuture();
        });
  }

  /** Per-source failures never get here; this is a bug or a resource problem building the snapshot itself. */
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

  /** Keeps the cadence: the time the sample and its reply took comes off the interval. */
  private void scheduleNextSample(long startedNanos) {
    if (stopped) {
      return;
    }
    long tookMs = (System.nanoTime() - startedNanos) / 1_000_000;
    sampleTimer = vertx.setTimer(Math.max(MIN_DELAY_MS, cfg.intervalMs() - tookMs), id -> collect());
  }

  private void collectProcesses() {
    if (stopped) {
      return;
    }
    long started = System.nanoTime();
    worker.executeBlocking(() -> health.get(SourceNames.PROCESSES).measure(gpu::sampleProcesses), true)
        .onComplete(done -> {
          // A failed listing leaves an empty list: an old one would name processes that may have exited.
          processes = done.succeeded() && done.result() != null ? done.result() : List.of();
          if (!stopped) {
            long tookMs = (System.nanoTime() - started) / 1_000_000;
            processTimer = vertx.setTimer(Math.max(MIN_DELAY_MS, cfg.processIntervalMs() - tookMs),
                id -> collectProcesses());
          }
        });
  }

  @Override
  public Future<?> stop() {
    stopped = true;
    vertx.cancelTimer(sampleTimer);
    vertx.cancelTimer(processTimer);
    if (worker == null) {
      return Future.succeededFuture();
    }
    GpuSource g = gpu;
    // Ordered like the samples, so the close runs after a sample still in flight, never under it.
    Future<Void> closed = worker.executeBlocking(() -> {
      if (g != null) {
        g.close();
      }
      return null;
    }, true);
    return closed
        .recover(e -> {
          LOG.warn("Closing the GPU source failed", e);
          return Future.succeededFuture();
        })
        .eventually(this::unpublish)
        .eventually(() -> worker.close());
  }

  /** After the last worker task, so a sample finishing late cannot put a source state back. */
  private Future<Void> unpublish() {
    shared.keySet().stream().filter(k -> k.startsWith(SOURCE_PREFIX)).toList().forEach(shared::remove);
    List.of(GPU_PROVIDER, GPU_REASON, SYSTEM_READER).forEach(shared::remove);
    return Future.succeededFuture();
  }
}
