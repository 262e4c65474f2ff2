package dev.trainwatch.launcher;

import dev.trainwatch.alerts.rules.RuleParser;
import dev.trainwatch.bus.InvalidPayloadException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * What each configuration key accepts. One table, checked once at start; the first bad value stops
 * start-up with a message naming its key (docs/configuration.md documents the same table).
 */
final class ConfigRules {
  private ConfigRules() {}

  private record Rule(Predicate<Object> ok, String expected) {}

  private static final Map<String, Rule> RULES = new LinkedHashMap<>();

  /**
   * Settings that are integers but default to null: the environment's text becomes a number for
   * these.
   */
  private static final Set<String> NULLABLE_INTS = new HashSet<>();

  static {
    rule("http.host", ConfigRules::nonEmptyString, "a host name or address");
    intRange("http.port", 0, 65535);
    rule(
        "http.public_url",
        v -> v == null || (v instanceof String s && s.matches("https?://[^/?#\\s]+/?")),
        "null or the dashboard's external origin, like https://monitor.example.com");
    rule("http.allowed_hosts", ConfigRules::stringArray, "an array of host names");
    rule(
        "http.tls_cert",
        ConfigRules::nullOrReadableFile,
        "null or a readable PEM certificate file");
    rule(
        "http.tls_key", ConfigRules::nullOrReadableFile, "null or a readable PEM private key file");
    rule("http.allow_insecure_exposure", v -> v instanceof Boolean, "true or false");
    rule("auth.mode", v -> "local".equals(v) || "oidc".equals(v), "local or oidc");
    intRange("auth.login_token_ttl_s", 30, 86_400);
    intRange("auth.session_idle_s", 60, 7 * 86_400);
    intRange("auth.session_max_s", 300, 30 * 86_400);
    rule(
        "auth.allowed_origins",
        v ->
            stringArray(v)
                && ((JsonArray) v)
                    .stream().allMatch(o -> ((String) o).matches("https?://[^/?#\\s]+")),
        "an array of origins like https://grafana.example.com");
    rule(
        "auth.oidc.issuer",
        v ->
            v instanceof String s
                && (s.startsWith("https://")
                    || s.matches("http://(localhost|127\\.0\\.0\\.1)(:\\d+)?(/.*)?")),
        "an https:// issuer URL (http only on loopback)");
    rule("auth.oidc.client_id", v -> v == null || nonEmptyString(v), "null or the OAuth client id");
    rule(
        "auth.oidc.client_secret",
        v -> v == null || nonEmptyString(v),
        "null or the OAuth client secret");
    rule(
        "auth.oidc.redirect_url",
        v -> v == null || (v instanceof String s && s.matches("https?://\\S+")),
        "null (public_url + /login/callback) or the registered redirect URL");
    rule("auth.oidc.allowed_emails", ConfigRules::stringArray, "an array of e-mail addresses");
    rule("auth.oidc.allowed_domains", ConfigRules::stringArray, "an array of domains");
    rule("auth.roles.admin", ConfigRules::stringArray, "an array of e-mail addresses or @domains");
    rule("auth.roles.user", ConfigRules::stringArray, "an array of e-mail addresses or @domains");
    rule(
        "auth.roles.default",
        v -> "reader".equals(v) || "user".equals(v) || "admin".equals(v),
        "reader, user or admin");
    rule("data_dir", ConfigRules::nonEmptyString, "a directory path");
    rule(
        "pg.url",
        v ->
            v == null
                || (v instanceof String s
                    && (s.startsWith("postgresql://") || s.startsWith("postgres://"))),
        "null (embedded Postgres) or a postgresql://user:password@host:port/database URL");
    intRange("pg.embedded_port", 0, 65535);
    intRange("pg.pool_size", 1, 64);
    rule(
        "collector.server",
        v -> v instanceof String s && s.matches("[a-z0-9][a-z0-9_-]{0,63}"),
        "a slug: lower-case letters, digits, '-' or '_', at most 64");
    intRange("collector.interval_ms", 500, 3_600_000);
    intRange("collector.process_interval_ms", 500, 3_600_000);
    intRange("collector.reply_timeout_ms", 100, 600_000);
    rule(
        "collector.system_reader",
        v -> "auto".equals(v) || "procfs".equals(v) || "oshi".equals(v),
        "auto, procfs or oshi");
    for (String source :
        List.of("cpu", "memory", "disks", "networks", "pressure", "gpus", "processes")) {
      rule("collector.enabled_sources." + source, v -> v instanceof Boolean, "true or false");
    }
    rule("collector.disks", ConfigRules::stringArray, "an array of device names");
    rule("collector.nics", ConfigRules::stringArray, "an array of interface names");
    rule("collector.include_virtual_nics", v -> v instanceof Boolean, "true or false");
    rule("collector.hostname", v -> v == null || nonEmptyString(v), "null (detect) or a host name");
    rule(
        "collector.labels",
        v -> v instanceof JsonObject o && o.stream().allMatch(e -> e.getValue() instanceof String),
        "an object of string labels");
    rule("collector.gpu.enabled", v -> v instanceof Boolean, "true or false");
    rule(
        "collector.gpu.nvml_library",
        v -> v == null || nonEmptyString(v),
        "null (search) or a path to libnvidia-ml.so.1");
    rule("collector.gpu.nvidia_smi", ConfigRules::nonEmptyString, "a command name or path");
    intRange("collector.gpu.pcie_every_n", 1, 3600);
    intRange("rates.nominal_interval_ms", 100, 3_600_000);
    intRange("rates.bottleneck_window_ms", 1000, 3_600_000);
    intRange("rates.store_timeout_ms", 100, 300_000);
    intRange("history.batch_max", 1, 10_000);
    intRange("history.flush_ms", 0, 250);
    intRange("history.query_parallelism", 1, 32);
    intRange("history.buffer_max", 1, 10_000_000);
    intRange("history.retry_ms", 10, 60_000);
    intRange("history.write_deadline_ms", 100, 60_000);
    intRange("history.write_stuck_ms", 1_000, 600_000);
    intRange("history.raw_retention_days", 1, 3650);
    intRange("history.hourly_retention_days", 1, 36_500);
    intRange("history.maintenance_ms", 1000, 86_400_000);
    intRange("ingest.max_body_bytes", 1024, 64L * 1024 * 1024);
    intRange("ingest.auth_failures_max", 1, 1_000_000);
    intRange("ingest.auth_failure_window_s", 1, 86_400);
    intRange("ingest.store_timeout_ms", 100, 300_000);
    rule(
        "ingest.host",
        v -> v == null || nonEmptyString(v),
        "null (share the dashboard's listener) or an address");
    nullableIntRange("ingest.port", 0, 65535);
    rule(
        "gateway.ui_dir",
        v -> v == null || nonEmptyString(v),
        "null (the UI in the jar) or a directory");
    rule("alerts.enabled", v -> v instanceof Boolean, "true or false");
    rule("alerts.builtin_rules", v -> v instanceof Boolean, "true or false");
    rule("alerts.disabled_rules", ConfigRules::stringArray, "an array of rule names");
    rule("alerts.rules", ConfigRules::alertRules, "an array of alert rules (docs/alerts.md)");
    intRange("alerts.tick_ms", 100, 60_000);
    intRange("alerts.leader_retry_ms", 100, 600_000);
    intRange("alerts.retention_days", 1, 36_500);
    intRange("alerts.notify.min_interval_s", 0, 86_400);
    intRange("alerts.notify.max_attempts", 1, 100);
    intRange("alerts.notify.retry_base_ms", 10, 600_000);
    intRange("alerts.notify.timeout_ms", 100, 120_000);
    rule(
        "alerts.webhook.url",
        v -> v == null || (v instanceof String s && s.matches("https?://\\S+")),
        "null or the http(s):// URL notifications are POSTed to");
    rule(
        "alerts.webhook.secret",
        v -> v == null || (v instanceof String s && s.length() >= 16),
        "null or a shared secret of at least 16 characters (the HMAC key)");
    rule(
        "alerts.webhook.format",
        v -> "trainwatch".equals(v) || "slack".equals(v),
        "trainwatch or slack");
    rule(
        "alerts.email.smtp_host",
        v -> v == null || nonEmptyString(v),
        "null or the SMTP server's host");
    intRange("alerts.email.smtp_port", 1, 65535);
    rule(
        "alerts.email.starttls",
        v -> "required".equals(v) || "optional".equals(v) || "disabled".equals(v),
        "required, optional or disabled");
    rule("alerts.email.username", v -> v == null || nonEmptyString(v), "null or the SMTP user");
    rule("alerts.email.password", v -> v == null || nonEmptyString(v), "null or the SMTP password");
    rule(
        "alerts.email.from",
        v -> v instanceof String s && s.contains("@"),
        "the sender's e-mail address");
    rule(
        "alerts.email.to",
        v -> stringArray(v) && ((JsonArray) v).stream().allMatch(a -> ((String) a).contains("@")),
        "an array of e-mail addresses");
    rule("cluster.name", ConfigRules::nonEmptyString, "a cluster name");
    rule(
        "cluster.host", ConfigRules::nonEmptyString, "the address this node binds for the cluster");
    intRange("cluster.port", 1, 65535);
    rule(
        "cluster.members",
        v -> stringArray(v) && !((JsonArray) v).isEmpty(),
        "a non-empty array of member addresses");
    rule(
        "cluster.tls.cert",
        ConfigRules::nullOrReadableFile,
        "null or this node's readable PEM certificate");
    rule(
        "cluster.tls.key",
        ConfigRules::nullOrReadableFile,
        "null or this node's readable PEM (PKCS#8) private key");
    rule(
        "cluster.tls.ca",
        ConfigRules::nullOrReadableFile,
        "null or the cluster CA's readable PEM certificate");
    rule("cluster.allow_insecure", v -> v instanceof Boolean, "true or false");
  }

