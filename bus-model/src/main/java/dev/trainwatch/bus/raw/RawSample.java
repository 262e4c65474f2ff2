package dev.trainwatch.bus.raw;

import static dev.trainwatch.bus.Json.*;

import io.vertx.core.json.JsonObject;

/**
 * The bus envelope of one raw snapshot: which server it is for (from the ingest URL or {@code local}, never from the
 * agent's body) and the address it came from.
 */
public record RawSample(String server, String sourceIp, RawSnapshot snapshot) {

  public static RawSample fromJson(JsonObject o) {
    return new RawSample(reqString(o, "", "server", 64), optString(o, "", "source_ip", 64),
        RawSnapshot.fromJson(reqObject(o, "", "snapshot"), "snapshot"));
  }

  public JsonObject toJson() {
    JsonObject o = new JsonObject().put("server", server);
    putOpt(o, "source_ip", sourceIp);
    return o.put("snapshot", snapshot.toJson());
  }
}
