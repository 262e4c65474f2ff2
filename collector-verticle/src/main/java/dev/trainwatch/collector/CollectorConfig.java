package dev.trainwatch.collector;

import dev.trainwatch.bus.raw.AgentInfo;
import dev.trainwatch.collector.system.DeviceFilter;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code collector} section of the configuration. Mistakes fail the deployment with the
 * offending key rather than producing snapshots the rates service would reject.
 *
 * @param hostname null = as the kernel knows it
 * @param gpu passed as is to {@code GpuSources.open}
 * @param systemReader {@code auto}, {@code procfs} or {@code oshi}
 */
public record CollectorConfig(
    String server,
    long intervalMs,
    long processIntervalMs,
    long replyTimeoutMs,
    DeviceFilter devices,
    String hostname,
    Map<String, String> labels,
    JsonObject gpu,
    EnabledSources enabled,
    String version,
    String systemReader) {
  /**
   * The same floor as the agent's {@code --interval} (CONTRACT.md §5), and above OSHI's 300 ms
   * memoization.
   */
  public static final long MIN_INTERVAL_MS = 500;

  /** Listing GPU processes costs milliseconds per GPU; more often than this is never worth it. */
  public static final long MIN_PROCESS_INTERVAL_MS = 1000;

  public static final String DEFAULT_VERSION = "0.1.0";

  /**
   * Longer than the rates service waits for storage ({@code rates.store_timeout_ms}, 10 s), so its
   * "unavailable" answer arrives before this gives up; the same as ingest's.
   */
  public static final long DEFAULT_REPLY_TIMEOUT_MS = 15_000;

  public static CollectorConfig fromJson(JsonObject c) {
    if (c == null) {
      c = new JsonObject();
    }
    Map<String, String> labels = labels(c.getValue("labels"));
    String hostname = string(c, "hostname", null);
    if (hostname != null && (hostname.isBlank() || hostname.length() > 253)) {
      throw new IllegalArgumentException("collector.hostname must be 1 to 253 characters");
    }
    String server = string(c, "server", "local");
    if (server.isBlank() || server.length() > 64) {
      throw new IllegalArgumentException("collector.server must be 1 to 64 characters");
    }
    return new CollectorConfig(
        server,
        Math.max(MIN_INTERVAL_MS, positive(c, "interval_ms", 1000)),
        Math.max(MIN_PROCESS_INTERVAL_MS, positive(c, "process_interval_ms", 5000)),
        positive(c, "reply_timeout_ms", DEFAULT_REPLY_TIMEOUT_MS),
        new DeviceFilter(
            Set.copyOf(names(c, "disks")),
            Set.copyOf(names(c, "nics")),
            bool(c, "include_virtual_nics", false)),
        hostname,
        labels,
        object(c, "gpu"),
        EnabledSources.fromJson(
            c.getValue("enabled_sources") == null ? null : object(c, "enabled_sources")),
        version(c),
        string(c, "system_reader", "auto"));
  }

  private static String version(JsonObject c) {
    String v = string(c, "version", DEFAULT_VERSION);
    if (v.isBlank() || v.length() > 64) {
      throw new IllegalArgumentException("collector.version must be 1 to 64 characters");
    }
    return v;
  }

  private static String string(JsonObject c, String key, String def) {
    Object v = c.getValue(key);
    if (v == null) {
      return def;
    }
    if (v instanceof String s) {
      return s;
    }
    throw new IllegalArgumentException("collector." + key + " must be a string");
  }

  private static long positive(JsonObject c, String key, long def) {
    Object v = c.getValue(key);
    if (v == null) {
      return def;
    }
    if (v instanceof Number n && n.longValue() > 0) {
      return n.longValue();
    }
    throw new IllegalArgumentException(
        "collector." + key + " must be a positive number of milliseconds");
  }

  private static boolean bool(JsonObject c, String key, boolean def) {
    Object v = c.getValue(key);
    if (v == null) {
      return def;
    }
    if (v instanceof Boolean b) {
      return b;
    }
    throw new IllegalArgumentException("collector." + key + " must be true or false");
  }

  private static JsonObject object(JsonObject c, String key) {
    Object v = c.getValue(key);
    if (v == null) {
      return new JsonObject();
    }
    if (v instanceof JsonObject o) {
      return o;
    }
    throw new IllegalArgumentException("collector." + key + " must be an object");
  }

  private static List<String> names(JsonObject c, String key) {
    Object v = c.getValue(key);
    if (v == null) {
      return List.of();
    }
    if (!(v instanceof JsonArray a)) {
      throw new IllegalArgumentException("collector." + key + " must be a list of names");
    }
    List<String> out = new ArrayList<>();
    for (Object e : a) {
      if (!(e instanceof String s) || s.isBlank()) {
        throw new IllegalArgumentException("collector." + key + " must be a list of names");
      }
      out.add(s.strip());
    }
    return out;
  }

  /**
   * The limits {@link AgentInfo#fromJson} enforces, checked here so a bad label fails once, at
   * start.
   */
  private static Map<String, String> labels(Object v) {
    if (v == null) {
      return Map.of();
    }
    if (!(v instanceof JsonObject o)) {
      throw new IllegalArgumentException("collector.labels must be an object of strings");
    }
    if (o.size() > AgentInfo.MAX_LABELS) {
      throw new IllegalArgumentException(
          "collector.labels has more than " + AgentInfo.MAX_LABELS + " entries");
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : o) {
      String k = e.getKey();
      if (k.isEmpty() || k.length() > 64) {
        throw new IllegalArgumentException("collector.labels: names must be 1 to 64 characters");
      }
      if (!(e.getValue() instanceof String s) || s.length() > 256) {
        throw new IllegalArgumentException(
            "collector.labels." + k + " must be a string of at most 256 characters");
      }
      out.put(k, s);
    }
    return Collections.unmodifiableMap(out);
  }
}
