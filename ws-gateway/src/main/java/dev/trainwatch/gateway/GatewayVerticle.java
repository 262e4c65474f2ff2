package dev.trainwatch.gateway;

import dev.trainwatch.bus.Addresses;
import dev.trainwatch.bus.FailureCode;
import dev.trainwatch.bus.HttpErrors;
import dev.trainwatch.bus.Json;
import dev.trainwatch.bus.RecordCodec;
import dev.trainwatch.bus.RequestDeadlines;
import dev.trainwatch.bus.Tls;
import dev.trainwatch.bus.derived.Unstored;
import dev.trainwatch.gateway.auth.AccessSettings;
import dev.trainwatch.gateway.auth.AdminRoutes;
import dev.trainwatch.gateway.auth.Authenticator;
import dev.trainwatch.gateway.auth.Guard;
import dev.trainwatch.gateway.auth.LoginRoutes;
import dev.trainwatch.gateway.auth.Sessions;
import dev.trainwatch.gateway.auth.WsGate;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Metrics;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The browser-facing edge: HTTP API, {@code /ws} live channels and the UI, behind sign-in
 * (docs/security.md). Config (the {@code gateway} section plus {@code http} and {@code auth}):
 * {@code http.host}, {@code http.port}, {@code http.tls_cert}/{@code tls_key}, {@code ui_dir},
 * {@code public} (settings safe to show at {@code /api/config}), and the access settings read by
 * {@link AccessSettings}.
 */
