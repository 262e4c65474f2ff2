package dev.trainwatch.alerts.rules;

import dev.trainwatch.bus.InvalidPayloadException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Reads rules from configuration and from the admin API. Every field an outsider sends has a limit,
 * and a bad one is rejected naming the field (the API answers 400 with it; a bad config stops
 * start-up with it).
 */
public final class RuleParser {
  private RuleParser() {}

  public static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");

  /**
   * A week: longer "for" durations are a typo for a different unit, and state would outlive most
   * restarts anyway.
   */
  static final long MAX_FOR_S = 7 * 86_400;

  static final int MAX_SCOPE_ENTRIES = 256;
  static final int MAX_TEXT = 256;

  /**
   * More rules than this is a config generator gone wrong; 100 rules cost microseconds per snapshot
   * (benchmarks).
   */
  public static final int MAX_RULES = 1000;

  private static final Set<String> FIELDS =
      Set.of(
          "name",
          "metric",
          "op",
          "threshold",
          "clear",
          "for_s",
          "clear_for_s",
          "severity",
          "scope",
          "resolve",
          "why");

  public static List<Rule> parseAll(JsonArray rules, String path) {
    if (rules.size() > MAX_RULES) {
      throw new InvalidPayloadException(path, "at most " + MAX_RULES + " rules");
    }
    List<Rule> out = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (int i = 0; i < rules.size(); i++) {
      String p = path + "[" + i + "]";
      if (!(rules.getValue(i) instanceof JsonObject o)) {
        throw new InvalidPayloadException(p, "must be an object");
      }
      Rule r = parse(o, p);
      if (!names.add(r.name())) {
        throw new InvalidPayloadException(p + ".name", "'" + r.name() + "' is defined twice");
      }
      out.add(r);
    }
    return out;
  }

  public static Rule parse(JsonObject o, String p) {
    for (String key : o.fieldNames()) {
      if (!FIELDS.contains(key)) {
        throw new InvalidPayloadException(
            f(p, key), "is not a rule field (" + String.join(", ", new TreeSet<>(FIELDS)) + ")");
      }
    }
    String name = text(o, p, "name", true);
    if (!NAME.matcher(name).matches()) {
      throw new InvalidPayloadException(
          f(p, "name"), "must be lower-case letters, digits, '-' or '_', at most 64");
    }
    Metric metric =
        Metric.of(text(o, p, "metric", true))
            .orElseThrow(
                () ->
                    new InvalidPayloadException(
                        f(p, "metric"),
                        "must be one of "
                            + String.join(
                                ", ", Arrays.stream(Metric.values()).map(m -> m.id).toList())));
    Op op =
        Op.of(text(o, p, "op", true))
            .orElseThrow(
                () ->
                    new InvalidPayloadException(
                        f(p, "op"), "must be one of >, >=, <, <=, ==, !=, rises, present"));
    Object threshold = value(o, p, "threshold", metric);
    if (op.needsThreshold() && threshold == null) {
      throw new InvalidPayloadException(f(p, "threshold"), "is required with op " + op.symbol);
    }
    if (metric.textual() && op != Op.EQ && op != Op.NE) {
      throw new InvalidPayloadException(f(p, "op"), metric.id + " is text: use == or !=");
    }
    Object clear = value(o, p, "clear", metric);
    if (clear != null && !op.needsThreshold()) {
      throw new InvalidPayloadException(f(p, "clear"), "has no meaning with op " + op.symbol);
    }
    if (clear != null && op.cleared(toReading(threshold), clear) && !clear.equals(threshold)) {
      throw new InvalidPayloadException(
          f(p, "clear"),
          "must be on the resolving side of the threshold (hysteresis), e.g. below it for >=");
    }
    Duration forDuration = Duration.ofSeconds(seconds(o, p, "for_s"));
    Duration clearFor = Duration.ofSeconds(seconds(o, p, "clear_for_s"));
    String sev = text(o, p, "severity", false);
    Severity severity = sev == null ? Severity.WARNING : Severity.parse(sev);
    if (severity == null) {
      throw new InvalidPayloadException(f(p, "severity"), "must be info, warning or critical");
    }
    String res = text(o, p, "resolve", false);
    if (res != null && !res.equals("auto") && !res.equals("ack")) {
      throw new InvalidPayloadException(f(p, "resolve"), "must be auto or ack");
    }
    return new Rule(
        name,
        metric,
        op,
        threshold,
        clear == null ? threshold : clear,
        forDuration,
        clearFor,
        severity,
        scope(o, p),
        "ack".equals(res) ? Rule.Resolve.ACK : Rule.Resolve.AUTO,
        text(o, p, "why", false));
  }

