package dev.trainwatch.rates.bottleneck;

import static dev.trainwatch.rates.bottleneck.Signal.CPU_IOWAIT;
import static dev.trainwatch.rates.bottleneck.Signal.CPU_UTIL;
import static dev.trainwatch.rates.bottleneck.Signal.DISK_UTIL_MAX;
import static dev.trainwatch.rates.bottleneck.Signal.GPU_UTIL_AVG;
import static dev.trainwatch.rates.bottleneck.Signal.PSI_IO_SOME;
import static dev.trainwatch.rates.bottleneck.Signal.PSI_MEMORY_SOME;
import static dev.trainwatch.rates.bottleneck.Signal.RAM_AVAILABLE;
import static dev.trainwatch.rates.bottleneck.Signal.SWAP_IO;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trainwatch.rates.bottleneck.RuleTable.Rule;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RuleTableTest {
  private static final double MIB = 1024 * 1024;

  private static Averages avg(Map<Signal, Double> signals) {
    double[] v = new double[Signal.values().length];
    Arrays.fill(v, Double.NaN);
    signals.forEach((s, x) -> v[s.ordinal()] = x);
    return Averages.of(v);
  }

  private static Label current(String name) {
    if (name == null) {
      return null;
    }
    for (Rule r : Rule.values()) {
      if (r.label.equals(name)) {
        return Label.of(r);
      }
    }
    return RuleTable.BALANCED;
  }

  static Stream<Arguments> decisions() {
    return Stream.of(
        // name, current label, averages, expected label
        Arguments.of(
            "gpu saturated", null, Map.of(GPU_UTIL_AVG, 85.0, CPU_UTIL, 40.0), "gpu-bound"),
        Arguments.of(
            "gpu saturated beats a busy CPU",
            null,
            Map.of(GPU_UTIL_AVG, 85.0, CPU_UTIL, 97.0),
            "gpu-bound"),
        Arguments.of(
            "gpu below enter", null, Map.of(GPU_UTIL_AVG, 75.0, CPU_UTIL, 40.0), "balanced"),
        Arguments.of(
            "gpu-bound stays above exit",
            "gpu-bound",
            Map.of(GPU_UTIL_AVG, 75.0, CPU_UTIL, 40.0),
            "gpu-bound"),
        Arguments.of(
            "gpu-bound leaves below exit",
            "gpu-bound",
            Map.of(GPU_UTIL_AVG, 65.0, CPU_UTIL, 40.0),
            "balanced"),
        Arguments.of(
            "cpu starves the GPUs", null, Map.of(GPU_UTIL_AVG, 23.0, CPU_UTIL, 97.0), "cpu-bound"),
        Arguments.of(
            "cpu-bound stays above exit",
            "cpu-bound",
            Map.of(GPU_UTIL_AVG, 50.0, CPU_UTIL, 80.0),
            "cpu-bound"),
        Arguments.of(
            "cpu at 80 does not enter",
            null,
            Map.of(GPU_UTIL_AVG, 50.0, CPU_UTIL, 80.0),
            "balanced"),
        Arguments.of("iowait", null, Map.of(CPU_UTIL, 20.0, CPU_IOWAIT, 12.0), "io-bound"),
        Arguments.of("busy disk", null, Map.of(CPU_UTIL, 20.0, DISK_UTIL_MAX, 95.0), "io-bound"),
        Arguments.of("IO stall (PSI)", null, Map.of(CPU_UTIL, 20.0, PSI_IO_SOME, 25.0), "io-bound"),
        Arguments.of(
            "io-bound stays on iowait above exit",
            "io-bound",
            Map.of(CPU_UTIL, 20.0, CPU_IOWAIT, 7.0),
            "io-bound"),
        Arguments.of(
            "little RAM", null, Map.of(CPU_UTIL, 20.0, RAM_AVAILABLE, 4.0), "memory-pressure"),
        Arguments.of("swapping", null, Map.of(CPU_UTIL, 20.0, SWAP_IO, 5 * MIB), "memory-pressure"),
        Arguments.of(
            "memory stall (PSI)",
            null,
            Map.of(CPU_UTIL, 20.0, PSI_MEMORY_SOME, 12.0),
            "memory-pressure"),
        Arguments.of(
            "memory-pressure stays under exit",
            "memory-pressure",
            Map.of(CPU_UTIL, 20.0, RAM_AVAILABLE, 7.0),
            "memory-pressure"),
        Arguments.of(
            "RAM at 7 % does not enter",
            null, Map.of(CPU_UTIL, 20.0, RAM_AVAILABLE, 7.0), "balanced"),
        Arguments.of(
            "cpu and io",
            null,
            Map.of(CPU_UTIL, 90.0, CPU_IOWAIT, 9.0, DISK_UTIL_MAX, 92.0),
            "mixed-cpu-io"),
        Arguments.of(
            "cpu and memory", null, Map.of(CPU_UTIL, 90.0, RAM_AVAILABLE, 2.0), "mixed-cpu-memory"),
        Arguments.of(
            "io and memory",
            null,
            Map.of(CPU_UTIL, 20.0, CPU_IOWAIT, 30.0, SWAP_IO, 50 * MIB),
            "mixed-io-memory"),
        Arguments.of(
            "all three",
            null,
            Map.of(CPU_UTIL, 90.0, CPU_IOWAIT, 30.0, RAM_AVAILABLE, 1.0),
            "mixed-cpu-io-memory"),
        Arguments.of(
            "idle with GPUs",
            null,
            Map.of(GPU_UTIL_AVG, 1.0, CPU_UTIL, 3.0, DISK_UTIL_MAX, 0.0),
            "idle"),
        Arguments.of("idle without GPUs", null, Map.of(CPU_UTIL, 3.0, DISK_UTIL_MAX, 2.0), "idle"),
        Arguments.of("idle without disks", null, Map.of(CPU_UTIL, 3.0), "idle"),
        Arguments.of(
            "idle stays under exit", "idle", Map.of(CPU_UTIL, 12.0, DISK_UTIL_MAX, 12.0), "idle"),
        Arguments.of("12 % CPU does not enter idle", null, Map.of(CPU_UTIL, 12.0), "balanced"),
        Arguments.of(
            "GPUs low while host is busy",
            null,
            Map.of(GPU_UTIL_AVG, 3.0, CPU_UTIL, 50.0),
            "underutilized"),
        Arguments.of(
            "underutilized stays under exit",
            "underutilized",
            Map.of(GPU_UTIL_AVG, 45.0, CPU_UTIL, 50.0),
            "underutilized"),
        Arguments.of(
            "GPU at 45 does not enter underutilized",
            null,
            Map.of(GPU_UTIL_AVG, 45.0, CPU_UTIL, 50.0),
            "balanced"),
        Arguments.of("no GPUs is never underutilized", null, Map.of(CPU_UTIL, 50.0), "balanced"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("decisions")
  void decide(String name, String currentLabel, Map<Signal, Double> signals, String want) {
    assertThat(RuleTable.decide(avg(signals), current(currentLabel)).name()).isEqualTo(want);
  }

  @Test
  void mixedLabelsKeepTheirPartsOnExitThresholds() {
    Label mixed = RuleTable.decide(avg(Map.of(CPU_UTIL, 90.0, CPU_IOWAIT, 12.0)), null);
    assertThat(mixed.name()).isEqualTo("mixed-cpu-io");
    // Both parts between their exit and enter thresholds: still mixed, but only because it is the
    // current label.
    Averages between = avg(Map.of(CPU_UTIL, 80.0, CPU_IOWAIT, 8.0));
    assertThat(RuleTable.decide(between, mixed).name()).isEqualTo("mixed-cpu-io");
    assertThat(RuleTable.decide(between, null).name()).isEqualTo("balanced");
  }

  @Test
  void exitThresholdMustBeLooser() {
    assertThatThrownBy(() -> Threshold.atLeast(CPU_UTIL, 85, 90))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Threshold.atMost(RAM_AVAILABLE, 5, 3))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void starvationNeedsAHostSideCulprit() {
    assertThat(RuleTable.hostSaturated(avg(Map.of(CPU_UTIL, 76.0)))).isTrue();
    assertThat(RuleTable.hostSaturated(avg(Map.of(CPU_UTIL, 74.0, DISK_UTIL_MAX, 76.0)))).isTrue();
    assertThat(RuleTable.hostSaturated(avg(Map.of(CPU_UTIL, 74.0, DISK_UTIL_MAX, 74.0)))).isFalse();
  }
}
