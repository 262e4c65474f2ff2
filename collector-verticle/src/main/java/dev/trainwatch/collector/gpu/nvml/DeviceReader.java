package dev.trainwatch.collector.gpu.nvml;

import static dev.trainwatch.collector.gpu.nvml.NvmlLayout.*;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import dev.trainwatch.bus.raw.GpuRaw;
import dev.trainwatch.bus.raw.XidEvent;
import dev.trainwatch.collector.gpu.ClockEventReasons;
import dev.trainwatch.collector.gpu.Readings;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one GPU's per-sample fields. Each call that fails (or whose symbol this driver lacks)
 * leaves its field null; the outcome is logged only when it changes. Owns reusable native scratch
 * memory, so one instance serves one thread.
 */
final class DeviceReader {
  private static final Logger LOG = LoggerFactory.getLogger(DeviceReader.class);

  private final NvmlBinding nvml;
  private final NvmlLibrary lib;
  private final Outcomes outcomes;
  private final Memory a = new Memory(8);
  private final Memory b = new Memory(8);
  private final Memory struct = new Memory(64);

  private final boolean utilization;
  private final boolean memoryV2;
  private final boolean memoryV1;
  private final boolean temperature;
  private final boolean temperatureV;
  private final boolean power;
  private final boolean powerLimit;
  private final boolean fan;
  private final boolean clocks;
  private final boolean energy;
  private final boolean encoder;
  private final boolean decoder;
  private final boolean clockEvents;
  private final boolean clockThrottle;
  private final boolean ecc;
  private final boolean mig;

  DeviceReader(NvmlBinding nvml) {
    this.nvml = nvml;
    this.lib = nvml.lib;
    this.outcomes = new Outcomes(nvml, LOG);
    utilization = nvml.has("nvmlDeviceGetUtilizationRates");
    memoryV2 = nvml.has("nvmlDeviceGetMemoryInfo_v2");
    memoryV1 = nvml.has("nvmlDeviceGetMemoryInfo");
    temperature = nvml.has("nvmlDeviceGetTemperature");
    temperatureV = nvml.has("nvmlDeviceGetTemperatureV");
    power = nvml.has("nvmlDeviceGetPowerUsage");
    powerLimit = nvml.has("nvmlDeviceGetEnforcedPowerLimit");
    fan = nvml.has("nvmlDeviceGetFanSpeed");
    clocks = nvml.has("nvmlDeviceGetClockInfo");
    energy = nvml.has("nvmlDeviceGetTotalEnergyConsumption");
    encoder = nvml.has("nvmlDeviceGetEncoderUtilization");
    decoder = nvml.has("nvmlDeviceGetDecoderUtilization");
    // the 535+ name first; the old one is deprecated but still exported by 610
    clockEvents = nvml.has("nvmlDeviceGetCurrentClocksEventReasons");
    clockThrottle = nvml.has("nvmlDeviceGetCurrentClocksThrottleReasons");
    ecc = nvml.has("nvmlDeviceGetTotalEccErrors");
    mig = nvml.has("nvmlDeviceGetMigMode");
  }

