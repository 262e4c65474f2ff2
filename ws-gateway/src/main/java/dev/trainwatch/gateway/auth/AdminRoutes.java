package dev.trainwatch.gateway.auth;

import dev.trainwatch.bus.Addresses;
import dev.trainwatch.bus.FailureCode;
import dev.trainwatch.bus.HttpErrors;
import dev.trainwatch.bus.RegistryChange;
import dev.trainwatch.bus.Tokens;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.Locale;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The admin API: API tokens ({@code manage_tokens}) and the server registry ({@code
 * manage_servers}). A new secret is made here, shown once in the response and sent to storage only
 * as its SHA-256.
 */
public final class AdminRoutes {
  static final int MAX_BODY = 4096;
  static final Pattern SLUG = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");
  static final Pattern TOKEN_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9 ._-]{0,63}");
  static final Pattern TOKEN_ID = Pattern.compile("twa_[0-9a-f]{8}");
  private static final DeliveryOptions ASK = new DeliveryOptions().setSendTimeout(10_000);

  private final Vertx vertx;

  public AdminRoutes(Vertx vertx) {
    this.vertx = vertx;
  }

  /**
   * Reads (at most {@link #MAX_BODY}) the admin API's request bodies. Mounted before the Guard:
   * vertx-web wants the body read before any asynchronous handler (authentication is one), and a 4
   * KiB cap makes that harmless.
   */
  public static void mountBodyReader(Router r) {
    r.postWithRegex("/api/(tokens|servers)(/.*)?")
        .handler(BodyHandler.create(false).setBodyLimit(MAX_BODY));
    r.putWithRegex("/api/alerts/rules/.*")
        .handler(BodyHandler.create(false).setBodyLimit(MAX_BODY));
  }

  public void mount(Router r) {
    route(r, HttpMethod.GET, "/api/tokens", Permission.MANAGE_TOKENS, this::listTokens);
    route(r, HttpMethod.POST, "/api/tokens", Permission.MANAGE_TOKENS, this::createToken);
    route(r, HttpMethod.DELETE, "/api/tokens/:id", Permission.MANAGE_TOKENS, this::revokeToken);
    route(r, HttpMethod.POST, "/api/servers", Permission.MANAGE_SERVERS, this::registerServer);
    route(
        r,
        HttpMethod.POST,
        "/api/servers/:slug/token",
        Permission.MANAGE_SERVERS,
        this::rotateToken);
    route(
        r,
        HttpMethod.POST,
        "/api/servers/:slug/disable",
        Permission.MANAGE_SERVERS,
        ctx -> setActive(ctx, false));
    route(
        r,
        HttpMethod.POST,
        "/api/servers/:slug/enable",
        Permission.MANAGE_SERVERS,
        ctx -> setActive(ctx, true));
  }

  /**
   * With and without the trailing slash (CONTRACT general rules); the permission check before the
   * handler.
   */
  public static void route(
      Router r, HttpMethod m, String path, Permission p, Handler<RoutingContext> h) {
    for (String variant : new String[] {path, path + "/"}) {
      r.route(m, variant).handler(Guard.require(p)).handler(h);
    }
  }

  private void listTokens(RoutingContext ctx) {
    ask(ctx, Addresses.ACCESS_TOKEN_ADMIN, new JsonObject().put("op", "list"), 200, b -> b);
  }

  private void createToken(RoutingContext ctx) {
    JsonObject body = jsonBody(ctx);
    if (body == null) {
      return;
    }
    String name = body.getValue("name") instanceof String s ? s.trim() : null;
    if (name == null || !TOKEN_NAME.matcher(name).matches()) {
      invalid(ctx, "name", "must be 1 to 64 letters, digits, spaces, '.', '_' or '-'");
      return;
    }
    Role role = body.getValue("role") instanceof String s ? Role.parse(s) : null;
    if (role == null) {
      invalid(ctx, "role", "must be reader, user or admin");
      return;
    }
    String token = Tokens.generate(Tokens.API);
    JsonObject ask =
        new JsonObject()
            .put("op", "create")
            .put("id", Tokens.prefix(token))
            .put("name", name)
            .put("role", role.id())
            .put("token_sha256", Tokens.sha256Hex(token))
            .put(
                "created_by",
                Guard.principal(ctx).email() != null
                    ? Guard.principal(ctx).email()
                    : Guard.principal(ctx).name());
    ask(
        ctx,
        Addresses.ACCESS_TOKEN_ADMIN,
        ask,
        201,
        b -> b.getJsonObject("token").put("token", token));
  }

  private void revokeToken(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    if (!TOKEN_ID.matcher(id).matches()) {
      invalid(ctx, "id", "is not an API token id (twa_ and 8 hex digits)");
      return;
    }
    vertx
        .eventBus()
        .<JsonObject>request(
            Addresses.ACCESS_TOKEN_ADMIN, new JsonObject().put("op", "revoke").put("id", id), ASK)
        .onSuccess(
            m -> {
              if (m.body().getBoolean("revoked", false)) {
                ctx.response().setStatusCode(204).end();
              } else {
                HttpErrors.send(
                    ctx.response(), FailureCode.NOT_FOUND, "no live API token " + id, "id");
              }
            })
        .onFailure(e -> fail(ctx, e));
  }

  private void registerServer(RoutingContext ctx) {
    JsonObject body = jsonBody(ctx);
    if (body == null) {
      return;
    }
    String slug = body.getValue("slug") instanceof String s ? s : null;
    if (slug == null || !SLUG.matcher(slug).matches()) {
      invalid(ctx, "slug", "must be lower-case letters, digits, '-' or '_', at most 64");
      return;
    }
    Object name = body.getValue("name");
    if (name != null && !(name instanceof String n && !n.isBlank() && n.length() <= 128)) {
      invalid(ctx, "name", "must be a non-empty string of at most 128 characters");
      return;
    }
    String token = Tokens.generate();
    change(
        ctx,
        new RegistryChange(
            RegistryChange.Mode.CREATE,
            slug,
            (String) name,
            Tokens.sha256(token),
            Tokens.prefix(token),
            false,
            null),
        201,
        new JsonObject().put("slug", slug).put("token", token));
  }

  private void rotateToken(RoutingContext ctx) {
    String slug = slug(ctx);
    if (slug != null) {
      String token = Tokens.generate();
      change(
          ctx,
          new RegistryChange(
              RegistryChange.Mode.UPDATE,
              slug,
              null,
              Tokens.sha256(token),
              Tokens.prefix(token),
              true,
              null),
          200,
          new JsonObject().put("slug", slug).put("token", token));
    }
  }

  private void setActive(RoutingContext ctx, boolean active) {
    String slug = slug(ctx);
    if (slug != null) {
      change(
          ctx,
          new RegistryChange(RegistryChange.Mode.UPDATE, slug, null, null, null, false, active),
          200,
          new JsonObject().put("slug", slug).put("is_active", active));
    }
  }

  private void change(RoutingContext ctx, RegistryChange change, int status, JsonObject answer) {
    ask(ctx, Addresses.REGISTRY_CHANGE, change.toJson(), status, b -> answer);
  }

  private String slug(RoutingContext ctx) {
    String slug = ctx.pathParam("slug");
    if (!SLUG.matcher(slug).matches()) {
      invalid(ctx, "slug", "is not a server slug");
      return null;
    }
    return slug;
  }

  private void ask(
      RoutingContext ctx,
      String address,
      JsonObject body,
      int status,
      Function<JsonObject, JsonObject> answer) {
    vertx
        .eventBus()
        .<JsonObject>request(address, body, ASK)
        .onSuccess(
            m ->
                ctx.response()
                    .setStatusCode(status)
                    .putHeader("content-type", "application/json; charset=utf-8")
                    .putHeader("cache-control", "no-store")
                    .end(answer.apply(m.body()).encode()))
        .onFailure(e -> fail(ctx, e));
  }

  /** The request's JSON object, or null after answering 415/400. */
  public static JsonObject jsonBody(RoutingContext ctx) {
    String type = ctx.request().getHeader("content-type");
    if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("application/json")) {
      HttpErrors.send(
          ctx.response(), FailureCode.UNSUPPORTED_MEDIA_TYPE, "send application/json", null);
      return null;
    }
    try {
      Object v = ctx.body().asJsonObject();
      if (v == null) {
        throw new DecodeException("empty body");
      }
      return (JsonObject) v;
    } catch (DecodeException | ClassCastException e) {
      HttpErrors.send(
          ctx.response(), FailureCode.INVALID_JSON, "the body is not a JSON object", null);
      return null;
    }
  }

  private static void invalid(RoutingContext ctx, String field, String why) {
    HttpErrors.send(ctx.response(), FailureCode.INVALID_PAYLOAD, field + " " + why, field);
  }

  private static void fail(RoutingContext ctx, Throwable e) {
    HttpErrors.sendFailure(ctx.response(), e);
  }
}
