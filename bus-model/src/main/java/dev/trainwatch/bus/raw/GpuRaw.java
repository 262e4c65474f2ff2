package dev.trainwatch.bus.raw;

import static dev.trainwatch.bus.Json.*;

import dev.trainwatch.bus.JsonCursor;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * One GPU as the agent read it. Every reading but {@code index} is optional: a field the driver
 * cannot give is {@code null} (absent on the wire), never 0. {@code energyMjTotal} and {@code
 * eccUncorrectedTotal} are counters; the PCIe figures are already rates (NVML reports them that
 * way).
 */
public record GpuRaw(
    int index,
    String uuid,
    String name,
    String pciBusId,
    Double utilizationPercent,
    Double memoryUtilizationPercent,
    Long memoryUsedBytes,
    Long memoryTotalBytes,
    Double temperatureC,
    Double powerW,
    Double powerLimitW,
    Double fanPercent,
    Double smClockMhz,
    Double memClockMhz,
    Long energyMjTotal,
    Double pcieRxBytesPerS,
    Double pcieTxBytesPerS,
    Double encoderPercent,
    Double decoderPercent,
    List<String> clockEventReasons,
    Long eccUncorrectedTotal,
    Boolean migEnabled,
    List<XidEvent> xidEvents) {
  public static final int MAX = 64;

  public static GpuRaw fromJson(JsonObject o, String p) {
    return JsonCursor.readObject(o, p, GpuRaw::read);
  }

  public static GpuRaw read(JsonCursor c) {
    long index = JsonCursor.ABSENT;
    String uuid = null, name = null, pciBusId = null;
    Double util = null,
        memUtil = null,
        temperature = null,
        power = null,
        powerLimit = null,
        fan = null,
        smClock = null,
        memClock = null,
        pcieRx = null,
        pcieTx = null,
        encoder = null,
        decoder = null;
    Long memUsed = null, memTotal = null, energy = null, ecc = null;
    List<String> reasons = null;
    Boolean mig = null;
    List<XidEvent> xids = null;
    for (String k; (k = c.nextKey()) != null; ) {
      switch (k) {
        case "index" -> index = c.optLong(0, 1023);
        case "uuid" -> uuid = c.optString(96);
        case "name" -> name = c.optString(128);
        case "pci_bus_id" -> pciBusId = c.optString(32);
        case "utilization_percent" -> util = c.optDouble(0, 100);
        case "memory_utilization_percent" -> memUtil = c.optDouble(0, 100);
        case "memory_used_bytes" -> memUsed = c.optCounter();
        case "memory_total_bytes" -> memTotal = c.optCounter();
        case "temperature_c" -> temperature = c.optDouble(-60, 200);
        case "power_w" -> power = c.optDouble(0, 10_000);
        case "power_limit_w" -> powerLimit = c.optDouble(0, 10_000);
        case "fan_percent" -> fan = c.optDouble(0, 255);
        case "sm_clock_mhz" -> smClock = c.optDouble(0, 100_000);
        case "mem_clock_mhz" -> memClock = c.optDouble(0, 100_000);
        case "energy_mj_total" -> energy = c.optCounter();
        case "pcie_rx_bytes_per_s" -> pcieRx = c.optDouble(0, 1e13);
        case "pcie_tx_bytes_per_s" -> pcieTx = c.optDouble(0, 1e13);
        case "encoder_percent" -> encoder = c.optDouble(0, 100);
        case "decoder_percent" -> decoder = c.optDouble(0, 100);
        case "clock_event_reasons" -> reasons = c.optStrings(32, 64);
        case "ecc_uncorrected_total" -> ecc = c.optCounter();
        case "mig_enabled" -> mig = c.optBoolean();
        case "xid_events" -> xids = c.optList(XidEvent.MAX, XidEvent::read);
        default -> c.skipValue();
      }
    }
    if (index == JsonCursor.ABSENT) {
      throw c.missing("index");
    }
    return new GpuRaw(
        (int) index,
        uuid,
        name,
        pciBusId,
        util,
        memUtil,
        memUsed,
        memTotal,
        temperature,
        power,
        powerLimit,
        fan,
        smClock,
        memClock,
        energy,
        pcieRx,
        pcieTx,
        encoder,
        decoder,
        reasons,
        ecc,
        mig,
        xids);
  }

  public JsonObject toJson() {
    JsonObject o = new JsonObject().put("index", index);
    putOpt(o, "uuid", uuid);
    putOpt(o, "name", name);
    putOpt(o, "pci_bus_id", pciBusId);
    putOpt(o, "utilization_percent", utilizationPercent);
    putOpt(o, "memory_utilization_percent", memoryUtilizationPercent);
    putCounter(o, "memory_used_bytes", memoryUsedBytes);
    putCounter(o, "memory_total_bytes", memoryTotalBytes);
    putOpt(o, "temperature_c", temperatureC);
    putOpt(o, "power_w", powerW);
    putOpt(o, "power_limit_w", powerLimitW);
    putOpt(o, "fan_percent", fanPercent);
    putOpt(o, "sm_clock_mhz", smClockMhz);
    putOpt(o, "mem_clock_mhz", memClockMhz);
    putCounter(o, "energy_mj_total", energyMjTotal);
    putOpt(o, "pcie_rx_bytes_per_s", pcieRxBytesPerS);
    putOpt(o, "pcie_tx_bytes_per_s", pcieTxBytesPerS);
    putOpt(o, "encoder_percent", encoderPercent);
    putOpt(o, "decoder_percent", decoderPercent);
    putOpt(
        o,
        "clock_event_reasons",
        clockEventReasons == null ? null : new JsonArray(List.copyOf(clockEventReasons)));
    putCounter(o, "ecc_uncorrected_total", eccUncorrectedTotal);
    putOpt(o, "mig_enabled", migEnabled);
    return putOpt(o, "xid_events", xidEvents == null ? null : array(xidEvents, XidEvent::toJson));
  }
}
