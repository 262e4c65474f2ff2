package dev.trainwatch.bus.raw;

import static dev.trainwatch.bus.Json.*;

import io.vertx.core.json.JsonObject;

/** One network interface's cumulative counters. */
public record NicRaw(String name, String mac, Long rxBytesTotal, Long txBytesTotal, Long rxPacketsTotal,
                     Long txPacketsTotal, Long rxErrorsTotal, Long txErrorsTotal) {
  public static final int MAX = 256;

  public static NicRaw fromJson(JsonObject o, String p) {
    return new NicRaw(reqString(o, p, "name", 128), optString(o, p, "mac", 64),
        optCounter(o, p, "rx_bytes_total"), optCounter(o, p, "tx_bytes_total"),
        optCounter(o, p, "rx_packets_total"), optCounter(o, p, "tx_packets_total"),
        optCounter(o, p, "rx_errors_total"), optCounter(o, p, "tx_errors_total"));
  }

  public JsonObject toJson() {
    JsonObject o = new JsonObject().put("name", name);
    putOpt(o, "mac", mac);
    putCounter(o, "rx_bytes_total", rxBytesTotal);
    putCounter(o, "tx_bytes_total", txBytesTotal);
    putCounter(o, "rx_packets_total", rxPacketsTotal);
    putCounter(o, "tx_packets_total", txPacketsTotal);
    putCounter(o, "rx_errors_total", rxErrorsTotal);
    return putCounter(o, "tx_errors_total", txErrorsTotal);
  }
}
