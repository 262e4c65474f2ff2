package dev.trainwatch.bus.derived;

import static dev.trainwatch.bus.Json.*;

import io.vertx.core.json.JsonObject;

/**
 * One disk's rates: bytes/s, operations/s and busy % in [0, 100]. Absent when no rate could be
 * computed.
 */
public record DiskRates(
    String name,
    Double readRate,
    Double writeRate,
    Double readIops,
    Double writeIops,
    Double utilization) {

  public static DiskRates fromJson(JsonObject o, String p) {
    return new DiskRates(
        reqString(o, p, "name", 128),
        optDouble(o, p, "read_rate", 0, 1e13),
        optDouble(o, p, "write_rate", 0, 1e13),
        optDouble(o, p, "read_iops", 0, 1e9),
        optDouble(o, p, "write_iops", 0, 1e9),
        optDouble(o, p, "utilization", 0, 100));
  }

  public JsonObject toJson() {
    JsonObject o = new JsonObject().put("name", name);
    putOpt(o, "read_rate", readRate);
    putOpt(o, "write_rate", writeRate);
    putOpt(o, "read_iops", readIops);
    putOpt(o, "write_iops", writeIops);
    return putOpt(o, "utilization", utilization);
  }
}
