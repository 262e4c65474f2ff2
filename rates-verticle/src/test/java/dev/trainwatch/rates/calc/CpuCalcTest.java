package dev.trainwatch.rates.calc;

import static dev.trainwatch.rates.Raw.ticks;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.trainwatch.bus.derived.CpuFigures;
import dev.trainwatch.bus.raw.CpuRaw;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CpuCalcTest {
  private static final long TWO_32 = 1L << 32;

  /** Expected figures; null means absent. */
  record Want(
      List<Double> perCore, Double total, Double iowait, Double steal, long clamped, long resets) {}

  private static CpuRaw cpu(long[]... cores) {
    return new CpuRaw(cores, List.of(2.0, 1.0, 0.5), null);
  }

  static Stream<Arguments> cases() {
    // Core 0: +600 user, +200 system, +100 idle, +50 iowait, +10 irq, +10 softirq, +30 steal = 1000
    // ticks,
    // busy = 1000 − 100 − 50 = 850 → 85 %. Core 1: +100 user, +50 system, +800 idle, +50 iowait =
    // 1000, busy 150 →
    // 15 %. Machine: busy 1000 / 2000 = 50 %, iowait 100 / 2000 = 5 %, steal 30 / 2000 = 1.5 %.
    CpuRaw p =
        cpu(ticks(1000, 0, 500, 8000, 200, 10, 20, 0), ticks(2000, 0, 100, 9000, 10, 0, 0, 0));
    CpuRaw c =
        cpu(ticks(1600, 0, 700, 8100, 250, 20, 30, 30), ticks(2100, 0, 150, 9800, 60, 0, 0, 0));
    return Stream.of(
        Arguments.of(
            "normal interval", p, c, 1000L, new Want(List.of(85.0, 15.0), 50.0, 5.0, 1.5, 0, 0)),
        // Ticks over ticks: the percentages do not depend on Δt, so a 1.7 s interval gives the same
        // shares.
        Arguments.of(
            "irregular interval", p, c, 1700L, new Want(List.of(85.0, 15.0), 50.0, 5.0, 1.5, 0, 0)),
        // iowait dips by 5 ticks (proc_stat(5)): clamped to 0, counted, and the core still has a
        // rate:
        // +300 user, +200 idle → total 500, busy 300 → 60 %.
        Arguments.of(
            "iowait dip is clamped, not a reset",
            cpu(ticks(100, 0, 0, 1000, 250, 0, 0, 0)),
            cpu(ticks(400, 0, 0, 1200, 245, 0, 0, 0)),
            500L,
            new Want(List.of(60.0), 60.0, 0.0, 0.0, 1, 0)),
        // Core 1's idle falls by 7,900 in a 1 s interval: no dip, no plausible wrap → that core has
        // no rate, so
        // per-core is hidden; the machine total is core 0 alone.
        Arguments.of(
            "reset of one core",
            p,
            cpu(ticks(1600, 0, 700, 8100, 250, 20, 30, 30), ticks(2100, 0, 150, 100, 60, 0, 0, 0)),
            1000L,
            new Want(null, 85.0, 5.0, 3.0, 0, 1)),
        // user wraps at 2^32: 2^32 − 100 → 300 is +400; +100 idle → total 500, busy 400 → 80 %.
        Arguments.of(
            "32-bit wrap of a tick counter",
            cpu(ticks(TWO_32 - 100, 0, 0, 1000, 0, 0, 0, 0)),
            cpu(ticks(300, 0, 0, 1100, 0, 0, 0, 0)),
            500L,
            new Want(List.of(80.0), 80.0, 0.0, 0.0, 0, 0)),
        Arguments.of(
            "core count changed (hotplug)",
            p,
            cpu(c.ticks()[0]),
            1000L,
            new Want(null, null, null, null, 0, 0)),
        Arguments.of("no tick advanced", p, p, 1000L, new Want(null, null, null, null, 0, 0)),
        Arguments.of("first sample", null, c, 0L, new Want(null, null, null, null, 0, 0)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void percentagesFromTickDeltas(String name, CpuRaw prev, CpuRaw cur, long dtMs, Want want) {
    RateStats stats = new RateStats();
    CpuFigures f = CpuCalc.compute(prev, cur, dtMs, stats);

    if (want.perCore() == null) {
      assertThat(f.perCore()).isNull();
    } else {
      assertThat(f.perCore()).hasSameSizeAs(want.perCore());
      for (int i = 0; i < want.perCore().size(); i++) {
        assertThat(f.perCore().get(i))
            .as("core %d", i)
            .isCloseTo(want.perCore().get(i), within(1e-9));
      }
    }
    assertClose(f.utilization(), want.total());
    assertClose(f.iowait(), want.iowait());
    assertClose(f.steal(), want.steal());
    assertThat(f.loadAvg()).containsExactly(2.0, 1.0, 0.5);
    assertThat(stats.clampedCount()).isEqualTo(want.clamped());
    assertThat(stats.resetCount()).isEqualTo(want.resets());
  }

  @Test
  void loadAverageOutOfBoundsIsClampedAndNanDropsIt() {
    RateStats stats = new RateStats();
    CpuRaw big = new CpuRaw(new long[0][], List.of(2e6, 1.0, -3.0), null);
    assertThat(CpuCalc.compute(null, big, 0, stats).loadAvg()).containsExactly(1e6, 1.0, 0.0);
    assertThat(stats.clampedCount()).isEqualTo(2);

    CpuRaw nan = new CpuRaw(new long[0][], Arrays.asList(1.0, Double.NaN, 0.5), null);
    assertThat(CpuCalc.compute(null, nan, 0, stats).loadAvg()).isNull();
    assertThat(stats.clampedCount()).isEqualTo(3);
  }

  @Test
  void absentCpuSectionStaysAbsent() {
    assertThat(CpuCalc.compute(cpu(ticks(1, 1, 1, 1, 1, 1, 1, 1)), null, 1000, new RateStats()))
        .isNull();
  }

  private static void assertClose(Double actual, Double expected) {
    if (expected == null) {
      assertThat(actual).isNull();
    } else {
      assertThat(actual).isCloseTo(expected, within(1e-9));
    }
  }
}
