package dev.trainwatch.ingest;

import dev.trainwatch.bus.JsonLimits;
import dev.trainwatch.bus.RequestDeadlines;
import dev.trainwatch.bus.Tls;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Metrics;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;

/**
 * The ingest role on its own HTTP server (scaled mode: ingest nodes behind a load balancer). In
 * embedded mode the gateway mounts {@link IngestRoutes} on its own server instead, so agents and
 * browsers share one port. Config: the {@code ingest} section plus {@code http}.
 */
public final class IngestVerticle extends VerticleBase {
  static {
    JsonLimits.apply();
  }

  private HttpServer server;
  private RequestDeadlines deadlines;

  @Override
  public Future<?> start() {
    JsonObject http = config().getJsonObject("http", new JsonObject());
    Router router = Router.router(vertx);
    deadlines = new RequestDeadlines(vertx, config());
    FunctionCounter.builder(
            "trainwatch.http.closed.slow", deadlines, RequestDeadlines::closedForLateness)
        .tag("listener", "ingest")
        .description("Connections closed for a request head or body that did not arrive in time")
        .register(Metrics.globalRegistry);
    router.get("/api/health").handler(ctx -> ctx.json(new JsonObject().put("status", "ok")));
    return IngestRoutes.mount(vertx, router, config())
        .compose(
            v ->
                vertx
                    .createHttpServer(
                        tls(
                            new HttpServerOptions()
                                .setHost(http.getString("host", "127.0.0.1"))
                                .setPort(http.getInteger("port", 8080))
                                // No server-side inflation (BoundedBody inflates after the token
                                // check, capped), no h2c, idle closes.
                                .setDecompressionSupported(false)
                                .setHttp2ClearTextEnabled(false)
                                .setIdleTimeout(120),
                            http))
                    .connectionHandler(deadlines::connected)
                    .requestHandler(deadlines.requests(router))
                    .listen())
        .onSuccess(s -> server = s);
  }

  /** Connections under the slow-client deadlines now (tests). */
  int watchedConnections() {
    return deadlines == null ? 0 : deadlines.watching();
  }

  public int actualPort() {
    return server == null ? -1 : server.actualPort();
  }

  private static HttpServerOptions tls(HttpServerOptions opts, JsonObject http) {
    Tls.apply(opts, http);
    return opts;
  }
}
