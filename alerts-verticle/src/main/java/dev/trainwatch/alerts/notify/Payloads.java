package dev.trainwatch.alerts.notify;

import dev.trainwatch.alerts.Alert;
import dev.trainwatch.bus.Json;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Locale;

/** What a notification says, per format. docs/alerts.md shows each. */
public final class Payloads {
  private Payloads() {}

  public static JsonObject trainwatch(Notice n, Instant sentAt) {
    Alert a = n.alert();
    return new JsonObject()
        .put("source", "trainwatch")
        .put("event", n.event())
        .put("delivery", n.deliveryId())
        .put("group_key", a.key())
        .put("sent_at", Json.ts(sentAt))
        .put("alert", a.toJson());
  }

  /** Slack's incoming-webhook shape (also accepted by Mattermost and Rocket.Chat). */
  public static JsonObject slack(Notice n) {
    Alert a = n.alert();
    String icon =
        n.event().equals("resolved")
            ? ":white_check_mark:"
            : switch (a.severity()) {
              case CRITICAL -> ":red_circle:";
              case WARNING -> ":warning:";
              case INFO -> ":information_source:";
            };
    return new JsonObject().put("text", icon + " " + subject(n));
  }

  public static String subject(Notice n) {
    Alert a = n.alert();
    return "["
        + n.event().toUpperCase(Locale.ROOT)
        + " "
        + a.severity().id()
        + "] "
        + a.server()
        + ": "
        + a.message();
  }

  public static String emailText(Alert a) {
    StringBuilder b = new StringBuilder();
    b.append(a.message()).append("\n\n");
    line(b, "Rule", a.rule());
    line(b, "Server", a.server());
    line(b, "GPU", a.gpuIndex() == null ? null : a.gpuIndex().toString());
    line(b, "Severity", a.severity().id());
    line(b, "State", a.state().id());
    line(b, "Value", a.value() == null ? null : a.value().toString());
    line(b, "Threshold", a.threshold() == null ? null : a.threshold().toString());
    line(b, "Started", Json.ts(a.startedAt()));
    line(b, "Fired", a.firedAt() == null ? null : Json.ts(a.firedAt()));
    line(b, "Resolved", a.resolvedAt() == null ? null : Json.ts(a.resolvedAt()));
    line(b, "Acknowledged by", a.acknowledgedBy());
    line(b, "Alert id", a.id());
    return b.toString();
  }

  private static void line(StringBuilder b, String name, String value) {
    if (value != null) {
      b.append(name).append(": ").append(value).append('\n');
    }
  }
}
