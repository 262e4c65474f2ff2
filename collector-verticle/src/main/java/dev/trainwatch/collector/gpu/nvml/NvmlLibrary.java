package dev.trainwatch.collector.gpu.nvml;

import com.sun.jna.Library;
import com.sun.jna.Pointer;

/**
 * The NVML entry points Trainwatch calls, by their exact exported names. JNA binds by symbol name,
 * so nvml.h's {@code #define nvmlInit nvmlInit_v2} does not apply: an unsuffixed method would bind
 * the legacy v1 entry point.
 *
 * <p>Every out-parameter is a {@link Pointer} into memory the caller owns and reuses, with layouts
 * from {@link NvmlLayout}; JNA's {@code IntByReference}/{@code Structure} would allocate native
 * memory on every call. {@code nvmlDevice_t} and {@code nvmlEventSet_t} are opaque pointers. C
 * {@code unsigned} values arrive as Java {@code int}/{@code long} and are widened by the reader.
 *
 * <p>JNA looks symbols up lazily, so a method whose symbol the loaded driver lacks throws only when
 * called; {@link NvmlBinding} probes all of them once and callers check {@link NvmlBinding#has}
 * first.
 */
public interface NvmlLibrary extends Library {
  // lifecycle and system — required: nvmlInit_v2, nvmlShutdown
  int nvmlInit_v2();

  int nvmlShutdown();

  String nvmlErrorString(int result);

  int nvmlSystemGetDriverVersion(Pointer version, int length);

  int nvmlSystemGetNVMLVersion(Pointer version, int length);

  int nvmlSystemGetProcessName(int pid, Pointer name, int length);

  // enumeration — required
  int nvmlDeviceGetCount_v2(Pointer deviceCount);

  int nvmlDeviceGetHandleByIndex_v2(int index, Pointer device);

  // identity
  int nvmlDeviceGetName(Pointer device, Pointer name, int length);

  int nvmlDeviceGetUUID(Pointer device, Pointer uuid, int length);

  int nvmlDeviceGetPciInfo_v3(Pointer device, Pointer pci);

  // readings
  int nvmlDeviceGetUtilizationRates(Pointer device, Pointer utilization);

  int nvmlDeviceGetMemoryInfo_v2(Pointer device, Pointer memory);

  int nvmlDeviceGetMemoryInfo(Pointer device, Pointer memory);

  int nvmlDeviceGetTemperature(Pointer device, int sensorType, Pointer temp);

  int nvmlDeviceGetTemperatureV(Pointer device, Pointer temperature);

  int nvmlDeviceGetPowerUsage(Pointer device, Pointer milliwatts);

  int nvmlDeviceGetEnforcedPowerLimit(Pointer device, Pointer milliwatts);

  int nvmlDeviceGetFanSpeed(Pointer device, Pointer percent);

  int nvmlDeviceGetClockInfo(Pointer device, int clockType, Pointer mhz);

  int nvmlDeviceGetTotalEnergyConsumption(Pointer device, Pointer millijoules);

  int nvmlDeviceGetPcieThroughput(Pointer device, int counter, Pointer kilobytesPerSecond);

  int nvmlDeviceGetEncoderUtilization(
      Pointer device, Pointer utilization, Pointer samplingPeriodUs);

  int nvmlDeviceGetDecoderUtilization(
      Pointer device, Pointer utilization, Pointer samplingPeriodUs);

  int nvmlDeviceGetCurrentClocksEventReasons(Pointer device, Pointer reasons);

  int nvmlDeviceGetCurrentClocksThrottleReasons(Pointer device, Pointer reasons);

  int nvmlDeviceGetTotalEccErrors(Pointer device, int errorType, int counterType, Pointer count);

  int nvmlDeviceGetMigMode(Pointer device, Pointer currentMode, Pointer pendingMode);

  // processes — the entry stride is not implied by the name, see EntryStride
  int nvmlDeviceGetComputeRunningProcesses_v3(Pointer device, Pointer infoCount, Pointer infos);

  int nvmlDeviceGetComputeRunningProcesses_v2(Pointer device, Pointer infoCount, Pointer infos);

  int nvmlDeviceGetComputeRunningProcesses(Pointer device, Pointer infoCount, Pointer infos);

  int nvmlDeviceGetGraphicsRunningProcesses_v3(Pointer device, Pointer infoCount, Pointer infos);

  int nvmlDeviceGetGraphicsRunningProcesses_v2(Pointer device, Pointer infoCount, Pointer infos);

  int nvmlDeviceGetGraphicsRunningProcesses(Pointer device, Pointer infoCount, Pointer infos);

  // events (XID)
  int nvmlEventSetCreate(Pointer set);

  int nvmlDeviceRegisterEvents(Pointer device, long eventTypes, Pointer set);

  int nvmlEventSetWait_v2(Pointer set, Pointer data, int timeoutMs);

  int nvmlEventSetWait(Pointer set, Pointer data, int timeoutMs);

  int nvmlEventSetFree(Pointer set);
}
