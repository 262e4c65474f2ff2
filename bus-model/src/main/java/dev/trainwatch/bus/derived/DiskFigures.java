package dev.trainwatch.bus.derived;

import static dev.trainwatch.bus.Json.*;

import io.vertx.core.json.JsonObject;
import java.util.List;

/** The {@code system/disk} channel data: summed bytes/s and the per-disk rates. */
public record DiskFigures(Double readRate, Double writeRate, List<DiskRates> disks) {

  public static DiskFigures fromJson(JsonObject o, String p) {
    List<DiskRates> d = optList(o, p, "disks", 256, DiskRates::fromJson);
    return new DiskFigures(
        optDouble(o, p, "read_rate", 0, 1e14),
        optDouble(o, p, "write_rate", 0, 1e14),
        d == null ? List.of() : d);
  }

  public JsonObject toJson() {
    JsonObject o = new JsonObject();
    putOpt(o, "read_rate", readRate);
    putOpt(o, "write_rate", writeRate);
    return o.put("disks", array(disks, DiskRates::toJson));
  }
}
