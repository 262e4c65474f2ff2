package dev.trainwatch.alerts;

import dev.trainwatch.alerts.rules.Rule;
import dev.trainwatch.alerts.rules.RuleParser;
import dev.trainwatch.alerts.store.AlertStore;
import dev.trainwatch.bus.Addresses;
import dev.trainwatch.bus.InvalidPayloadException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * The {@code trainwatch.alerts.api} operations, answered from Postgres by any alerts node. The
 * gateway has checked the caller's permission and the parameters' shape; limits are applied again
 * here, as for any bus input. Each answer is {@code {"reply": ..., "publish"?: ..., "address"?:
 * ...}}: what to answer, and what to announce.
 */
final class AlertApi {
  private AlertApi() {}

  static Future<JsonObject> handle(JsonObject b, AlertStore store, Instant now) {
    String op = b.getString("op", "");
    return switch (op) {
      case "query" ->
          store
              .query(b.getString("server"), b.getString("state"), since(b, now), limit(b))
              .map(
                  list ->
                      reply(
                          new JsonObject()
                              .put(
                                  "alerts",
                                  new JsonArray(list.stream().map(Alert::toJson).toList()))));
      case "ack" ->
          store
              .ack(b.getString("id", ""), b.getString("by", "unknown"), now)
              .map(
                  r -> {
                    if (r == null) {
                      return reply(new JsonObject());
                    }
                    JsonObject alert = r.alert().toJson();
                    JsonObject out = reply(new JsonObject().put("alert", alert));
                    return r.changed()
                        ? out.put("publish", alert).put("address", Addresses.ALERTS_CHANGED)
                        : out;
                  });
      case "firing" -> store.firing().map(f -> reply(new JsonObject().put("firing", f)));
      case "rules" -> store.rules().map(rules -> reply(new JsonObject().put("rules", rules)));
      case "put_rule" -> {
        Rule rule;
        try {
          rule = RuleParser.parse(b.getJsonObject("rule", new JsonObject()), "");
        } catch (InvalidPayloadException e) {
          yield Future.succeededFuture(
              reply(
                  new JsonObject()
                      .put(
                          "invalid",
                          new JsonObject().put("field", e.field()).put("message", e.reason()))));
        }
        yield store
            .ruleCount(rule.name())
            .compose(
                n ->
                    n >= RuleParser.MAX_RULES
                        ? Future.succeededFuture(
                            reply(
                                new JsonObject()
                                    .put(
                                        "invalid",
                                        new JsonObject()
                                            .put("field", "name")
                                            .put(
                                                "message",
                                                "would be rule "
                                                    + (n + 1)
                                                    + "; at most "
                                                    + RuleParser.MAX_RULES
                                                    + " are kept"))))
                        : store
                            .putRule(rule, b.getString("by", "unknown"))
                            .map(
                                v ->
                                    reply(new JsonObject().put("rule", rule.toJson()))
                                        .put("publish", new JsonObject().put("name", rule.name()))
                                        .put("address", Addresses.ALERT_RULES_CHANGED)));
      }
      case "delete_rule" ->
          store
              .deleteRule(b.getString("name", ""))
              .map(
                  deleted -> {
                    JsonObject out = reply(new JsonObject().put("deleted", deleted));
                    return deleted
                        ? out.put("publish", new JsonObject().put("name", b.getString("name")))
                            .put("address", Addresses.ALERT_RULES_CHANGED)
                        : out;
                  });
      case "dead_letters" ->
          store.deadLetters(limit(b)).map(d -> reply(new JsonObject().put("dead_letters", d)));
      case "xid_events" ->
          store
              .xidEvents(b.getString("server"), since(b, now), limit(b))
              .map(x -> reply(new JsonObject().put("xid_events", x)));
      default ->
          Future.succeededFuture(
              reply(
                  new JsonObject()
                      .put(
                          "invalid",
                          new JsonObject()
                              .put("field", "op")
                              .put("message", "unknown operation"))));
    };
  }

  private static JsonObject reply(JsonObject body) {
    return new JsonObject().put("reply", body);
  }

  private static Instant since(JsonObject b, Instant now) {
    String s = b.getString("since");
    return s == null ? now.minusSeconds(86_400) : Instant.parse(s);
  }

  private static int limit(JsonObject b) {
    return Math.max(1, Math.min(AlertsVerticle.MAX_LIMIT, b.getInteger("limit", 200)));
  }
}
