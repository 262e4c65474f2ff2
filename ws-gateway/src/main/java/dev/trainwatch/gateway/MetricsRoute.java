package dev.trainwatch.gateway;

import io.micrometer.core.instrument.Metrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.ext.web.Router;

/**
 * {@code GET /metrics}: the fleet's latest values followed by this process's own metrics
 * (Micrometer: JVM, Vert.x, each verticle's self-metrics) when a Prometheus registry is installed
 * in the global registry (the launcher does).
 */
final class MetricsRoute {
  private MetricsRoute() {}

  static void mount(Router router, LatestCache latest) {
    router
        .get("/metrics")
        .handler(
            ctx -> {
              StringBuilder body = new StringBuilder(FleetExposition.render(latest.all()));
              for (var r : Metrics.globalRegistry.getRegistries()) {
                if (r instanceof PrometheusMeterRegistry p) {
                  body.append(p.scrape());
                }
              }
              ctx.response()
                  .putHeader("content-type", "text/plain; version=0.0.4; charset=utf-8")
                  .end(body.toString());
            });
  }
}