public final class GatewayVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(GatewayVerticle.class);
  static final int MAX_WS_FRAME = 64 * 1024;

  private final LatestCache latest = new LatestCache();
  private final List<BiFunction<Vertx, Router, Future<Void>>> extraRoutes;
  private ChannelHub hub;
  private FleetFeed fleet;
  private RequestDeadlines deadlines;
  private HttpServer server;
  private Router router;
  private Sessions sessions;
  private LoginRoutes login;
  private long revalidateTimer = -1;

  /**
   * How often sockets check that their grant still holds (a session may have expired, a
   * revocation's NOTIFY been lost). Gateway config {@code ws_revalidate_ms} overrides it (tests).
   */
  static final long REVALIDATE_MS = 60_000;

  public GatewayVerticle() {
    this(List.of());
  }

  /**
   * @param extraRoutes routes of co-located roles served on this same port (in embedded mode,
   *     ingest), mounted before the UI's catch-all
   */
  public GatewayVerticle(List<BiFunction<Vertx, Router, Future<Void>>> extraRoutes) {
    this.extraRoutes = List.copyOf(extraRoutes);
  }

  @Override
  public Future<?> start() {
    JsonObject http = config().getJsonObject("http", new JsonObject());
    AccessSettings access = AccessSettings.from(config());
    ServerDirectory directory = new ServerDirectory(vertx);
    hub = new ChannelHub(vertx, latest, directory);
    fleet = new FleetFeed(vertx, latest, directory);
    hub.fleetReplay(fleet::fleet);
    hub.maxSocketsPerAddress(
        config().getInteger("ws_max_per_address", ChannelHub.MAX_SOCKETS_PER_ADDRESS));
    hub.directWrites(config().getBoolean("ws_direct_writes", true));
    sessions = new Sessions(vertx, access);
    Authenticator authn = new Authenticator(vertx, sessions, access);
    WsGate wsGate = new WsGate(access, authn);
    router = Router.router(vertx);
    AdminRoutes.mountBodyReader(router);
    // Then every request passes the Host, authentication and CSRF checks before any route sees it.
    new Guard(access, authn).mount(router);
    login = new LoginRoutes(vertx, access, sessions, authn);
    login.mount(router);
    new ApiRoutes(
            vertx,
            latest,
            directory,
            config().getJsonObject("public", new JsonObject()),
            config().getString("collector_server", "local"))
        .mount(router);
    new AdminRoutes(vertx).mount(router);
    new AlertRoutes(vertx).mount(router);
    fleet.mount(router);
    MetricsRoute.mount(router, latest);
    List<Future<Void>> mounted = new ArrayList<>();
    extraRoutes.forEach(m -> mounted.add(m.apply(vertx, router)));
    router
        .route("/api/*")
        .handler(
            ctx ->
                HttpErrors.send(
                    ctx.response(),
                    FailureCode.NOT_FOUND,
                    "no such endpoint: " + ctx.request().path(),
                    null));
    StaticUi.mount(router, config().getString("ui_dir"));
    router.route().failureHandler(GatewayVerticle::failure);

    HttpServerOptions opts =
        new HttpServerOptions()
            .setHost(http.getString("host", "127.0.0.1"))
            .setPort(http.getInteger("port", 8080))
            .setMaxWebSocketFrameSize(MAX_WS_FRAME)
            .setMaxWebSocketMessageSize(MAX_WS_FRAME)
            .setPerMessageWebSocketCompressionSupported(false)
            .setPerFrameWebSocketCompressionSupported(false)
            .setCompressionSupported(true)
            // Request bodies are not inflated by the server: it would happen before routing and
            // authentication, with no
            // cap. Ingest (when co-located here) inflates gzip itself, after the token check, into
            // a bounded buffer.
            .setDecompressionSupported(false)
            .setHttp2ClearTextEnabled(false)
            // Idle connections close; live sockets are pinged every 20 s, so they never idle this
            // long.
            .setIdleTimeout(120)
            // Every write to a connection happens on its own event loop (each instance's hub only
            // writes to the sockets
            // that instance accepted), so Vert.x may skip the MPSC outbound queue it otherwise
            // gives every connection.
            .setStrictThreadMode(true);
    Tls.apply(opts, http);
    hub.start();
    deadlines = new RequestDeadlines(vertx, config());
    registerSelfMetrics();
    vertx.eventBus().consumer(Addresses.REGISTRY_CHANGED, m -> directory.invalidate());
    vertx.eventBus().<JsonObject>consumer(Addresses.ACCESS_CHANGED, m -> endGrant(m.body()));
    vertx
        .eventBus()
        .<JsonObject>consumer(
            Addresses.ALERTS_CHANGED,
            m -> {
              hub.publishAlert(m.body());
              fleet.alertChanged(m.body());
            });
    vertx
        .eventBus()
        .consumer(
            Addresses.REGISTRY_CHANGED,
            m -> fleet.snapshot(((JsonObject) m.body()).getString("slug")));
    vertx
        .eventBus()
        .<JsonObject>consumer(
            Addresses.DERIVED_UNSTORED, m -> unstored(Unstored.fromJson(m.body())));
    fleet.start(hub);
    revalidateTimer =
        vertx.setPeriodic(
            config().getLong("ws_revalidate_ms", REVALIDATE_MS), id -> revalidateSockets());
    RecordCodec.registerAll(vertx);
    return vertx
        .eventBus()
        .consumer(
            Addresses.DERIVED,
            m -> {
              // At most one JSON rendering per snapshot, shared by the latest cache, the channels
              // and /metrics, and none
              // for a snapshot nobody watches before the next one replaces it.
              LatestCache.Entry e = latest.put(m.body());
              hub.publish(e.server(), e::json);
              fleet.snapshot(e.server());
            })
        .completion()
        .compose(v -> Future.all(mounted))
        .compose(
            v ->
                vertx
                    .createHttpServer(opts)
                    .connectionHandler(deadlines::connected)
                    .webSocketHandshakeHandler(
                        deadlines.handshakes(
                            hs -> {
                              if (!"/ws".equals(hs.path()) && !"/ws/".equals(hs.path())) {
                                hs.reject(404);
                                return;
                              }
                              wsGate
                                  .check(hs)
                                  .onComplete(
                                      ar -> {
                                        WsGate.Verdict verdict = ar.result();
                                        if (verdict.status() != 101) {
                                          hs.reject(verdict.status());
                                        } else if (hs.remoteAddress() != null
                                            && !hub.admits(hs.remoteAddress().hostAddress())) {
                                          hs.reject(429);
                                        } else {
                                          // Accepted here, where the principal is known; the
                                          // server-level handler below has nothing to add.
                                          hs.accept()
                                              .onSuccess(ws -> hub.accept(ws, verdict.principal()));
                                        }
                                      });
                            }))
                    .webSocketHandler(ws -> {})
                    .requestHandler(deadlines.requests(router))
                    .listen())
        .onSuccess(
            s -> {
              server = s;
              LOG.info(
                  "gateway listening on {}://{}:{}/ (auth: {})",
                  opts.isSsl() ? "https" : "http",
                  opts.getHost(),
                  s.actualPort(),
                  access.mode().name().toLowerCase(Locale.ROOT));
            });
  }

  /**
   * A snapshot shown live was not stored: marked in the latest cache and on the server's live
   * channels.
   */
  private void unstored(Unstored u) {
    latest.markUnstored(u);
    hub.publishUnstored(
        u.server(),
        Json.ts(u.ts()),
        new JsonObject().put("seq", u.seq()).put("boot_id", u.bootId()).put("code", u.code()));
  }

  /**
   * A client's mistake found by a handler (BodyHandler's 413, a bad path parameter) keeps its 4xx;
   * only bugs are 500.
   */
  private static void failure(RoutingContext ctx) {
    int status = ctx.statusCode();
    if (status == 413) {
      HttpErrors.send(ctx.response(), FailureCode.PAYLOAD_TOO_LARGE, "the body is too large", null);
    } else if (status >= 400 && status < 500) {
      HttpErrors.send(
          ctx.response(),
          status == 404 ? FailureCode.NOT_FOUND : FailureCode.INVALID_PAYLOAD,
          "the request was refused (" + status + ")",
          null);
    } else {
      LOG.error("unhandled failure on {}", ctx.request().path(), ctx.failure());
      HttpErrors.send(ctx.response(), FailureCode.INTERNAL, "internal error", null);
    }
  }

  /** A session ended (sign-out, on any node) or an API token was revoked: its sockets close now. */
  private void endGrant(JsonObject what) {
    String session = what.getString("session");
    String token = what.getString("api_token");
    int n =
        hub.closeWhere(
            p ->
                (session != null && session.equals(p.sessionId()))
                    || (token != null && token.equals(p.tokenId())),
            "signed out or revoked");
    if (n > 0) {
      LOG.info(
          "closed {} socket(s): {}",
          n,
          session != null ? "session ended" : "API token " + token + " revoked");
    }
  }

  /**
   * Grants also end silently: a session by timeout, and a revocation whose NOTIFY was lost (history
   * or its LISTEN connection restarting). Sockets riding on a session check it (which also keeps it
   * alive while the dashboard is open); sockets riding on API tokens check that their tokens are
   * still live.
   */
  private void revalidateSockets() {
    for (String id : hub.sessionIds()) {
      sessions
          .findByKey(id)
          .onSuccess(
              p -> {
                if (p == null) {
                  hub.closeWhere(x -> id.equals(x.sessionId()), "session expired");
                }
              });
    }
    Set<String> tokens = hub.tokenIds();
    if (!tokens.isEmpty()) {
      vertx
          .eventBus()
          .<JsonObject>request(Addresses.ACCESS_TOKEN_ADMIN, new JsonObject().put("op", "list"))
          .onSuccess(
              m -> {
                Set<String> live = new HashSet<>();
                m.body()
                    .getJsonArray("tokens")
                    .forEach(t -> live.add(((JsonObject) t).getString("id")));
                hub.closeWhere(
                    p -> p.tokenId() != null && !live.contains(p.tokenId()), "API token revoked");
              });
    }
  }

  /**
   * Read by the metrics registry from its own thread: only thread-safe counters and Caffeine's
   * estimate.
   */
  private void registerSelfMetrics() {
    var registry = Metrics.globalRegistry;
    Gauge.builder("trainwatch.gateway.websocket.sessions", hub, ChannelHub::sessionCount)
        .description("Open WebSocket sessions")
        .register(registry);
    FunctionCounter.builder(
            "trainwatch.gateway.websocket.frames.superseded", hub, ChannelHub::framesDropped)
        .description("Frames replaced by a newer one for a socket that could not keep up")
        .register(registry);
    Gauge.builder("trainwatch.gateway.latest.servers", latest, LatestCache::size)
        .description("Servers in the latest-snapshot cache")
        .register(registry);
    FunctionCounter.builder(
            "trainwatch.http.closed.slow", deadlines, RequestDeadlines::closedForLateness)
        .tag("listener", "gateway")
        .description("Connections closed for a request head or body that did not arrive in time")
        .register(registry);
  }

  /** The routes as mounted (the route-crawl test walks them). */
  Router router() {
    return router;
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
    fleet.stop();
    vertx.cancelTimer(revalidateTimer);
    login.close();
    // Bounded: a stalled browser that never answers the close handshake must not hold up a
    // shutdown.
    return server == null ? Future.succeededFuture() : server.shutdown(2, TimeUnit.SECONDS);
  }
}