  GpuRaw read(NvmlGpu g, PcieSampler.Reading pcie, List<XidEvent> xids) {
    Pointer h = g.handle;

    Double util = null;
    Double memUtil = null;
    if (utilization && ok(g, NvmlCall.UTILIZATION, lib.nvmlDeviceGetUtilizationRates(h, struct))) {
      util = Readings.percent(u32(struct, 0));
      memUtil = Readings.percent(u32(struct, 4));
    }

    Long used = null;
    Long total = null;
    if (memoryV2 && g.memoryV2Usable) {
      struct.clear(MEMORY_V2_SIZE);
      struct.setInt(0, MEMORY_V2_VERSION);
      int rc = lib.nvmlDeviceGetMemoryInfo_v2(h, struct);
      if (rc == ERROR_FUNCTION_NOT_FOUND || rc == ERROR_ARGUMENT_VERSION_MISMATCH) {
        g.memoryV2Usable = false;
        LOG.warn(
            "{} nvmlDeviceGetMemoryInfo_v2 rejected version 0x{}: {}; using nvmlDeviceGetMemoryInfo, whose used "
                + "memory includes reserved memory",
            g.label,
            Integer.toHexString(MEMORY_V2_VERSION),
            nvml.error(rc));
      } else if (ok(g, NvmlCall.MEMORY_V2, rc)) {
        total = Readings.count(struct.getLong(MEMORY_V2_TOTAL));
        used = Readings.count(struct.getLong(MEMORY_V2_USED));
      }
    }
    if (!(memoryV2 && g.memoryV2Usable)
        && memoryV1
        && ok(g, NvmlCall.MEMORY, lib.nvmlDeviceGetMemoryInfo(h, struct))) {
      total = Readings.count(struct.getLong(MEMORY_V1_TOTAL));
      used = Readings.count(struct.getLong(MEMORY_V1_USED));
    }

    Double temp = null;
    if (temperature) {
      if (ok(g, NvmlCall.TEMPERATURE, lib.nvmlDeviceGetTemperature(h, TEMPERATURE_GPU, a))) {
        temp = Readings.celsius(u32(a, 0));
      }
    } else if (temperatureV) {
      struct.clear(TEMPERATURE_V_SIZE);
      struct.setInt(0, TEMPERATURE_V_VERSION);
      struct.setInt(4, TEMPERATURE_GPU);
      if (ok(g, NvmlCall.TEMPERATURE_V, lib.nvmlDeviceGetTemperatureV(h, struct))) {
        temp = Readings.celsius(struct.getInt(8));
      }
    }

    Double powerW =
        power && ok(g, NvmlCall.POWER, lib.nvmlDeviceGetPowerUsage(h, a))
            ? Readings.watts(u32(a, 0) / 1000.0)
            : null;
    Double limitW =
        powerLimit && ok(g, NvmlCall.POWER_LIMIT, lib.nvmlDeviceGetEnforcedPowerLimit(h, a))
            ? Readings.watts(u32(a, 0) / 1000.0)
            : null;
    Double fanPct =
        fan && ok(g, NvmlCall.FAN, lib.nvmlDeviceGetFanSpeed(h, a))
            ? Readings.fanPercent(u32(a, 0))
            : null;
    Double sm =
        clocks && ok(g, NvmlCall.SM_CLOCK, lib.nvmlDeviceGetClockInfo(h, CLOCK_SM, a))
            ? Readings.mhz(u32(a, 0))
            : null;
    Double memClock =
        clocks && ok(g, NvmlCall.MEM_CLOCK, lib.nvmlDeviceGetClockInfo(h, CLOCK_MEM, a))
            ? Readings.mhz(u32(a, 0))
            : null;
    Long energyMj =
        energy && ok(g, NvmlCall.ENERGY, lib.nvmlDeviceGetTotalEnergyConsumption(h, a))
            ? Readings.count(a.getLong(0))
            : null;
    Double enc =
        encoder && ok(g, NvmlCall.ENCODER, lib.nvmlDeviceGetEncoderUtilization(h, a, b))
            ? Readings.percent(u32(a, 0))
            : null;
    Double dec =
        decoder && ok(g, NvmlCall.DECODER, lib.nvmlDeviceGetDecoderUtilization(h, a, b))
            ? Readings.percent(u32(a, 0))
            : null;

    List<String> reasons = null;
    if (clockEvents) {
      if (ok(g, NvmlCall.CLOCK_EVENTS, lib.nvmlDeviceGetCurrentClocksEventReasons(h, a))) {
        reasons = reasons(a.getLong(0));
      }
    } else if (clockThrottle
        && ok(g, NvmlCall.CLOCK_THROTTLE, lib.nvmlDeviceGetCurrentClocksThrottleReasons(h, a))) {
      reasons = reasons(a.getLong(0));
    }

    Long eccUncorrected =
        ecc
                && ok(
                    g,
                    NvmlCall.ECC,
                    lib.nvmlDeviceGetTotalEccErrors(
                        h, MEMORY_ERROR_UNCORRECTED, ECC_COUNTER_VOLATILE, a))
            ? Readings.count(a.getLong(0))
            : null;

    Boolean migEnabled = null;
    if (mig && ok(g, NvmlCall.MIG, lib.nvmlDeviceGetMigMode(h, a, b))) {
      int current = a.getInt(0);
      migEnabled = current == MIG_ENABLED ? Boolean.TRUE : current == 0 ? Boolean.FALSE : null;
    }

    return new GpuRaw(
        g.index,
        g.uuid,
        g.name,
        g.pciBusId,
        util,
        memUtil,
        used,
        total,
        temp,
        powerW,
        limitW,
        fanPct,
        sm,
        memClock,
        energyMj,
        pcie == null ? null : pcie.rxBytesPerS(),
        pcie == null ? null : pcie.txBytesPerS(),
        enc,
        dec,
        reasons,
        eccUncorrected,
        migEnabled,
        xids);
  }

  private static List<String> reasons(long mask) {
    return mask == NOT_AVAILABLE_U64 ? null : ClockEventReasons.decode(mask);
  }

  /**
   * An unsigned int out-value; NVML_VALUE_NOT_AVAILABLE becomes NaN, which every range check
   * rejects.
   */
  static double u32(Pointer p, long offset) {
    int v = p.getInt(offset);
    return v == NOT_AVAILABLE_U32 ? Double.NaN : Integer.toUnsignedLong(v);
  }

  private boolean ok(NvmlGpu g, NvmlCall call, int rc) {
    return outcomes.ok(g, call, rc);
  }
}
