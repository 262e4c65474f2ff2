package dev.trainwatch.gateway;

import dev.trainwatch.bus.HttpErrors;

import dev.trainwatch.bus.Addresses;
import dev.trainwatch.bus.FailureCode;
import dev.trainwatch.bus.RecordCodec;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.function.BiFunction;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The browser-facing edge: HTTP API, {@code /ws} live channels and the UI. Config (the {@code gateway} section plus
 * {@code http}): {@code http.host}, {@code http.port}, {@code ui_dir}, {@code public} (settings safe to show at
 * {@code /api/config}).
 */
public final class GatewayVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(GatewayVerticle.class);
  static final int MAX_WS_FRAME = 64 * 1024;

  private final LatestCache latest = new LatestCache();
  private final List<BiFunction<Vertx, Router, Future<Void>>> extraRoutes;
  private ChannelHub hub;
  private HttpServer server;

  public GatewayVerticle() {
    this(List.of());
  }

  /**
   * @param extraRoutes routes of co-located roles served on this same port (in embedded mode, ingest), mounted
   *     before the UI's catch-all
   */
  public GatewayVerticle(List<BiFunction<Vertx, Router, Future<Void>>> extraRoutes) {
    this.extraRoutes = List.copyOf(extraRoutes);
  }

  @Override
  public Future<?> start() {
    JsonObject http = config().getJsonObject("http", new JsonObject());
    hub = new ChannelHub(vertx, latest);
    ServerDirectory directory = new ServerDirectory(vertx);
    Router router = Router.router(vertx);
    new ApiRoutes(vertx, latest, directory, config().getJsonObject("public", new JsonObject())).mount(router);
    MetricsRoute.mount(router, latest);
    List<Future<Void>> mounted = new java.util.ArrayList<>();
    extraRoutes.forEach(m -> mounted.add(m.apply(vertx, router)));
    router.route("/api/*").handler(ctx ->
        HttpErrors.send(ctx.response(), FailureCode.NOT_FOUND, "no such endpoint: " + ctx.request().path(), null));
    StaticUi.mount(router, config().getString("ui_dir"));
    router.route().failureHandler(ctx -> {
      LOG.error("unhandled failure on {}", ctx.request().path(), ctx.failure());
      HttpErrors.send(ctx.response(), FailureCode.INTERNAL, "internal error", null);
    });

    HttpServerOptions opts = new HttpServerOptions().setHost(http.getString("host", "127.0.0.1"))
        .setPort(http.getInteger("port", 8080))
        .setMaxWebSocketFrameSize(MAX_WS_FRAME).setMaxWebSocketMessageSize(MAX_WS_FRAME)
        .setPerMessageWebSocketCompressionSupported(false).setPerFrameWebSocketCompressionSupported(false)
        .setCompressionSupported(true).setDecompressionSupported(true)
        // Every write to a connection happens on its own event loop (each instance's hub only writes to the sockets
        // that instance accepted), so Vert.x may skip the MPSC outbound queue it otherwise gives every connection.
        .setStrictThreadMode(true);
    hub.start();
    registerSelfMetrics();
    vertx.eventBus().consumer(Addresses.REGISTRY_CHANGED, m -> directory.invalidate());
    RecordCodec.registerAll(vertx);
    return vertx.eventBus().consumer(Addresses.DERIVED, m -> {
      // At most one JSON rendering per snapshot, shared by the latest cache, the channels and /metrics, and none
      // for a snapshot nobody watches before the next one replaces it.
      LatestCache.Entry e = latest.put(m.body());
      hub.publish(e.server(), e::json);
    }).completion().compose(v -> Future.all(mounted)).compose(v -> vertx.createHttpServer(opts)
        .webSocketHandshakeHandler(hs -> {
          if ("/ws".equals(hs.path()) || "/ws/".equals(hs.path())) {
            hs.accept();
          } else {
            hs.reject(404);
          }
        })
        .webSocketHandler(hub::accept)
        .requestHandler(router)
        .listen())
        .onSuccess(s -> {
          server = s;
          LOG.info("gateway listening on http://{}:{}/", opts.getHost(), s.actualPort());
        });
  }

  /** Read by the metrics registry from its own thread: only thread-safe counters and Caffeine's estimate. */
  private void registerSelfMetrics() {
    var registry = io.micrometer.core.instrument.Metrics.globalRegistry;
    io.micrometer.core.instrument.Gauge.builder("trainwatch.gateway.websocket.sessions", hub, ChannelHub::sessionCount)
        .description("Open WebSocket sessions").register(registry);
    io.micrometer.core.instrument.FunctionCounter.builder("trainwatch.gateway.websocket.frames.superseded", hub,
        ChannelHub::framesDropped).description("Frames replaced by a newer one for a socket that could not keep up")
        .register(registry);
    io.micrometer.core.instrument.Gauge.builder("trainwatch.gateway.latest.servers", latest, LatestCache::size)
        .description("Servers in the latest-snapshot cache").register(registry);
  }

  ChannelHub hub() {
    return hub;
  }

  /** Open WebSocket sessions (self-metric; read from any thread as an estimate). */
  public int sessions() {
    return hub.sessionCount();
  }

  /** Frames superseded for slow clients since start (self-metric). */
  public long framesDropped() {
    return hub.framesDropped();
  }

  /** The bound port (useful when configured as 0). */
  public int actualPort() {
    return server == null ? -1 : server.actualPort();
  }

  @Override
  public Future<?> stop() {
    hub.stop();
    // Bounded: a stalled browser that never answers the close handshake must not hold up a shutdown.
    return server == null ? Future.succeededFuture() : server.shutdown(2, java.util.concurrent.TimeUnit.SECONDS);
  }
}
