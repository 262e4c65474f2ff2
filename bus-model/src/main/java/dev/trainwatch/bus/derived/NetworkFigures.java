package dev.trainwatch.bus.derived;

import static dev.trainwatch.bus.Json.*;

import io.vertx.core.json.JsonObject;
import java.util.List;

/** The {@code system/network} channel data: summed bytes/s and the per-interface rates. */
public record NetworkFigures(Double uploadRate, Double downloadRate, List<NicRates> interfaces) {

  public static NetworkFigures fromJson(JsonObject o, String p) {
    List<NicRates> n = optList(o, p, "interfaces", 256, NicRates::fromJson);
    return new NetworkFigures(
        optDouble(o, p, "upload_rate", 0, 1e14),
        optDouble(o, p, "download_rate", 0, 1e14),
        n == null ? List.of() : n);
  }

  public JsonObject toJson() {
    JsonObject o = new JsonObject();
    putOpt(o, "upload_rate", uploadRate);
    putOpt(o, "download_rate", downloadRate);
    return o.put("interfaces", array(interfaces, NicRates::toJson));
  }
}
