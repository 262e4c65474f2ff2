package dev.trainwatch.alerts.rules;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Which servers a rule judges: every server (both sets empty), the listed slugs, or servers whose
 * agent labels include every listed {@code key=value}. Slugs and labels together mean both must
 * match.
 */
public record Scope(Set<String> servers, Map<String, String> labels) {
  public static final Scope ALL = new Scope(Set.of(), Map.of());

  public boolean matches(String server, Map<String, String> serverLabels) {
    if (!servers.isEmpty() && !servers.contains(server)) {
      return false;
    }
    for (Map.Entry<String, String> e : labels.entrySet()) {
      if (serverLabels == null || !e.getValue().equals(serverLabels.get(e.getKey()))) {
        return false;
      }
    }
    return true;
  }

  public JsonObject toJson() {
    JsonObject o = new JsonObject();
    if (!servers.isEmpty()) {
      o.put("servers", new JsonArray(servers.stream().sorted().toList()));
    }
    if (!labels.isEmpty()) {
      o.put("labels", new JsonObject(new TreeMap<>(labels)));
    }
    return o;
  }
}
