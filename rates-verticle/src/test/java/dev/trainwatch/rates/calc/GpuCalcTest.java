package dev.trainwatch.rates.calc;

import static dev.trainwatch.rates.Raw.gpu;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.trainwatch.bus.derived.GpuFigures;
import dev.trainwatch.bus.derived.GpuRollup;
import dev.trainwatch.bus.raw.GpuRaw;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class GpuCalcTest {

  static Stream<Arguments> averagePower() {
    return Stream.of(
        // 1,400,000 mJ in 2,000 ms = 700 W.
        Arguments.of(
            "energy counter",
            List.of(gpu(0, "GPU-A", 90.0, 1_000_000L)),
            List.of(gpu(0, "GPU-A", 90.0, 2_400_000L)),
            2000L,
            List.of(700.0),
            0L,
            0L),
        // 1,050,000 mJ in 3,500 ms = 300 W.
        Arguments.of(
            "irregular interval",
            List.of(gpu(0, "GPU-A", 90.0, 0L)),
            List.of(gpu(0, "GPU-A", 90.0, 1_050_000L)),
            3500L,
            List.of(300.0),
            0L,
            0L),
        // NVML's energy counter restarts when the driver reloads.
        Arguments.of(
            "driver reload resets energy",
            List.of(gpu(0, "GPU-A", 90.0, 5_000_000_000L)),
            List.of(gpu(0, "GPU-A", 90.0, 1_000L)),
            2000L,
            nullList(1),
            0L,
            1L),
        // GPU-A fell off the bus and GPU-B was renumbered 1 → 0: matched by UUID, 400,000 mJ /
        // 1,000 ms = 400 W.
        Arguments.of(
            "matched by UUID across renumbering",
            List.of(gpu(0, "GPU-A", 90.0, 0L), gpu(1, "GPU-B", 90.0, 100_000L)),
            List.of(gpu(0, "GPU-B", 90.0, 500_000L)),
            1000L,
            List.of(400.0),
            0L,
            0L),
        Arguments.of(
            "matched by index without UUIDs",
            List.of(gpu(0, null, 50.0, 0L), gpu(1, null, 50.0, 0L)),
            List.of(gpu(1, null, 50.0, 250_000L), gpu(0, null, 50.0, 500_000L)),
            1000L,
            List.of(250.0, 500.0),
            0L,
            0L),
        Arguments.of(
            "new GPU has no average for its first interval",
            List.of(gpu(0, "GPU-A", 90.0, 0L)),
            List.of(gpu(0, "GPU-A", 90.0, 700_000L), gpu(1, "GPU-C", 90.0, 9L)),
            1000L,
            Arrays.asList(700.0, null),
            0L,
            0L),
        Arguments.of(
            "no energy counter",
            List.of(gpu(0, "GPU-A", 90.0, null)),
            List.of(gpu(0, "GPU-A", 90.0, null)),
            1000L,
            nullList(1),
            0L,
            0L),
        // 1e9 mJ in 1 s would be 1 MW: clamped to the 10 kW bound and counted.
        Arguments.of(
            "implausible power is clamped",
            List.of(gpu(0, "GPU-A", 90.0, 0L)),
            List.of(gpu(0, "GPU-A", 90.0, 1_000_000_000L)),
            1000L,
            List.of(10_000.0),
            1L,
            0L),
        Arguments.of(
            "no reference sample",
            null,
            List.of(gpu(0, "GPU-A", 90.0, 10L)),
            0L,
            nullList(1),
            0L,
            0L));
  }

  private static List<Double> nullList(int n) {
    return Collections.nCopies(n, null);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("averagePower")
  void averagePowerFromEnergy(
      String name,
      List<GpuRaw> prev,
      List<GpuRaw> cur,
      long dtMs,
      List<Double> want,
      long clamped,
      long resets) {
    RateStats stats = new RateStats();
    List<GpuFigures> f = GpuCalc.compute(prev, cur, dtMs, stats);
    assertThat(f).hasSameSizeAs(want);
    for (int i = 0; i < want.size(); i++) {
      Expect.close("gpu " + i, f.get(i).averagePower(), want.get(i));
      assertThat(f.get(i).power()).isCloseTo(512.3, within(1e-9));
    }
    assertThat(stats.clampedCount()).isEqualTo(clamped);
    assertThat(stats.resetCount()).isEqualTo(resets);
  }

  @Test
  void gaugesOutsidePhysicalBoundsAreClampedOrDropped() {
    GpuRaw bad =
        new GpuRaw(
            0,
            "GPU-A",
            "x",
            null,
            130.0,
            Double.NaN,
            1L,
            2L,
            250.0,
            -5.0,
            700.0,
            null,
            1980.0,
            2619.0,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null);
    RateStats stats = new RateStats();
    GpuFigures g = GpuCalc.compute(null, List.of(bad), 0, stats).get(0);
    assertThat(g.utilization()).isCloseTo(100.0, within(1e-9));
    assertThat(g.memoryUtilization()).isNull();
    assertThat(g.temperature()).isCloseTo(200.0, within(1e-9));
    assertThat(g.power()).isCloseTo(0.0, within(1e-9));
    assertThat(g.powerLimit()).isCloseTo(700.0, within(1e-9));
    assertThat(g.fan()).isNull();
    assertThat(stats.clampedCount()).isEqualTo(4);
  }

  @Test
  void rollupOverGpusThatReport() {
    GpuRaw mig =
        new GpuRaw(
            2, "GPU-M", "x", null, null, null, null, 40L << 30, null, null, null, null, null, null,
            null, null, null, null, null, null, null, true, null);
    GpuRaw g1 =
        new GpuRaw(
            1, "GPU-B", "x", null, 30.0, null, 10L << 30, 80L << 30, null, null, null, null, null,
            null, null, null, null, null, null, null, null, null, null);
    List<GpuFigures> f =
        GpuCalc.compute(null, List.of(gpu(0, "GPU-A", 90.0, null), g1, mig), 0, new RateStats());
    GpuRollup r = GpuCalc.rollup(f);
    // Utilization over the two GPUs that report one; memory over the two that report used and total
    // (20 GiB + 10 GiB of 80 GiB + 80 GiB); the MIG parent's lone total is left out.
    assertThat(r.utilMax()).isCloseTo(90.0, within(1e-9));
    assertThat(r.utilAvg()).isCloseTo(60.0, within(1e-9));
    assertThat(r.memoryUsed()).isEqualTo(30L << 30);
    assertThat(r.memoryTotal()).isEqualTo(160L << 30);
  }

  @Test
  void noGpusNoRollup() {
    GpuRollup r = GpuCalc.rollup(GpuCalc.compute(null, List.of(), 0, new RateStats()));
    assertThat(r).isEqualTo(new GpuRollup(null, null, null, null));
  }
}