  private static Object toReading(Object threshold) {
    return threshold instanceof Number n ? (Object) n.doubleValue() : threshold;
  }

  private static Scope scope(JsonObject o, String p) {
    Object v = o.getValue("scope");
    if (v == null) {
      return Scope.ALL;
    }
    if (!(v instanceof JsonObject s)) {
      throw new InvalidPayloadException(
          f(p, "scope"), "must be an object with servers and/or labels");
    }
    Set<String> servers = new HashSet<>();
    Map<String, String> labels = new HashMap<>();
    for (String key : s.fieldNames()) {
      if (!key.equals("servers") && !key.equals("labels")) {
        throw new InvalidPayloadException(
            f(p, "scope." + key), "is not a scope field (servers, labels)");
      }
    }
    if (s.getValue("servers") != null) {
      if (!(s.getValue("servers") instanceof JsonArray a) || a.size() > MAX_SCOPE_ENTRIES) {
        throw new InvalidPayloadException(
            f(p, "scope.servers"), "must be an array of at most " + MAX_SCOPE_ENTRIES + " slugs");
      }
      for (Object slug : a) {
        if (!(slug instanceof String str) || !NAME.matcher(str).matches()) {
          throw new InvalidPayloadException(f(p, "scope.servers"), "must hold server slugs");
        }
        servers.add(str);
      }
    }
    if (s.getValue("labels") != null) {
      if (!(s.getValue("labels") instanceof JsonObject l) || l.size() > MAX_SCOPE_ENTRIES) {
        throw new InvalidPayloadException(
            f(p, "scope.labels"), "must be an object of at most " + MAX_SCOPE_ENTRIES + " labels");
      }
      for (String key : l.fieldNames()) {
        if (!(l.getValue(key) instanceof String val) || key.length() > 64 || val.length() > 128) {
          throw new InvalidPayloadException(
              f(p, "scope.labels." + key), "must be a string label (key ≤ 64, value ≤ 128)");
        }
        labels.put(key, val);
      }
    }
    return new Scope(Set.copyOf(servers), Map.copyOf(labels));
  }

  private static Object value(JsonObject o, String p, String key, Metric metric) {
    Object v = o.getValue(key);
    if (v == null) {
      return null;
    }
    if (metric.textual()) {
      if (!(v instanceof String s) || s.isEmpty() || s.length() > 64) {
        throw new InvalidPayloadException(f(p, key), "must be a label, like cpu-bound");
      }
      return s;
    }
    if (!(v instanceof Number n)
        || !Double.isFinite(n.doubleValue())
        || Math.abs(n.doubleValue()) > 1e15) {
      throw new InvalidPayloadException(f(p, key), "must be a finite number");
    }
    return n.doubleValue();
  }

  private static long seconds(JsonObject o, String p, String key) {
    Object v = o.getValue(key);
    if (v == null) {
      return 0;
    }
    if (!(v instanceof Number n)
        || n.doubleValue() != Math.rint(n.doubleValue())
        || n.longValue() < 0
        || n.longValue() > MAX_FOR_S) {
      throw new InvalidPayloadException(f(p, key), "must be whole seconds from 0 to " + MAX_FOR_S);
    }
    return n.longValue();
  }

  private static String text(JsonObject o, String p, String key, boolean required) {
    Object v = o.getValue(key);
    if (v == null) {
      if (required) {
        throw new InvalidPayloadException(f(p, key), "is required");
      }
      return null;
    }
    if (!(v instanceof String s) || s.length() > MAX_TEXT) {
      throw new InvalidPayloadException(
          f(p, key), "must be a string of at most " + MAX_TEXT + " characters");
    }
    return s;
  }

  private static String f(String p, String key) {
    return p.isEmpty() ? key : p + "." + key;
  }
}
