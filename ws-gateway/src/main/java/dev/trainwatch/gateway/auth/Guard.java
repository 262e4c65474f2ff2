package dev.trainwatch.gateway.auth;

import dev.trainwatch.bus.FailureCode;
import dev.trainwatch.bus.HttpErrors;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Locale;
import java.util.Set;

/**
 * The gateway's front door, mounted before every route: security headers on every response, the
 * Host check (DNS rebinding), authentication, and the CSRF check on state-changing requests. Deny
 * by default: every path under {@code /api/}, {@code /metrics} and {@code /logout} needs a
 * principal unless it is in the short public list, so a route added later is protected without
 * anyone remembering to protect it. Per-route permissions come on top with {@link
 * #require(Permission)}.
 */
public final class Guard {
  static final String PRINCIPAL = "trainwatch.principal";

  /**
   * No inline script or style anywhere in the UI, no framing, no plugins, no foreign connections.
   */
  public static final String CSP =
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
          + "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

  static final String HSTS = "max-age=63072000; includeSubDomains";
  private static final Set<String> PUBLIC_EXACT = Set.of("/api/health", "/api/config", "/login");
  private static final Set<HttpMethod> SAFE =
      Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS);

  private final AccessSettings settings;
  private final Authenticator authenticator;

  public Guard(AccessSettings settings, Authenticator authenticator) {
    this.settings = settings;
    this.authenticator = authenticator;
  }

  /**
   * The public list (CONTRACT §2): health, public config, sign-in, and ingest (which takes agent
   * tokens only).
   */
  public static boolean isPublic(String path) {
    return PUBLIC_EXACT.contains(bare(path)) || path.startsWith("/login/") || isIngest(path);
  }

  /**
   * Every path works with and without a trailing slash (CONTRACT), so every check reads it without.
   */
  private static String bare(String path) {
    return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
  }

  static boolean isIngest(String path) {
    return path.startsWith("/api/ingest/");
  }

  /** Paths that need a principal. The UI's static files do not: they hold no data. */
  public static boolean isProtected(String path) {
    if (isPublic(path)) {
      return false;
    }
    String p = bare(path);
    return p.equals("/api")
        || p.startsWith("/api/")
        || p.equals("/metrics")
        || p.startsWith("/metrics/")
        || p.equals("/logout")
        || p.equals("/ws")
        || p.startsWith("/ws/");
  }

  public void mount(Router router) {
    router
        .route()
        .handler(this::headers)
        .handler(Guard::decodable)
        .handler(this::host)
        .handler(this::authenticate)
        .handler(this::csrf);
  }

  /** Per-route permission, after authentication: 403 for a principal whose role lacks it. */
  public static Handler<RoutingContext> require(Permission p) {
    return ctx -> {
      Principal who = principal(ctx);
      if (who != null && who.can(p)) {
        ctx.next();
      } else {
        HttpErrors.send(
            ctx.response(),
            FailureCode.FORBIDDEN,
            "your role may not do this (needs " + p.name().toLowerCase(Locale.ROOT) + ")",
            null);
      }
    };
  }

  public static Principal principal(RoutingContext ctx) {
    return ctx.get(PRINCIPAL);
  }

  private void headers(RoutingContext ctx) {
    var h = ctx.response().headers();
    h.set("content-security-policy", CSP)
        .set("x-content-type-options", "nosniff")
        // The login URL carries a one-time token: never let it leave in a Referer.
        .set("referrer-policy", "no-referrer")
        .set("x-frame-options", "DENY")
        .set("cross-origin-opener-policy", "same-origin");
    if (settings.tls()) {
      h.set("strict-transport-security", HSTS);
    }
    ctx.next();
  }

  /**
   * A query string that does not decode ({@code ?server=%zz}) is the client's mistake: 400 here,
   * once, rather than an exception in whichever handler first reads a parameter.
   */
  private static void decodable(RoutingContext ctx) {
    try {
      ctx.queryParams();
    } catch (RuntimeException e) {
      HttpErrors.send(
          ctx.response(),
          FailureCode.INVALID_QUERY,
          "the query string is not valid percent-encoding",
          null);
      return;
    }
    ctx.next();
  }

  private void host(RoutingContext ctx) {
    // Agents reach ingest by whatever name or address routes to us; a token, not a cookie, guards
    // it.
    if (isIngest(ctx.normalizedPath())
        || RequestChecks.hostAllowed(hostHeader(ctx.request()), settings.allowedHosts())) {
      ctx.next();
    } else {
      HttpErrors.send(
          ctx.response(),
          FailureCode.FORBIDDEN,
          "this server does not answer to that Host name "
              + "(add it to http.allowed_hosts or http.public_url)",
          null);
    }
  }

  private void authenticate(RoutingContext ctx) {
    String path = ctx.normalizedPath();
    boolean home = path.equals("/") || path.equals("/index.html");
    if (!isProtected(path) && !home) {
      ctx.next();
      return;
    }
    authenticator
        .authenticate(ctx.request().headers())
        .onComplete(
            ar -> {
              if (ar.failed()) {
                HttpErrors.send(
                    ctx.response(),
                    FailureCode.of(ar.cause()) == FailureCode.INTERNAL
                        ? FailureCode.UNAVAILABLE
                        : FailureCode.of(ar.cause()),
                    "cannot check credentials now",
                    null);
              } else if (ar.result() != null) {
                ctx.put(PRINCIPAL, ar.result());
                ctx.next();
              } else if (home) {
                // A browser without a session: to the sign-in page rather than an empty dashboard.
                ctx.response().setStatusCode(303).putHeader("location", "/login").end();
              } else {
                ctx.response().putHeader("www-authenticate", "Bearer realm=\"trainwatch\"");
                HttpErrors.send(
                    ctx.response(),
                    FailureCode.UNAUTHORIZED,
                    "sign in, or send an API token as Authorization: Bearer",
                    null);
              }
            });
  }

  private void csrf(RoutingContext ctx) {
    HttpServerRequest req = ctx.request();
    if (SAFE.contains(req.method()) || isIngest(ctx.normalizedPath())) {
      ctx.next();
      return;
    }
    String own = RequestChecks.ownOrigin(settings.tls() ? "https" : "http", hostHeader(req));
    if (RequestChecks.stateChangeAllowed(
        req.getHeader("sec-fetch-site"),
        req.getHeader("origin"),
        own,
        settings.allowedOrigins(),
        Authenticator.usesBearer(req.headers()))) {
      ctx.next();
    } else {
      HttpErrors.send(ctx.response(), FailureCode.FORBIDDEN, "cross-site request refused", null);
    }
  }

  static String hostHeader(HttpServerRequest req) {
    String h = req.getHeader("host");
    return h != null ? h : req.authority() == null ? null : req.authority().toString();
  }
}
