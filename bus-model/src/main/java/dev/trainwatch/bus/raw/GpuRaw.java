package dev.trainwatch.bus.raw;

import static dev.trainwatch.bus.Json.*;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * One GPU as the agent read it. Every reading but {@code index} is optional: a field the driver cannot give is
 * {@code null} (absent on the wire), never 0. {@code energyMjTotal} and {@code eccUncorrectedTotal} are counters;
 * the PCIe figures are already rates (NVML reports them that way).
 */
public record GpuRaw(int index, String uuid, String name, String pciBusId, Double utilizationPercent,
                     Double memoryUtilizationPercent, Long memoryUsedBytes, Long memoryTotalBytes,
                     Double temperatureC, Double powerW, Double powerLimitW, Double fanPercent, Double smClockMhz,
                     Double memClockMhz, Long energyMjTotal, Double pcieRxBytesPerS, Double pcieTxBytesPerS,
                     Double encoderPercent, Double decoderPercent, List<String> clockEventReasons,
                     Long eccUncorrectedTotal, Boolean migEnabled, List<XidEvent> xidEvents) {
  public static final int MAX = 64;

  public static GpuRaw fromJson(JsonObject o, String p) {
    return new GpuRaw(
        (int) reqLong(o, p, "index", 0, 1023),
        optString(o, p, "uuid", 96),
        optString(o, p, "name", 128),
        optString(o, p, "pci_bus_id", 32),
        optDouble(o, p, "utilization_percent", 0, 100),
        optDouble(o, p, "memory_utilization_percent", 0, 100),
        optCounter(o, p, "memory_used_bytes"),
        optCounter(o, p, "memory_total_bytes"),
        optDouble(o, p, "temperature_c", -60, 200),
        optDouble(o, p, "power_w", 0, 10_000),
        optDouble(o, p, "power_limit_w", 0, 10_000),
        optDouble(o, p, "fan_percent", 0, 255),
        optDouble(o, p, "sm_clock_mhz", 0, 100_000),
        optDouble(o, p, "mem_clock_mhz", 0, 100_000),
        optCounter(o, p, "energy_mj_total"),
        optDouble(o, p, "pcie_rx_bytes_per_s", 0, 1e13),
        optDouble(o, p, "pcie_tx_bytes_per_s", 0, 1e13),
        optDouble(o, p, "encoder_percent", 0, 100),
        optDouble(o, p, "decoder_percent", 0, 100),
        optStrings(o, p, "clock_event_reasons", 32, 64),
        optCounter(o, p, "ecc_uncorrected_total"),
        optBoolean(o, p, "mig_enabled"),
        optList(o, p, "xid_events", XidEvent.MAX, XidEvent::fromJson));
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
    putOpt(o, "clock_event_reasons", clockEventReasons == null ? null : new JsonArray(List.copyOf(clockEventReasons)));
    putCounter(o, "ecc_uncorrected_total", eccUncorrectedTotal);
    putOpt(o, "mig_enabled", migEnabled);
    return putOpt(o, "xid_events", xidEvents == null ? null : array(xidEvents, XidEvent::toJson));
  }
}
