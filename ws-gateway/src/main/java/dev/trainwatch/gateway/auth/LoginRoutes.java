package dev.trainwatch.gateway.auth;

import dev.trainwatch.bus.Addresses;
import dev.trainwatch.bus.Tokens;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.http.Cookie;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sign-in and sign-out. Local mode: {@code GET /login?token=…} spends a one-time token (printed by
 * {@code trainwatch run} or {@code trainwatch login-url}) for an admin session. OIDC mode: {@code
 * /login/oidc} starts the provider's flow and {@code /login/callback} finishes it. {@code POST
 * /logout} ends the session and its sockets; {@code GET /api/me} says who is signed in.
 */
public final class LoginRoutes {
  private static final Logger LOG = LoggerFactory.getLogger(LoginRoutes.class);
  private static final DeliveryOptions ASK = new DeliveryOptions().setSendTimeout(5_000);

  private final Vertx vertx;
  private final AccessSettings settings;
  private final Sessions sessions;
  private final Authenticator authenticator;
  private final OidcLogin oidc;

  public LoginRoutes(
      Vertx vertx, AccessSettings settings, Sessions sessions, Authenticator authenticator) {
    this.vertx = vertx;
    this.settings = settings;
    this.sessions = sessions;
    this.authenticator = authenticator;
    this.oidc =
        settings.mode() == AccessSettings.Mode.OIDC ? new OidcLogin(vertx, settings.oidc()) : null;
  }

  public void mount(Router r) {
    for (String p : new String[] {"/login", "/login/"}) {
      r.get(p).handler(this::login);
    }
    r.get("/login/oidc").handler(this::oidcStart);
    r.get("/login/callback").handler(this::oidcCallback);
    r.post("/logout").handler(this::logout);
    r.post("/logout/").handler(this::logout);
    r.get("/api/me").handler(this::me);
    r.get("/api/me/").handler(this::me);
  }

  private void login(RoutingContext ctx) {
    String token = ctx.queryParams().get("token");
    if (settings.mode() == AccessSettings.Mode.LOCAL && token != null) {
      redeem(ctx, token);
      return;
    }
    authenticator
        .authenticate(ctx.request().headers())
        .onComplete(
            ar -> {
              if (ar.succeeded() && ar.result() != null && ar.result().sessionId() != null) {
                seeOther(ctx, "/");
              } else if (settings.mode() == AccessSettings.Mode.OIDC) {
                LoginPages.send(
                    ctx.response(),
                    200,
                    "Sign in",
                    "Sign in with your organisation's account.",
                    settings.oidc().google() ? "Sign in with Google" : "Sign in",
                    "/login/oidc");
              } else {
                LoginPages.send(
                    ctx.response(),
                    200,
                    "Sign in",
                    "Open the sign-in link that trainwatch printed when it "
                        + "started, or run `trainwatch login-url` on the server for a new one.",
                    null,
                    null);
              }
            });
  }

  private void redeem(RoutingContext ctx, String token) {
    if (token.length() > Tokens.MAX_LENGTH) {
      refusedLocal(ctx);
      return;
    }
    vertx
        .eventBus()
        .<JsonObject>request(
            Addresses.ACCESS_LOGIN_REDEEM,
            new JsonObject().put("token_sha256", Tokens.sha256Hex(token)),
            ASK)
        .onComplete(
            ar -> {
              if (ar.failed()) {
                LoginPages.send(
                    ctx.response(),
                    503,
                    "Try again",
                    "Storage is not reachable right now.",
                    "Retry",
                    "/login");
              } else if (!"ok".equals(ar.result().body().getString("outcome"))) {
                refusedLocal(ctx);
              } else {
                signIn(
                    ctx,
                    new Principal(
                        Principal.Kind.LOCAL,
                        "local",
                        "local operator",
                        null,
                        Role.ADMIN,
                        System.currentTimeMillis(),
                        null,
                        null),
                    safeNext(ctx.queryParams().get("next")));
              }
            });
  }

  private void refusedLocal(RoutingContext ctx) {
    LoginPages.send(
        ctx.response(),
        401,
        "This sign-in link does not work",
        "It was used already or has "
            + "expired (each link works once). On the server, run `trainwatch login-url` for a new one.",
        null,
        null);
  }

  private void oidcStart(RoutingContext ctx) {
    if (oidc == null) {
      seeOther(ctx, "/login");
      return;
    }
    String next = safeNext(ctx.queryParams().get("next"));
    oidc.start()
        .compose(
            s ->
                sessions
                    .startFlow(s.flow().put("next", next))
                    .map(
                        cookie -> {
                          ctx.response().addCookie(cookie);
                          return s.authorizeUrl();
                        }))
        .onSuccess(url -> ctx.response().setStatusCode(302).putHeader("location", url).end())
        .onFailure(
            e -> {
              LOG.warn("OIDC provider {} unreachable: {}", settings.oidc().issuer(), e.toString());
              LoginPages.send(
                  ctx.response(),
                  503,
                  "Sign-in is unavailable",
                  "The identity provider cannot be reached right now.",
                  "Try again",
                  "/login/oidc");
            });
  }

