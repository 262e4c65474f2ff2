package dev.trainwatch.collector.gpu.smi;

import java.util.List;

/**
 * What the fallback reads from {@code nvidia-smi --query-gpu}, with the query names to try in
 * order. Names move between driver releases ({@code clocks_throttle_reasons.*} became {@code
 * clocks_event_reasons.*}) and an old driver rejects the whole query over one unknown name, so the
 * names used are picked from the driver's own {@code --help-query-gpu} (see {@link SmiQuery}).
 */
enum SmiField {
  INDEX("index"),
  UUID("uuid"),
  NAME("name"),
  PCI_BUS_ID("pci.bus_id"),
  DRIVER_VERSION("driver_version"),
  UTILIZATION("utilization.gpu"),
  MEMORY_UTILIZATION("utilization.memory"),
  MEMORY_USED("memory.used"),
  MEMORY_TOTAL("memory.total"),
  TEMPERATURE("temperature.gpu"),
  POWER_DRAW("power.draw"),
  /**
   * enforced.power.limit is what NVML's GetEnforcedPowerLimit returns; power.limit is the requested
   * one.
   */
  POWER_LIMIT("enforced.power.limit", "power.limit"),
  FAN("fan.speed"),
  SM_CLOCK("clocks.sm", "clocks.current.sm"),
  MEM_CLOCK("clocks.mem", "clocks.current.memory"),
  ENCODER("utilization.encoder"),
  DECODER("utilization.decoder"),
  CLOCK_REASONS("clocks_event_reasons.active", "clocks_throttle_reasons.active"),
  ECC_UNCORRECTED("ecc.errors.uncorrected.volatile.total"),
  MIG_MODE("mig.mode.current");

  final List<String> names;

  SmiField(String... names) {
    this.names = List.of(names);
  }

  /** Without these a row cannot be attributed to a GPU; a driver that rejects them cannot serve. */
  boolean required() {
    return this == INDEX || this == UUID;
  }
}
