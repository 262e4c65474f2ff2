package dev.trainwatch.collector.gpu;

import dev.trainwatch.bus.raw.GpuProcess;
import dev.trainwatch.bus.raw.GpuRaw;
import dev.trainwatch.collector.gpu.nvml.NvmlGpuSource;
import dev.trainwatch.collector.gpu.smi.SmiGpuSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses the GPU provider: NVML first, then {@code nvidia-smi}, else none. The choice and its
 * reason are logged once at INFO; a provider that cannot serve contributes its reason to the next
 * one's.
 */
public final class GpuSources {
  private static final Logger LOG = LoggerFactory.getLogger(GpuSources.class);

  private GpuSources() {}

  /**
   * Blocking (loads native code); call from a worker. {@code config} is the collector's {@code gpu}
   * section.
   */
  public static GpuSource open(JsonObject config) {
    return open(config, null);
  }

  /**
   * As {@link #open(JsonObject)}, recording sample timings and XID counts in {@code registry} when
   * not null.
   */
  public static GpuSource open(JsonObject config, MeterRegistry registry) {
    GpuSource source = choose(GpuConfig.from(config), registry);
    // DEBUG: the collector logs the choice once at INFO with its own context (server, interval).
    LOG.debug("GPU provider: {} ({})", source.provider(), source.reason());
    return source;
  }

  private static GpuSource choose(GpuConfig config, MeterRegistry registry) {
    if (!config.enabled()) {
      return new NoGpuSource("GPU collection disabled (gpu.enabled = false)");
    }
    String nvmlWhy;
    try {
      return NvmlGpuSource.open(config, new GpuMetrics(registry, "nvml"));
    } catch (GpuUnavailableException e) {
      nvmlWhy = e.getMessage();
    } catch (RuntimeException | LinkageError e) {
      nvmlWhy = "NVML: failed to start (" + e + ")";
      LOG.warn("NVML failed to start", e);
    }
    String smiWhy;
    try {
      GpuSource smi = SmiGpuSource.open(config, new GpuMetrics(registry, "nvidia-smi"));
      return new Explained(smi, nvmlWhy + "; " + smi.reason());
    } catch (GpuUnavailableException e) {
      smiWhy = e.getMessage();
    } catch (RuntimeException e) {
      smiWhy = "nvidia-smi: failed to start (" + e + ")";
      LOG.warn("nvidia-smi failed to start", e);
    }
    return new NoGpuSource(nvmlWhy + "; " + smiWhy);
  }

  /** A provider whose reason also says why the preferred one was passed over. */
  private record Explained(GpuSource delegate, String reason) implements GpuSource {
    @Override
    public String provider() {
      return delegate.provider();
    }

    @Override
    public List<GpuRaw> sampleGpus() {
      return delegate.sampleGpus();
    }

    @Override
    public List<GpuProcess> sampleProcesses() {
      return delegate.sampleProcesses();
    }

    @Override
    public void close() {
      delegate.close();
    }
  }
}
