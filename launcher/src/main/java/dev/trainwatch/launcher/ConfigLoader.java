package dev.trainwatch.launcher;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Layers the configuration: the defaults ({@code conf/trainwatch.json}, shipped in the jar), then
 * {@code --config FILE}, then {@code TRAINWATCH_*} environment variables, each overriding the last.
 * Only keys that exist in the defaults are accepted, so a typo stops start-up instead of being
 * silently ignored. An environment variable names a key by its path in upper case with dots as
 * underscores: {@code pg.url} is {@code TRAINWATCH_PG_URL}.
 */
public final class ConfigLoader {
  private ConfigLoader() {}

  public static final String ENV_PREFIX = "TRAINWATCH_";

  public static JsonObject defaults() {
    try (InputStream in =
        ConfigLoader.class.getClassLoader().getResourceAsStream("trainwatch.json")) {
      if (in == null) {
        throw new IllegalStateException("trainwatch.json missing from the class path");
      }
      return new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Defaults ← file ← environment, validated. */
  public static JsonObject load(Path file, Map<String, String> env) {
    JsonObject defaults = defaults();
    JsonObject merged = defaults.copy();
    if (file != null) {
      JsonObject fromFile;
      try {
        fromFile = new JsonObject(Files.readString(file));
      } catch (IOException e) {
        throw new ConfigException("--config", "cannot read " + file + ": " + e.getMessage());
      } catch (DecodeException e) {
        throw new ConfigException("--config", file + " is not a JSON object: " + e.getMessage());
      }
      overlay(defaults, merged, fromFile, "");
    }
    applyEnv(defaults, merged, env);
    ConfigRules.validate(merged);
    AccessChecks.consistent(merged);
    return merged;
  }

  private static void overlay(
      JsonObject defaults, JsonObject target, JsonObject source, String prefix) {
    for (String key : source.fieldNames()) {
      String path = prefix + key;
      if (!defaults.containsKey(key)) {
        throw new ConfigException(path, "unknown key (see docs/configuration.md)");
      }
      Object dv = defaults.getValue(key);
      Object sv = source.getValue(key);
      if (dv instanceof JsonObject dObj && sv instanceof JsonObject sObj && !isFreeForm(path)) {
        overlay(dObj, target.getJsonObject(key), sObj, path + ".");
      } else {
        target.put(key, sv);
      }
    }
  }

  /** Objects whose keys are the user's own (labels), not settings. */
  private static boolean isFreeForm(String path) {
    return path.endsWith("labels");
  }

  /**
   * Seed 000's variable names, still honoured so a deployment configured for it keeps working. The
   * TRAINWATCH_ name wins when both are set.
   */
  static final Map<String, String> ALIASES =
      Map.of(
          "GOOGLE_CLIENT_ID", "auth.oidc.client_id",
          "GOOGLE_CLIENT_SECRET", "auth.oidc.client_secret",
          "GOOGLE_ALLOWED_EMAILS", "auth.oidc.allowed_emails",
          "GOOGLE_ALLOWED_DOMAINS", "auth.oidc.allowed_domains");

  private static void applyEnv(JsonObject defaults, JsonObject target, Map<String, String> env) {
    for (String path : leafPaths(defaults, "")) {
      String name = envName(path);
      String raw = env.get(name);
      if (raw == null) {
        for (Map.Entry<String, String> a : ALIASES.entrySet()) {
          if (a.getValue().equals(path) && env.get(a.getKey()) != null) {
            name = a.getKey();
            raw = env.get(name);
          }
        }
      }
      if (raw == null) {
        continue;
      }
      Object def = valueAt(defaults, path);
      setAt(target, path, parseEnv(path, name, raw, def));
    }
  }

  public static String envName(String path) {
    return ENV_PREFIX + path.replace('.', '_').toUpperCase(Locale.ROOT);
  }

  /** Every setting's dotted path; free-form objects (labels) count as one leaf. */
  public static List<String> leafPaths(JsonObject o, String prefix) {
    List<String> out = new ArrayList<>();
    for (String k : o.fieldNames()) {
      String p = prefix + k;
      if (o.getValue(k) instanceof JsonObject child && !isFreeForm(p)) {
        out.addAll(leafPaths(child, p + "."));
      } else {
        out.add(p);
      }
    }
    return out;
  }

  private static Object parseEnv(String path, String name, String raw, Object def) {
    String v = raw.trim();
    try {
      if (def == null && ConfigRules.isNullableInt(path)) {
        return v.isEmpty() ? null : Long.parseLong(v);
      }
      if (def instanceof Boolean) {
        if (!v.equalsIgnoreCase("true") && !v.equalsIgnoreCase("false")) {
          throw new ConfigException(
              path, "must be true or false (from " + name + "='" + raw + "')");
        }
        return Boolean.parseBoolean(v);
      }
      if (def instanceof Integer || def instanceof Long) {
        return Long.parseLong(v);
      }
      if (def instanceof Number) {
        return Double.parseDouble(v);
      }
      if (def instanceof JsonArray) {
        if (v.startsWith("[")) {
          return new JsonArray(v);
        }
        JsonArray a = new JsonArray();
        for (String part : v.split(",")) {
          if (!part.isBlank()) {
            a.add(part.trim());
          }
        }
        return a;
      }
      if (def instanceof JsonObject) {
        return new JsonObject(v);
      }
      return v.isEmpty() ? null : raw;
    } catch (NumberFormatException e) {
      throw new ConfigException(path, "must be a number (from " + name + "='" + raw + "')");
    } catch (DecodeException e) {
      throw new ConfigException(path, "must be JSON (from " + name + ")");
    }
  }

  static Object valueAt(JsonObject o, String path) {
    String[] parts = path.split("\\.");
    JsonObject cur = o;
    for (int i = 0; i < parts.length - 1; i++) {
      cur = cur.getJsonObject(parts[i]);
    }
    return cur.getValue(parts[parts.length - 1]);
  }

  private static void setAt(JsonObject o, String path, Object value) {
    String[] parts = path.split("\\.");
    JsonObject cur = o;
    for (int i = 0; i < parts.length - 1; i++) {
      cur = cur.getJsonObject(parts[i]);
    }
    cur.put(parts[parts.length - 1], value);
  }
}
