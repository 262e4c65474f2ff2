package dev.trainwatch.collector.gpu;

import java.util.ArrayList;
import java.util.List;

/**
 * Decodes the clock-event (formerly "throttle") reasons bitmask that NVML returns and {@code
 * nvidia-smi} prints as {@code clocks_event_reasons.active}. Bit values from nvml.h ({@code
 * nvmlClocksEventReason*}); the names are the snake_case forms nvidia-smi uses for the per-reason
 * query fields.
 */
public final class ClockEventReasons {
  private ClockEventReasons() {}

  private static final String[] NAMES = {
    "gpu_idle", // 0x001
    "applications_clocks_setting", // 0x002
    "sw_power_cap", // 0x004
    "hw_slowdown", // 0x008
    "sync_boost", // 0x010
    "sw_thermal_slowdown", // 0x020
    "hw_thermal_slowdown", // 0x040
    "hw_power_brake_slowdown", // 0x080
    "display_clock_setting", // 0x100
  };

  /**
   * Known reasons in bit order; bits newer than this table become {@code unknown_0x...} rather than
   * vanish.
   */
  public static List<String> decode(long mask) {
    List<String> out = new ArrayList<>(Long.bitCount(mask));
    for (int bit = 0; bit < 64; bit++) {
      long flag = 1L << bit;
      if ((mask & flag) != 0) {
        out.add(bit < NAMES.length ? NAMES[bit] : "unknown_0x" + Long.toHexString(flag));
      }
    }
    return out;
  }
}
