package dev.trainwatch.bus.raw;

import static dev.trainwatch.bus.Json.*;

import dev.trainwatch.bus.JsonCursor;
import io.vertx.core.json.JsonObject;

/** One network interface's cumulative counters. */
public record NicRaw(
    String name,
    String mac,
    Long rxBytesTotal,
    Long txBytesTotal,
    Long rxPacketsTotal,
    Long txPacketsTotal,
    Long rxErrorsTotal,
    Long txErrorsTotal) {
  public static final int MAX = 256;

  public static NicRaw fromJson(JsonObject o, String p) {
    return JsonCursor.readObject(o, p, NicRaw::read);
  }

  public static NicRaw read(JsonCursor c) {
    String name = null, mac = null;
    Long rxBytes = null,
        txBytes = null,
        rxPackets = null,
        txPackets = null,
        rxErrors = null,
        txErrors = null;
    for (String k; (k = c.nextKey()) != null; ) {
      switch (k) {
        case "name" -> name = c.reqString(128);
        case "mac" -> mac = c.optString(64);
        case "rx_bytes_total" -> rxBytes = c.optCounter();
        case "tx_bytes_total" -> txBytes = c.optCounter();
        case "rx_packets_total" -> rxPackets = c.optCounter();
        case "tx_packets_total" -> txPackets = c.optCounter();
        case "rx_errors_total" -> rxErrors = c.optCounter();
        case "tx_errors_total" -> txErrors = c.optCounter();
        default -> c.skipValue();
      }
    }
    if (name == null) {
      throw c.missing("name");
    }
    return new NicRaw(name, mac, rxBytes, txBytes, rxPackets, txPackets, rxErrors, txErrors);
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
