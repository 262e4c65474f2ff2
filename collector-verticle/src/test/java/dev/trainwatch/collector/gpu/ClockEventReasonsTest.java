package dev.trainwatch.collector.gpu;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ClockEventReasonsTest {
  @Test
  void decodesEveryKnownBitInOrder() {
    assertThat(ClockEventReasons.decode(0)).isEmpty();
    assertThat(ClockEventReasons.decode(0x1)).containsExactly("gpu_idle");
    assertThat(ClockEventReasons.decode(0x4)).containsExactly("sw_power_cap");
    assertThat(ClockEventReasons.decode(0x1FF))
        .containsExactly(
            "gpu_idle",
            "applications_clocks_setting",
            "sw_power_cap",
            "hw_slowdown",
            "sync_boost",
            "sw_thermal_slowdown",
            "hw_thermal_slowdown",
            "hw_power_brake_slowdown",
            "display_clock_setting");
  }

  @Test
  void unknownBitsAreNamedNotDropped() {
    assertThat(ClockEventReasons.decode(0x8L | 0x400L))
        .containsExactly("hw_slowdown", "unknown_0x400");
  }
}
