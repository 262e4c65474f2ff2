package dev.trainwatch.bus.derived;

import static dev.trainwatch.bus.Json.*;

import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the registry learns from each sample: agent version, hostname, labels and the address it
 * came from.
 */
public record AgentSeen(String version, String hostname, Map<String, String> labels, String ip) {

  public static AgentSeen fromJson(JsonObject o, String p) {
    JsonObject l = optObject(o, p, "labels");
    Map<String, String> labels = new LinkedHashMap<>();
    if (l != null) {
      for (String k : l.fieldNames()) {
        labels.put(k, reqString(l, path(p, "labels"), k, 256));
      }
    }
    return new AgentSeen(
        optString(o, p, "version", 64),
        optString(o, p, "hostname", 253),
        labels,
        optString(o, p, "ip", 64));
  }

  public JsonObject toJson() {
    JsonObject o = new JsonObject();
    putOpt(o, "version", version);
    putOpt(o, "hostname", hostname);
    o.put("labels", new JsonObject(new LinkedHashMap<>(labels == null ? Map.of() : labels)));
    return putOpt(o, "ip", ip);
  }
}
