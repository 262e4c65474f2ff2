package dev.trainwatch.alerts;

import dev.trainwatch.alerts.notify.Notifier;
import dev.trainwatch.alerts.notify.WebhookChannel;
import dev.trainwatch.alerts.rules.Rule;
import dev.trainwatch.alerts.rules.RuleParser;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mail.StartTLSOptions;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The {@code alerts} section of the configuration (docs/configuration.md and docs/alerts.md list
 * every key). The launcher has checked each value's type and range; rules are parsed here, naming a
 * bad field.
 */
record AlertSettings(
    boolean builtinRules,
    Set<String> disabledRules,
    List<Rule> rules,
    long tickMs,
    long leaderRetryMs,
    int retentionDays,
    Notifier.Settings notifications,
    Webhook webhook,
    Email email) {

  record Webhook(String url, String secret, WebhookChannel.Format format, long timeoutMs) {}

  record Email(
      String host,
      int port,
      StartTLSOptions startTls,
      String username,
      String password,
      String from,
      List<String> to) {}

  static AlertSettings from(JsonObject c) {
    JsonObject n = c.getJsonObject("notify", new JsonObject());
    JsonObject w = c.getJsonObject("webhook", new JsonObject());
    JsonObject e = c.getJsonObject("email", new JsonObject());
    Webhook webhook =
        w.getString("url") == null
            ? null
            : new Webhook(
                w.getString("url"),
                w.getString("secret"),
                "slack".equals(w.getString("format"))
                    ? WebhookChannel.Format.SLACK
                    : WebhookChannel.Format.TRAINWATCH,
                n.getLong("timeout_ms", 5_000L));
    JsonArray to = e.getJsonArray("to", new JsonArray());
    Email email =
        e.getString("smtp_host") == null || to.isEmpty()
            ? null
            : new Email(
                e.getString("smtp_host"),
                e.getInteger("smtp_port", 587),
                StartTLSOptions.valueOf(
                    e.getString("starttls", "required").toUpperCase(Locale.ROOT)),
                e.getString("username"),
                e.getString("password"),
                e.getString("from", "trainwatch@localhost"),
                to.stream().map(String.class::cast).toList());
    return new AlertSettings(
        c.getBoolean("builtin_rules", true),
        Set.copyOf(
            c.getJsonArray("disabled_rules", new JsonArray()).stream()
                .map(String.class::cast)
                .toList()),
        RuleParser.parseAll(c.getJsonArray("rules", new JsonArray()), "alerts.rules"),
        c.getLong("tick_ms", 1_000L),
        c.getLong("leader_retry_ms", 5_000L),
        c.getInteger("retention_days", 400),
        new Notifier.Settings(
            n.getLong("min_interval_s", 300L) * 1000,
            n.getInteger("max_attempts", 5),
            n.getLong("retry_base_ms", 1_000L)),
        webhook,
        email);
  }
}
