package dev.trainwatch.bus.derived;

import static dev.trainwatch.bus.Json.*;

import io.vertx.core.json.JsonObject;

/** One interface's rates in bytes/s (upload = transmitted, download = received) and errors/s. */
public record NicRates(String name, Double uploadRate, Double downloadRate, Double errorRate) {

  public static NicRates fromJson(JsonObject o, String p) {
    return new NicRates(
        reqString(o, p, "name", 128),
        optDouble(o, p, "upload_rate", 0, 1e13),
        optDouble(o, p, "download_rate", 0, 1e13),
        optDouble(o, p, "error_rate", 0, 1e12));
  }

  public JsonObject toJson() {
    JsonObject o = new JsonObject().put("name", name);
    putOpt(o, "upload_rate", uploadRate);
    putOpt(o, "download_rate", downloadRate);
    return putOpt(o, "error_rate", errorRate);
  }
}
