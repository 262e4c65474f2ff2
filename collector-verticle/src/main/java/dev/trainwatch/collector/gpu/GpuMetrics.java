package dev.trainwatch.collector.gpu;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.function.Supplier;

/**
 * The GPU collector's self-metrics: how long each kind of sample takes and how many XID events
 * arrived. A null registry makes every method a no-op, so providers need no null checks.
 */
public final class GpuMetrics {
  private final MeterRegistry registry;
  private final String provider;

  public GpuMetrics(MeterRegistry registry, String provider) {
    this.registry = registry;
    this.provider = provider;
  }

  public static GpuMetrics none() {
    return new GpuMetrics(null, "none");
  }

  /**
   * Runs {@code work} and records its duration under {@code trainwatch.gpu.sample{provider, op}}.
   */
  public <T> T time(String op, Supplier<T> work) {
    if (registry == null) {
      return work.get();
    }
    Timer t =
        Timer.builder("trainwatch.gpu.sample")
            .description("Time to read the GPUs once")
            .tag("provider", provider)
            .tag("op", op)
            .register(registry);
    return t.record(work);
  }

  public void xidEvent() {
    if (registry != null) {
      Counter.builder("trainwatch.gpu.xid.events")
          .description("Critical XID events received from the driver")
          .register(registry)
          .increment();
    }
  }

  public void xidDropped() {
    if (registry != null) {
      Counter.builder("trainwatch.gpu.xid.dropped")
          .description("XID events dropped because the queue was full")
          .register(registry)
          .increment();
    }
  }
}
