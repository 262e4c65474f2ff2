package dev.trainwatch.collector.gpu.nvml;

/** The per-GPU calls whose outcome is tracked for change-only logging. */
enum NvmlCall {
  UTILIZATION("nvmlDeviceGetUtilizationRates"),
  MEMORY_V2("nvmlDeviceGetMemoryInfo_v2"),
  MEMORY("nvmlDeviceGetMemoryInfo"),
  TEMPERATURE("nvmlDeviceGetTemperature"),
  TEMPERATURE_V("nvmlDeviceGetTemperatureV"),
  POWER("nvmlDeviceGetPowerUsage"),
  POWER_LIMIT("nvmlDeviceGetEnforcedPowerLimit"),
  FAN("nvmlDeviceGetFanSpeed"),
  SM_CLOCK("nvmlDeviceGetClockInfo(SM)"),
  MEM_CLOCK("nvmlDeviceGetClockInfo(MEM)"),
  ENERGY("nvmlDeviceGetTotalEnergyConsumption"),
  ENCODER("nvmlDeviceGetEncoderUtilization"),
  DECODER("nvmlDeviceGetDecoderUtilization"),
  CLOCK_EVENTS("nvmlDeviceGetCurrentClocksEventReasons"),
  CLOCK_THROTTLE("nvmlDeviceGetCurrentClocksThrottleReasons"),
  ECC("nvmlDeviceGetTotalEccErrors"),
  MIG("nvmlDeviceGetMigMode"),
  PCIE_RX("nvmlDeviceGetPcieThroughput(RX)"),
  PCIE_TX("nvmlDeviceGetPcieThroughput(TX)"),
  COMPUTE_PROCESSES("compute processes"),
  GRAPHICS_PROCESSES("graphics processes");

  final String function;

  NvmlCall(String function) {
    this.function = function;
  }
}
