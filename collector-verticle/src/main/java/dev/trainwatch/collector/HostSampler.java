package dev.trainwatch.collector;

import dev.trainwatch.bus.raw.GpuProcess;
import dev.trainwatch.bus.raw.RawSnapshot;
import dev.trainwatch.collector.gpu.GpuSource;
import dev.trainwatch.collector.gpu.GpuSources;
import dev.trainwatch.collector.gpu.NoGpuSource;
import dev.trainwatch.collector.system.SystemReader;
import dev.trainwatch.collector.system.SystemReaders;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import oshi.SystemInfo;

/**
 * This host's sources, opened once from the {@code collector} configuration: the system reader and
 * the GPU provider behind one {@link SnapshotAssembler}. Everything here blocks (inventory, native
 * libraries, /proc): the collector verticle calls it from its worker, the agent's {@code --once}
 * from its main thread. Not thread-safe.
 */
public final class HostSampler implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(HostSampler.class);

  /** Told when a source fails or recovers: {@code error} is null when it is healthy again. */
  public interface HealthListener {
    void changed(String source, String error);
  }

  private final CollectorConfig cfg;
  private final SourceHealths health;
  private final SnapshotAssembler assembler;
  private final GpuSource gpu;
  private final String systemReader;

  private HostSampler(
      CollectorConfig cfg,
      SourceHealths health,
      SnapshotAssembler assembler,
      GpuSource gpu,
      String systemReader) {
    this.cfg = cfg;
    this.health = health;
    this.assembler = assembler;
    this.gpu = gpu;
    this.systemReader = systemReader;
  }

  public static HostSampler open(
      CollectorConfig cfg, MeterRegistry registry, HealthListener listener) {
    SourceHealths health = new SourceHealths(registry, listener::changed);
    SystemReader reader = SystemReaders.open(cfg.systemReader(), new SystemInfo(), cfg.devices());
    SnapshotAssembler a =
        new SnapshotAssembler(
            reader, cfg.enabled(), health, cfg.version(), cfg.hostname(), cfg.labels());
    return new HostSampler(cfg, health, a, openGpu(cfg), reader.kind());
  }

  private static GpuSource openGpu(CollectorConfig cfg) {
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

  /**
   * @param processes the latest GPU process list, sampled on its own slower cadence
   */
  public RawSnapshot sample(List<GpuProcess> processes) {
    return assembler.sample(gpu, processes);
  }

  /**
   * Whether GPU processes are worth listing at all: GPUs and processes enabled, and a provider that
   * has them.
   */
  public boolean listsProcesses() {
    return cfg.enabled().gpus() && cfg.enabled().processes() && !"none".equals(gpu.provider());
  }

  /**
   * Empty when the listing failed (its source's health says why): an old list would name processes
   * that may have exited.
   */
  public List<GpuProcess> sampleProcesses() {
    List<GpuProcess> listed = health.get(SourceNames.PROCESSES).measure(gpu::sampleProcesses);
    return listed == null ? List.of() : listed;
  }

  public String gpuProvider() {
    return gpu.provider();
  }

  /** Why this provider was chosen, or why there is none; may be null. */
  public String gpuReason() {
    return gpu.reason();
  }

  public String systemReader() {
    return systemReader;
  }

  @Override
  public void close() throws Exception {
    gpu.close();
  }
}
