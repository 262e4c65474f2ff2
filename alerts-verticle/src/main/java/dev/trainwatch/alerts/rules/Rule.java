package dev.trainwatch.alerts.rules;

import io.vertx.core.json.JsonObject;
import java.time.Duration;

/**
 * One alert rule. {@code forDuration}: how long the condition must hold (in snapshot time) before
 * pending becomes firing. {@code clear}: the hysteresis threshold a firing alert must cross back
 * over to resolve, held for {@code clearFor}. {@code resolve}: {@code auto}, or {@code ack} for
 * alerts that stay until a person acknowledges them (XIDs). {@code why}: the reason the rule
 * exists, shown in docs and in the rules API.
 */
public record Rule(
    String name,
    Metric metric,
    Op op,
    Object threshold,
    Object clear,
    Duration forDuration,
    Duration clearFor,
    Severity severity,
    Scope scope,
    Resolve resolve,
    String why) {

  public enum Resolve {
    AUTO,
    ACK
  }

  public JsonObject toJson() {
    JsonObject o = new JsonObject().put("name", name).put("metric", metric.id).put("op", op.symbol);
    if (threshold != null) {
      o.put("threshold", threshold);
    }
    if (clear != null && !clear.equals(threshold)) {
      o.put("clear", clear);
    }
    o.put("for_s", forDuration.toSeconds());
    if (!clearFor.isZero()) {
      o.put("clear_for_s", clearFor.toSeconds());
    }
    o.put("severity", severity.id())
        .put("scope", scope.toJson())
        .put("resolve", resolve == Resolve.ACK ? "ack" : "auto");
    if (why != null) {
      o.put("why", why);
    }
    return o;
  }
}
