package dev.trainwatch.ingest;

import dev.trainwatch.bus.FailureCode;
import dev.trainwatch.bus.HttpErrors;
import dev.trainwatch.bus.InvalidPayloadException;
import dev.trainwatch.bus.RecordCodec;
import dev.trainwatch.bus.owners.Members;
import dev.trainwatch.bus.owners.Owned;
import dev.trainwatch.bus.raw.RawSample;
import dev.trainwatch.bus.raw.RawSnapshot;
import dev.trainwatch.bus.raw.SampleAck;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Metrics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code POST /api/ingest/servers/{slug}/metrics/} (CONTRACT.md §1). Checks are ordered cheapest
 * first and each answers with the contract's code: rate limit (429), media type (415), token
 * (401/403/404), size (413), JSON (400). The 202 goes out only after every snapshot of the body is
 * committed; a storage problem is a 503 with Retry-After and the agent keeps its data. Config (the
 * {@code ingest} section): {@code max_body_bytes}, {@code auth_failures_max}, {@code
 * auth_failure_window_s}, {@code store_timeout_ms}.
 */
public final class IngestRoutes {

  private final Vertx vertx;
  private final int maxBody;
  private final TsWindow window;
  private final TokenAuth auth;
  private final AuthFailureLimiter limiter;
  private final DeliveryOptions storeOptions;

  /**
   * Which rates node owns each server: every ingest node routes a server's samples to the same one.
   */
  private final Members rates;

  private IngestRoutes(Vertx vertx, JsonObject config) {
    this.vertx = vertx;
    this.maxBody = config.getInteger("max_body_bytes", 1024 * 1024);
    this.window = new TsWindow(Duration.ofDays(config.getInteger("raw_retention_days", 7)));
    this.auth = new TokenAuth(vertx);
    this.limiter =
        new AuthFailureLimiter(
            config.getInteger("auth_failures_max", 10),
            Duration.ofSeconds(config.getLong("auth_failure_window_s", 60L)));
    this.storeOptions =
        new DeliveryOptions().setSendTimeout(config.getLong("store_timeout_ms", 15_000L));
    this.rates = new Members(vertx, Owned.RATES);
  }

  /**
   * Mounts the ingest route on {@code router}; the returned future completes once the registry feed
   * is live.
   */
  public static Future<Void> mount(Vertx vertx, Router router, JsonObject config) {
    RecordCodec.registerAll(vertx);
    IngestRoutes r = new IngestRoutes(vertx, config);
    router.post("/api/ingest/servers/:slug/metrics").handler(r::handle);
    router.post("/api/ingest/servers/:slug/metrics/").handler(r::handle);
    return Future.all(r.auth.start(), r.rates.start()).mapEmpty();
  }

  private void handle(RoutingContext ctx) {
    HttpServerRequest req = ctx.request();
    req.pause();
    HttpServerResponse resp = ctx.response();
    String ip = req.remoteAddress() == null ? "unknown" : req.remoteAddress().hostAddress();
    String slug = ctx.pathParam("slug");
    String token = token(req);
    if (limiter.blocked(ip, slug) && !(token != null && auth.knownGood(slug, token))) {
      resp.putHeader("retry-after", Long.toString(limiter.retryAfterSeconds()));
      error(
          resp,
          FailureCode.RATE_LIMITED,
          "too many failed authentications from this address",
          null);
      return;
    }
    String type = req.getHeader("content-type");
    if (type == null
        || !type.split(";", 2)[0].trim().toLowerCase(Locale.ROOT).equals("application/json")) {
      error(
          resp, FailureCode.UNSUPPORTED_MEDIA_TYPE, "Content-Type must be application/json", null);
      return;
    }
    String encoding = req.getHeader("content-encoding");
    if (encoding != null
        && !encoding.equalsIgnoreCase("gzip")
        && !encoding.equalsIgnoreCase("identity")) {
      error(
          resp,
          FailureCode.UNSUPPORTED_MEDIA_TYPE,
          "Content-Encoding must be gzip or absent",
          null);
      return;
    }
    if (token == null) {
      limiter.failed(ip, slug);
      error(
          resp,
          FailureCode.UNAUTHORIZED,
          "missing token: send X-Monitoring-Token or Authorization: Bearer",
          null);
      return;
    }
    auth.check(slug, token)
        .compose(
            outcome ->
                switch (outcome) {
                  case OK -> BoundedBody.read(req, maxBody);
                  case BAD_TOKEN -> {
                    limiter.failed(ip, slug);
                    yield Future.failedFuture(
                        FailureCode.UNAUTHORIZED.exception("invalid token for this server"));
                  }
                  case DISABLED ->
                      Future.failedFuture(
                          FailureCode.SERVER_DISABLED.exception(
                              "server '" + slug + "' is disabled"));
                  case UNKNOWN -> {
                    // Counted like a wrong token: probing for slugs spends the same budget as
                    // guessing tokens.
                    limiter.failed(ip, slug);
                    yield Future.failedFuture(
                        FailureCode.UNKNOWN_SERVER.exception("no server with slug '" + slug + "'"));
                  }
                })
        .compose(body -> store(slug, ip, inWindow(IngestPayload.read(body))))
        .onComplete(
            ar -> {
              if (ar.succeeded()) {
                JsonObject counts = ar.result();
                requests("accepted").increment();
                snapshots("stored").increment(counts.getInteger("accepted"));
                snapshots("duplicate").increment(counts.getInteger("duplicates"));
                resp.setStatusCode(202)
                    .putHeader("content-type", "application/json; charset=utf-8")
                    .end(counts.encode());
              } else {
                fail(resp, ar.cause());
              }
            });
  }

