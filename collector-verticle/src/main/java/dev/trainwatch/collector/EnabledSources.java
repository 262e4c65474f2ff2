package dev.trainwatch.collector;

import io.vertx.core.json.JsonObject;

/** Which sources a sample reads ({@code enabled_sources}); each defaults to on. */
public record EnabledSources(
    boolean cpu,
    boolean memory,
    boolean disks,
    boolean networks,
    boolean pressure,
    boolean gpus,
    boolean processes) {

  public static EnabledSources all() {
    return new EnabledSources(true, true, true, true, true, true, true);
  }

  static EnabledSources fromJson(JsonObject o) {
    if (o == null) {
      return all();
    }
    for (String k : o.fieldNames()) {
      if (!SourceNames.ALL.contains(k)) {
        throw new IllegalArgumentException(
            "collector.enabled_sources." + k + " is not a source; known: " + SourceNames.ALL);
      }
    }
    return new EnabledSources(
        flag(o, SourceNames.CPU),
        flag(o, SourceNames.MEMORY),
        flag(o, SourceNames.DISKS),
        flag(o, SourceNames.NETWORKS),
        flag(o, SourceNames.PRESSURE),
        flag(o, SourceNames.GPUS),
        flag(o, SourceNames.PROCESSES));
  }

  private static boolean flag(JsonObject o, String key) {
    Object v = o.getValue(key);
    if (v == null) {
      return true;
    }
    if (v instanceof Boolean b) {
      return b;
    }
    throw new IllegalArgumentException(
        "collector.enabled_sources." + key + " must be true or false");
  }
}
