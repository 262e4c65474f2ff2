package dev.trainwatch.alerts;

import dev.trainwatch.alerts.rules.Rule;
import dev.trainwatch.alerts.rules.Severity;
import dev.trainwatch.bus.Json;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Locale;

/**
 * One alert: an episode of one rule on one server (and GPU), from pending to resolved. Immutable;
 * the evaluator makes a new version at each change. The JSON is CONTRACT.md §2's alert object (plus
 * {@code threshold}, {@code fired_at} and {@code resolve}).
 */
public record Alert(
    String id,
    String rule,
    Severity severity,
    String server,
    Integer gpuIndex,
    State state,
    Rule.Resolve resolve,
    Object value,
    Object threshold,
    String message,
    Instant startedAt,
    Instant firedAt,
    Instant resolvedAt,
    String acknowledgedBy,
    Instant acknowledgedAt) {

  public enum State {
    PENDING,
    FIRING,
    RESOLVED;

    public String id() {
      return name().toLowerCase(Locale.ROOT);
    }

    public static State parse(String s) {
      for (State v : values()) {
        if (v.id().equals(s)) {
          return v;
        }
      }
      return null;
    }
  }

  /** (rule, server, GPU): at most one open alert each. */
  public String key() {
    return rule + '|' + server + '|' + (gpuIndex == null ? -1 : gpuIndex);
  }

  public boolean open() {
    return state != State.RESOLVED;
  }

  public Alert fire(Instant at, Object value, String message) {
    return next(State.FIRING, severity, value, message, at, null, acknowledgedBy, acknowledgedAt);
  }

  public Alert resolve(Instant at, Object value, String message) {
    return next(
        State.RESOLVED, severity, value, message, firedAt, at, acknowledgedBy, acknowledgedAt);
  }

  public Alert update(Severity severity, Object value, String message) {
    return next(
        state, severity, value, message, firedAt, resolvedAt, acknowledgedBy, acknowledgedAt);
  }

  public Alert acknowledged(String by, Instant at) {
    return next(state, severity, value, message, firedAt, resolvedAt, by, at);
  }

  /**
   * This episode's next version: what an alert is (id, rule, server, GPU, how it resolves, its
   * threshold, when it started) never changes; the rest is given.
   */
  private Alert next(
      State state,
      Severity severity,
      Object value,
      String message,
      Instant firedAt,
      Instant resolvedAt,
      String acknowledgedBy,
      Instant acknowledgedAt) {
    return new Alert(
        id,
        rule,
        severity,
        server,
        gpuIndex,
        state,
        resolve,
        value,
        threshold,
        message,
        startedAt,
        firedAt,
        resolvedAt,
        acknowledgedBy,
        acknowledgedAt);
  }

  public JsonObject toJson() {
    JsonObject o =
        new JsonObject()
            .put("id", id)
            .put("rule", rule)
            .put("severity", severity.id())
            .put("server", server);
    if (gpuIndex != null) {
      o.put("gpu_index", gpuIndex);
    }
    o.put("state", state.id()).put("resolve", resolve == Rule.Resolve.ACK ? "ack" : "auto");
    if (value != null) {
      o.put("value", value);
    }
    if (threshold != null) {
      o.put("threshold", threshold);
    }
    o.put("message", message).put("started_at", Json.ts(startedAt));
    putTs(o, "fired_at", firedAt);
    putTs(o, "resolved_at", resolvedAt);
    if (acknowledgedBy != null) {
      o.put("acknowledged_by", acknowledgedBy);
    }
    putTs(o, "acknowledged_at", acknowledgedAt);
    return o;
  }

  public static Alert fromJson(JsonObject o) {
    Integer gpu = o.getInteger("gpu_index");
    return new Alert(
        o.getString("id"),
        o.getString("rule"),
        Severity.parse(o.getString("severity")),
        o.getString("server"),
        gpu,
        State.parse(o.getString("state")),
        "ack".equals(o.getString("resolve")) ? Rule.Resolve.ACK : Rule.Resolve.AUTO,
        o.getValue("value"),
        o.getValue("threshold"),
        o.getString("message"),
        ts(o, "started_at"),
        ts(o, "fired_at"),
        ts(o, "resolved_at"),
        o.getString("acknowledged_by"),
        ts(o, "acknowledged_at"));
  }

  private static Instant ts(JsonObject o, String key) {
    String s = o.getString(key);
    return s == null ? null : Instant.parse(s);
  }

  private static void putTs(JsonObject o, String key, Instant t) {
    if (t != null) {
      o.put(key, Json.ts(t));
    }
  }
}
