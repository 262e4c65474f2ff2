package dev.trainwatch.gateway;

import dev.trainwatch.bus.Addresses;
import dev.trainwatch.bus.FailureCode;
import dev.trainwatch.bus.HttpErrors;
import dev.trainwatch.bus.InvalidPayloadException;
import dev.trainwatch.bus.Json;
import dev.trainwatch.gateway.auth.AdminRoutes;
import dev.trainwatch.gateway.auth.Guard;
import dev.trainwatch.gateway.auth.Permission;
import dev.trainwatch.gateway.auth.Principal;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The alert API (CONTRACT.md §2 v1.1, docs/alerts.md): reading alerts and XID events ({@code
 * view}), acknowledging ({@code acknowledge}: users and admins, not readers), rules ({@code
 * manage_alert_rules} to change) and dead letters (admins). Parameters are checked here, so the
 * alerts verticle only ever sees well-formed asks.
 */
final class AlertRoutes {
  private static final DeliveryOptions ASK = new DeliveryOptions().setSendTimeout(10_000);
  private static final Pattern SLUG = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");

  /**
   * The alerts verticle makes UUIDs; anything else cannot be an alert and never reaches storage.
   */
  private static final Pattern ALERT_ID =
      Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

  private static final Set<String> STATES = Set.of("pending", "firing", "resolved");
  static final int MAX_LIMIT = 1000;

  private final Vertx vertx;

  AlertRoutes(Vertx vertx) {
    this.vertx = vertx;
  }

  void mount(Router r) {
    AdminRoutes.route(r, HttpMethod.GET, "/api/alerts", Permission.VIEW, this::query);
    AdminRoutes.route(
        r,
        HttpMethod.GET,
        "/api/alerts/rules",
        Permission.VIEW,
        ctx -> ask(ctx, new JsonObject().put("op", "rules"), b -> b));
    AdminRoutes.route(
        r, HttpMethod.PUT, "/api/alerts/rules/:name", Permission.MANAGE_ALERT_RULES, this::putRule);
    AdminRoutes.route(
        r,
        HttpMethod.DELETE,
        "/api/alerts/rules/:name",
        Permission.MANAGE_ALERT_RULES,
        this::deleteRule);
    AdminRoutes.route(
        r,
        HttpMethod.GET,
        "/api/alerts/dead-letters",
        Permission.MANAGE_ALERT_RULES,
        ctx ->
            guarded(
                ctx,
                () ->
                    ask(
                        ctx,
                        new JsonObject().put("op", "dead_letters").put("limit", limit(ctx)),
                        b -> b)));
    AdminRoutes.route(r, HttpMethod.POST, "/api/alerts/:id/ack", Permission.ACKNOWLEDGE, this::ack);
    AdminRoutes.route(r, HttpMethod.GET, "/api/xid-events", Permission.VIEW, this::xidEvents);
  }

  private void query(RoutingContext ctx) {
    guarded(
        ctx,
        () -> {
          JsonObject ask = scoped(ctx, "query");
          String state = ctx.request().getParam("state");
          if (state != null) {
            if (!STATES.contains(state)) {
              throw new InvalidPayloadException("state", "must be pending, firing or resolved");
            }
            ask.put("state", state);
          }
          ask(ctx, ask, b -> b);
        });
  }

  private void xidEvents(RoutingContext ctx) {
    guarded(ctx, () -> ask(ctx, scoped(ctx, "xid_events"), b -> b));
  }

  /**
   * An ask for {@code op} with the parameters both reads share: {@code limit}, {@code server},
   * {@code since}.
   */
  private static JsonObject scoped(RoutingContext ctx, String op) {
    JsonObject ask = new JsonObject().put("op", op).put("limit", limit(ctx));
    String server = ctx.request().getParam("server");
    if (server != null) {
      ask.put("server", slug(server));
    }
    String since = ctx.request().getParam("since");
    if (since != null) {
      ask.put("since", Json.ts(HistoryParams.instant(since, "since", Instant.now())));
    }
    return ask;
  }