  private void oidcCallback(RoutingContext ctx) {
    if (oidc == null) {
      seeOther(ctx, "/login");
      return;
    }
    var q = ctx.queryParams();
    String flowId = Sessions.cookieValue(ctx.request().getHeader("cookie"), Sessions.FLOW_COOKIE);
    ctx.response().addCookie(sessions.expired(Sessions.FLOW_COOKIE, "/login"));
    // The flow is taken (and so spent) before anything else: a callback URL replayed later finds
    // nothing.
    sessions
        .takeFlow(flowId)
        .onComplete(
            ar -> {
              JsonObject flow = ar.succeeded() ? ar.result() : null;
              if (q.get("error") != null) {
                refused(
                    ctx,
                    401,
                    "The identity provider did not sign you in (" + q.get("error") + ").");
              } else if (flow == null) {
                refused(ctx, 400, "This sign-in expired or was not started in this browser.");
              } else if (q.get("state") == null || q.get("code") == null) {
                refused(ctx, 400, "The provider's answer is incomplete (no state or code).");
              } else if (!MessageDigest.isEqual(
                  q.get("state").getBytes(StandardCharsets.UTF_8),
                  flow.getString("state").getBytes(StandardCharsets.UTF_8))) {
                refused(ctx, 401, "The provider's answer does not belong to this sign-in (state).");
              } else {
                oidc.finish(flow, q.get("code"))
                    .onComplete(
                        o -> {
                          OidcLogin.Outcome out = o.result();
                          if (out.principal() != null) {
                            LOG.info(
                                "signed in: {} as {}",
                                out.principal().email(),
                                out.principal().role().id());
                            signIn(ctx, out.principal(), safeNext(flow.getString("next")));
                          } else {
                            refused(ctx, out.status(), out.reason());
                          }
                        });
              }
            });
  }

  private void refused(RoutingContext ctx, int status, String why) {
    LoginPages.send(
        ctx.response(),
        status,
        status == 403 ? "Access refused" : "Sign-in failed",
        why,
        "Start again",
        "/login");
  }

  /**
   * Where to go after signing in: a path on this server only ({@code /…}, not {@code //host} or
   * {@code /\host}, which browsers read as another origin), else the dashboard. Never an open
   * redirect.
   */
  static String safeNext(String next) {
    if (next == null
        || next.length() > 512
        || !next.startsWith("/")
        || next.startsWith("//")
        || next.startsWith("/\\")
        || next.chars().anyMatch(c -> c < 0x20 || c == 0x7f || c == '\\')) {
      return "/";
    }
    return next;
  }

  private void signIn(RoutingContext ctx, Principal who, String next) {
    // Whatever session the browser had ends; the new one gets a new id (no fixation).
    String old =
        Sessions.keyOfCookie(
            Sessions.cookieValue(ctx.request().getHeader("cookie"), settings.sessionCookie()));
    if (old != null) {
      vertx.eventBus().publish(Addresses.ACCESS_CHANGED, new JsonObject().put("session", old));
    }
    sessions
        .destroy(old)
        .recover(e -> Future.succeededFuture())
        .compose(v -> sessions.create(who))
        .onSuccess(
            cookie -> {
              ctx.response().addCookie(cookie);
              seeOther(ctx, next);
            })
        .onFailure(
            e ->
                LoginPages.send(
                    ctx.response(),
                    503,
                    "Try again",
                    "Sessions are unavailable right now.",
                    "Retry",
                    "/login"));
  }

  private void logout(RoutingContext ctx) {
    Principal who = Guard.principal(ctx);
    Cookie gone = sessions.expired(settings.sessionCookie(), "/");
    String sid = who == null ? null : who.sessionId();
    sessions
        .destroy(sid)
        .onComplete(
            ar -> {
              if (sid != null) {
                vertx
                    .eventBus()
                    .publish(Addresses.ACCESS_CHANGED, new JsonObject().put("session", sid));
              }
              ctx.response().addCookie(gone).setStatusCode(204).end();
            });
  }

  private void me(RoutingContext ctx) {
    ctx.response()
        .putHeader("content-type", "application/json; charset=utf-8")
        .putHeader("cache-control", "no-store")
        .end(
            Guard.principal(ctx)
                .toJson()
                .put("auth_mode", settings.mode().name().toLowerCase(Locale.ROOT))
                .encode());
  }

  private static void seeOther(RoutingContext ctx, String where) {
    ctx.response().setStatusCode(303).putHeader("location", where).end();
  }

  public void close() {
    if (oidc != null) {
      oidc.close();
    }
  }
}
