package dev.trainwatch.collector.gpu.nvml;

/**
 * Sizes, offsets and constants of the NVML C ABI on x86_64 / aarch64 (LP64), from nvml.h 13.3 and
 * checked against the 11.x/12.x headers (see the project research notes, shared/research/nvml.md
 * §1.4–1.5). The fake library static-asserts the same struct sizes.
 */
final class NvmlLayout {
  private NvmlLayout() {}

  // nvmlReturn_t
  static final int SUCCESS = 0;
  static final int ERROR_NOT_SUPPORTED = 3;
  static final int ERROR_INSUFFICIENT_SIZE = 7;
  static final int ERROR_TIMEOUT = 10;
  static final int ERROR_FUNCTION_NOT_FOUND = 13;
  static final int ERROR_ARGUMENT_VERSION_MISMATCH = 25;

  /** NVML_VALUE_NOT_AVAILABLE for 32-bit and 64-bit unsigned fields. */
  static final int NOT_AVAILABLE_U32 = 0xFFFFFFFF;

  static final long NOT_AVAILABLE_U64 = -1L;

  // buffer sizes (the _V2 ones, which also fit legacy values)
  static final int NAME_BUFFER = 96;
  static final int UUID_BUFFER = 96;
  static final int VERSION_BUFFER = 80;
  static final int PROCESS_NAME_BUFFER = 256;

  // nvmlPciInfo_t: 68 bytes; busId[32] at 36 ("00000000:01:00.0"), busIdLegacy[16] at 0
  static final int PCI_INFO_SIZE = 68;
  static final int PCI_BUS_ID_OFFSET = 36;
  static final int PCI_BUS_ID_LENGTH = 32;

  // nvmlUtilization_t: gpu at 0, memory at 4
  static final int UTILIZATION_SIZE = 8;

  // nvmlMemory_t (v1): total 0, free 8, used 16 (used includes reserved memory)
  static final int MEMORY_V1_SIZE = 24;
  static final int MEMORY_V1_TOTAL = 0;
  static final int MEMORY_V1_USED = 16;

  // nvmlMemory_v2_t: version 0 (+4 pad), total 8, reserved 16, free 24, used 32 (used excludes
  // reserved)
  static final int MEMORY_V2_SIZE = 40;

  /**
   * NVML_STRUCT_VERSION(Memory, 2) = sizeof | 2 << 24. A plain 2 gets FUNCTION_NOT_FOUND from real
   * drivers.
   */
  static final int MEMORY_V2_VERSION = MEMORY_V2_SIZE | 2 << 24;

  static final int MEMORY_V2_TOTAL = 8;
  static final int MEMORY_V2_USED = 32;

  // nvmlTemperature_v1_t: version 0, sensorType 4, int temperature 8
  static final int TEMPERATURE_V_SIZE = 12;
  static final int TEMPERATURE_V_VERSION = TEMPERATURE_V_SIZE | 1 << 24;

  // enums
  static final int TEMPERATURE_GPU = 0;
  static final int CLOCK_SM = 1;
  static final int CLOCK_MEM = 2;
  static final int PCIE_UTIL_TX_BYTES = 0;
  static final int PCIE_UTIL_RX_BYTES = 1;
  static final int MEMORY_ERROR_UNCORRECTED = 1;
  static final int ECC_COUNTER_VOLATILE = 0;
  static final int MIG_ENABLED = 1;

  // process entries: pid (u32) at 0, usedGpuMemory (u64) at 8 in every layout; 16, 24 or 32 bytes
  // each
  static final int PROCESS_PID = 0;
  static final int PROCESS_USED_MEMORY = 8;
  static final int PROCESS_GPU_INSTANCE = 16;
  static final int PROCESS_COMPUTE_INSTANCE = 20;
  static final int PROCESS_MAX_ENTRY = 32;

  // events: nvmlEventData_t is device (ptr) 0, eventType 8, eventData 16 [+ gpuInstanceId 24,
  // computeInstanceId 28]
  static final long EVENT_TYPE_XID_CRITICAL_ERROR = 0x8L;
  static final int EVENT_DATA_SIZE = 32;
  static final int EVENT_DATA_TYPE = 8;
  static final int EVENT_DATA_VALUE = 16;

  /**
   * NVML's PCIe throughput unit is KB/s; taken as 1024 bytes (to be confirmed on a real GPU, see
   * docs/nvml.md).
   */
  static final double BYTES_PER_KB = 1024.0;
}