  private List<RawSnapshot> inWindow(IngestPayload.Parsed parsed) {
    window.check(parsed.snapshots(), parsed.batch(), Instant.now());
    return parsed.snapshots();
  }

  private Future<JsonObject> store(String slug, String ip, List<RawSnapshot> snapshots) {
    List<Future<Message<JsonObject>>> acks = new ArrayList<>(snapshots.size());
    // Sent in order, to one rates node: it handles one server's samples in arrival order, oldest
    // first.
    for (RawSnapshot s : snapshots) {
      acks.add(rates.request(slug, new RawSample(slug, ip, s), storeOptions));
    }
    return Future.join(acks)
        .transform(
            ar -> {
              int duplicates = 0;
              for (Future<Message<JsonObject>> f : acks) {
                if (f.failed()) {
                  FailureCode code = FailureCode.of(f.cause());
                  return Future.failedFuture(
                      code.httpStatus() == 400
                          ? f.cause()
                          : FailureCode.UNAVAILABLE.exception("storage unavailable, retry later"));
                }
                if (SampleAck.fromJson(f.result().body()).duplicate()) {
                  duplicates++;
                }
              }
              return Future.succeededFuture(
                  new JsonObject()
                      .put("accepted", snapshots.size() - duplicates)
                      .put("duplicates", duplicates));
            });
  }

  /**
   * Looked up once per tag value: registering on every request cost more than the rest of the
   * bookkeeping.
   */
  private static final Map<String, Counter> COUNTERS = new ConcurrentHashMap<>();

  private static Counter requests(String code) {
    return COUNTERS.computeIfAbsent(
        "requests:" + code,
        k ->
            Counter.builder("trainwatch.ingest.requests")
                .tag("code", code)
                .description("Ingest requests by answer: accepted, or the contract's error code")
                .register(Metrics.globalRegistry));
  }

  private static Counter snapshots(String result) {
    return COUNTERS.computeIfAbsent(
        "snapshots:" + result,
        k ->
            Counter.builder("trainwatch.ingest.snapshots")
                .tag("result", result)
                .description(
                    "Snapshots in accepted requests: stored now, or duplicates of stored ones")
                .register(Metrics.globalRegistry));
  }

  private static String token(HttpServerRequest req) {
    String t = req.getHeader("x-monitoring-token");
    if (t == null) {
      String a = req.getHeader("authorization");
      if (a != null && a.regionMatches(true, 0, "Bearer ", 0, 7)) {
        t = a.substring(7);
      }
    }
    t = t == null ? null : t.trim();
    return t == null || t.isEmpty() || t.length() > 256 ? null : t;
  }

  private static void fail(HttpServerResponse resp, Throwable e) {
    if (e instanceof BoundedBody.TooLarge) {
      resp.putHeader("connection", "close");
      error(
          resp,
          FailureCode.PAYLOAD_TOO_LARGE,
          "body over the limit (counted after decompression)",
          null);
    } else if (e instanceof IngestPayload.NotJson nj) {
      error(resp, FailureCode.INVALID_JSON, nj.getMessage(), null);
    } else if (e instanceof BoundedBody.BadGzip bg) {
      error(resp, FailureCode.INVALID_PAYLOAD, bg.getMessage(), null);
    } else if (e instanceof InvalidPayloadException ip) {
      error(resp, FailureCode.INVALID_PAYLOAD, ip.reason(), ip.field());
    } else {
      FailureCode code = FailureCode.of(e);
      error(
          resp,
          code == FailureCode.INTERNAL ? FailureCode.UNAVAILABLE : code,
          code == FailureCode.INTERNAL || code == FailureCode.UNAVAILABLE
              ? "storage unavailable, retry later"
              : e.getMessage(),
          null);
    }
  }

  private static void error(
      HttpServerResponse resp, FailureCode code, String message, String field) {
    if (resp.ended()) {
      return;
    }
    // One series per contract error code: a rise in unauthorized or invalid_payload is an agent
    // fleet problem.
    requests(code.code()).increment();
    HttpErrors.send(resp, code, message, field);
  }
}
