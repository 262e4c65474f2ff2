package dev.trainwatch.bus.derived;

import static dev.trainwatch.bus.Json.*;

import dev.trainwatch.bus.raw.XidEvent;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * The {@code system/gpu/{index}} channel data. {@code averagePower} is the mean power over the
 * interval from the energy counter (more faithful than the instantaneous {@code power} sample,
 * which NVML averages over ~1 s).
 */
public record GpuFigures(
    int index,
    String uuid,
    String name,
    Double utilization,
    Double memoryUtilization,
    Long memoryUsed,
    Long memoryTotal,
    Double temperature,
    Double power,
    Double averagePower,
    Double powerLimit,
    Double fan,
    Double smClock,
    Double memClock,
    Double pcieRxRate,
    Double pcieTxRate,
    Double encoder,
    Double decoder,
    List<String> clockEventReasons,
    Long eccUncorrectedTotal,
    Boolean migEnabled,
    List<XidEvent> xidEvents) {

  public static GpuFigures fromJson(JsonObject o, String p) {
    return new GpuFigures(
        (int) reqLong(o, p, "index", 0, 1023),
        optString(o, p, "uuid", 96),
        optString(o, p, "name", 128),
        optDouble(o, p, "utilization", 0, 100),
        optDouble(o, p, "memory_utilization", 0, 100),
        optCounter(o, p, "memory_used"),
        optCounter(o, p, "memory_total"),
        optDouble(o, p, "temperature", -60, 200),
        optDouble(o, p, "power", 0, 1e4),
        optDouble(o, p, "average_power", 0, 1e4),
        optDouble(o, p, "power_limit", 0, 1e4),
        optDouble(o, p, "fan", 0, 255),
        optDouble(o, p, "sm_clock", 0, 1e5),
        optDouble(o, p, "mem_clock", 0, 1e5),
        optDouble(o, p, "pcie_rx_rate", 0, 1e13),
        optDouble(o, p, "pcie_tx_rate", 0, 1e13),
        optDouble(o, p, "encoder", 0, 100),
        optDouble(o, p, "decoder", 0, 100),
        optStrings(o, p, "clock_event_reasons", 32, 64),
        optCounter(o, p, "ecc_uncorrected_total"),
        optBoolean(o, p, "mig_enabled"),
        optList(o, p, "xid_events", XidEvent.MAX, XidEvent::fromJson));
  }

  public JsonObject toJson() {
    JsonObject o = new JsonObject().put("index", index);
    putOpt(o, "uuid", uuid);
    putOpt(o, "name", name);
    putOpt(o, "utilization", utilization);
    putOpt(o, "memory_utilization", memoryUtilization);
    putCounter(o, "memory_used", memoryUsed);
    putCounter(o, "memory_total", memoryTotal);
    putOpt(o, "temperature", temperature);
    putOpt(o, "power", power);
    putOpt(o, "average_power", averagePower);
    putOpt(o, "power_limit", powerLimit);
    putOpt(o, "fan", fan);
    putOpt(o, "sm_clock", smClock);
    putOpt(o, "mem_clock", memClock);
    putOpt(o, "pcie_rx_rate", pcieRxRate);
    putOpt(o, "pcie_tx_rate", pcieTxRate);
    putOpt(o, "encoder", encoder);
    putOpt(o, "decoder", decoder);
    putOpt(
        o,
        "clock_event_reasons",
        clockEventReasons == null ? null : new JsonArray(List.copyOf(clockEventReasons)));
    putCounter(o, "ecc_uncorrected_total", eccUncorrectedTotal);
    putOpt(o, "mig_enabled", migEnabled);
    return putOpt(o, "xid_events", xidEvents == null ? null : array(xidEvents, XidEvent::toJson));
  }
}