  private static void rule(String key, Predicate<Object> ok, String expected) {
    RULES.put(key, new Rule(ok, expected));
  }

  private static void intRange(String key, long min, long max) {
    rule(key, v -> isIntIn(v, min, max), "an integer from " + min + " to " + max);
  }

  private static boolean isIntIn(Object v, long min, long max) {
    return v instanceof Number n
        && n.doubleValue() == Math.rint(n.doubleValue())
        && n.longValue() >= min
        && n.longValue() <= max;
  }

  private static void nullableIntRange(String key, long min, long max) {
    NULLABLE_INTS.add(key);
    rule(
        key,
        v -> v == null || isIntIn(v, min, max),
        "null or an integer from " + min + " to " + max);
  }

  static boolean isNullableInt(String key) {
    return NULLABLE_INTS.contains(key);
  }

  private static boolean nullOrReadableFile(Object v) {
    return v == null || (v instanceof String s && Files.isReadable(Path.of(s)));
  }

  /** The alerts module's own parser: the first bad field stops start-up, named. */
  private static boolean alertRules(Object v) {
    if (!(v instanceof JsonArray a)) {
      return false;
    }
    try {
      RuleParser.parseAll(a, "alerts.rules");
      return true;
    } catch (InvalidPayloadException e) {
      throw new ConfigException(e.field(), e.reason());
    }
  }

  private static boolean nonEmptyString(Object v) {
    return v instanceof String s && !s.isBlank();
  }

  private static boolean stringArray(Object v) {
    return v instanceof JsonArray a
        && a.stream().allMatch(e -> e instanceof String s && !s.isBlank());
  }

  static void validate(JsonObject config) {
    for (Map.Entry<String, Rule> e : RULES.entrySet()) {
      Object v = ConfigLoader.valueAt(config, e.getKey());
      if (!e.getValue().ok.test(v)) {
        throw new ConfigException(
            e.getKey(),
            "must be "
                + e.getValue().expected
                + ", got "
                + (v instanceof String ? "'" + v + "'" : String.valueOf(v)));
      }
    }
  }

  /** Every key with a rule: the test checks this covers every key of the defaults. */
  static Set<String> keys() {
    return RULES.keySet();
  }
}
