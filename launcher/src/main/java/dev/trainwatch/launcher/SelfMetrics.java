package dev.trainwatch.launcher;

import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;
import java.util.Set;

/**
 * One Prometheus registry per process, added to Micrometer's global registry (where the verticles
 * record their own metrics) and given to Vert.x for its HTTP, event-bus and pool metrics; the
 * gateway's {@code /metrics} scrapes it.
 */
final class SelfMetrics {
  private SelfMetrics() {}

  private static final Set<String> NON_CONVENTIONAL =
      Set.of("jvm.compilation.time", "process.cpu.time", "system.cpu.count");
  private static PrometheusMeterRegistry registry;

  static synchronized VertxBuilder install() {
    if (registry == null) {
      registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      // Micrometer's stock binders name these against Prometheus conventions (ms/ns units, a
      // "_count" gauge) and
      // promtool rejects them; the same facts are available as process_cpu_usage and jvm_* in base
      // units.
      registry
          .config()
          .meterFilter(MeterFilter.deny(id -> NON_CONVENTIONAL.contains(id.getName())));
      Metrics.globalRegistry.add(registry);
    }
    return Vertx.builder().with(options()).withMetrics(new MicrometerMetricsFactory(registry));
  }

  static VertxOptions options() {
    return new VertxOptions()
        .setMetricsOptions(
            new MicrometerMetricsOptions()
                .setEnabled(true)
                .setJvmMetricsEnabled(true)
                .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true)));
  }
}