  private void ack(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    if (!ALERT_ID.matcher(id).matches()) {
      HttpErrors.send(ctx.response(), FailureCode.NOT_FOUND, "no alert " + id, "id");
      return;
    }
    Principal who = Guard.principal(ctx);
    ask(
        ctx,
        new JsonObject()
            .put("op", "ack")
            .put("id", id)
            .put("by", who.email() != null ? who.email() : who.name()),
        b -> b.getJsonObject("alert"));
  }

  private void putRule(RoutingContext ctx) {
    JsonObject body = AdminRoutes.jsonBody(ctx);
    if (body == null) {
      return;
    }
    String name = ctx.pathParam("name");
    Object named = body.getValue("name");
    if (named != null && !name.equals(named)) {
      HttpErrors.send(
          ctx.response(),
          FailureCode.INVALID_PAYLOAD,
          "name must match the path (" + name + ")",
          "name");
      return;
    }
    Principal who = Guard.principal(ctx);
    ask(
        ctx,
        new JsonObject()
            .put("op", "put_rule")
            .put("rule", body.copy().put("name", name))
            .put("by", who.email() != null ? who.email() : who.name()),
        b -> b);
  }

  private void deleteRule(RoutingContext ctx) {
    vertx
        .eventBus()
        .<JsonObject>request(
            Addresses.ALERTS_API,
            new JsonObject().put("op", "delete_rule").put("name", ctx.pathParam("name")),
            ASK)
        .onSuccess(
            m -> {
              if (m.body().getBoolean("deleted", false)) {
                ctx.response().setStatusCode(204).end();
              } else {
                HttpErrors.send(
                    ctx.response(),
                    FailureCode.NOT_FOUND,
                    "no rule "
                        + ctx.pathParam("name")
                        + " made through the API (config and built-in rules are changed"
                        + " in the config file, or disabled with alerts.disabled_rules)",
                    "name");
              }
            })
        .onFailure(e -> HttpErrors.sendFailure(ctx.response(), e));
  }

  /**
   * Asks the alerts verticle; a reply without the expected object is a 404 (no such alert), an
   * {@code invalid} reply a 400 naming the field, no alerts verticle at all a 503.
   */
  private void ask(RoutingContext ctx, JsonObject body, Function<JsonObject, JsonObject> answer) {
    vertx
        .eventBus()
        .<JsonObject>request(Addresses.ALERTS_API, body, ASK)
        .onSuccess(
            m -> {
              JsonObject reply = m.body();
              JsonObject invalid = reply.getJsonObject("invalid");
              if (invalid != null) {
                HttpErrors.send(
                    ctx.response(),
                    FailureCode.INVALID_PAYLOAD,
                    invalid.getString("field") + " " + invalid.getString("message"),
                    invalid.getString("field"));
                return;
              }
              JsonObject out = answer.apply(reply);
              if (out == null) {
                HttpErrors.send(
                    ctx.response(),
                    FailureCode.NOT_FOUND,
                    "no alert " + body.getString("id"),
                    "id");
                return;
              }
              ctx.response()
                  .putHeader("content-type", "application/json; charset=utf-8")
                  .putHeader("cache-control", "no-store")
                  .end(out.encode());
            })
        .onFailure(e -> HttpErrors.sendFailure(ctx.response(), e));
  }

  private static void guarded(RoutingContext ctx, Runnable r) {
    try {
      r.run();
    } catch (InvalidPayloadException e) {
      HttpErrors.send(
          ctx.response(), FailureCode.INVALID_QUERY, e.field() + " " + e.reason(), e.field());
    }
  }

  private static String slug(String s) {
    if (!SLUG.matcher(s).matches()) {
      throw new InvalidPayloadException("server", "is not a server slug");
    }
    return s;
  }

  private static int limit(RoutingContext ctx) {
    String v = ctx.request().getParam("limit");
    if (v == null) {
      return 200;
    }
    try {
      int n = Integer.parseInt(v);
      if (n >= 1 && n <= MAX_LIMIT) {
        return n;
      }
    } catch (NumberFormatException e) {
      // fall through to the one message
    }
    throw new InvalidPayloadException("limit", "must be a whole number from 1 to " + MAX_LIMIT);
  }
}
