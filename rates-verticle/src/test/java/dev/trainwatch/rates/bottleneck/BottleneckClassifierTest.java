package dev.trainwatch.rates.bottleneck;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainwatch.bus.derived.Bottleneck;
import dev.trainwatch.bus.derived.CpuFigures;
import dev.trainwatch.bus.derived.GpuRollup;
import dev.trainwatch.bus.derived.MemoryFigures;
import dev.trainwatch.rates.calc.Figures;
import dev.trainwatch.rates.calc.PressureRates;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class BottleneckClassifierTest {

  private static Figures cpu(double util) {
    return new Figures(
        new CpuFigures(util, List.of(util), 0.0, 0.0, null),
        null,
        null,
        null,
        List.of(),
        new GpuRollup(null, null, null, null),
        PressureRates.NONE);
  }

  @Test
  void nothingToJudgeUntilAnIntervalHasRates() {
    BottleneckClassifier c = new BottleneckClassifier(Duration.ofSeconds(10));
    assertThat(c.observe(1000, false, cpu(97))).isNull();
    assertThat(c.current()).isNull();
    assertThat(c.observe(2000, true, cpu(97)).label()).isEqualTo("cpu-bound");
  }

  @Test
  void aClockThatRunsBackwardsStartsTheWindowOver() {
    BottleneckClassifier c = new BottleneckClassifier(Duration.ofSeconds(10));
    c.observe(1000, true, cpu(97));
    c.observe(2000, true, cpu(97));
    Bottleneck b = c.observe(1500, true, cpu(95));
    assertThat(b.reasons().get(0))
        .isEqualTo(
            "cpu-bound: CPU 95 % ≥ 85 % (1/1 cores ≥ 90 %); iowait 0 % over 10 s (1 sample)");
  }

  @Test
  void samplesOlderThanTheWindowLeaveIt() {
    BottleneckClassifier c = new BottleneckClassifier(Duration.ofSeconds(10));
    c.observe(0, true, cpu(100));
    c.observe(5_000, true, cpu(0));
    // At 10 s the sample from 0 s is still in (the window is inclusive): (100 + 0 + 0) / 3 = 33 %.
    assertThat(c.observe(10_000, true, cpu(0)).reasons().get(0))
        .isEqualTo(
            "cpu-bound: CPU 33 % < 75 % (0/1 cores ≥ 90 %); iowait 0 % over 10 s (3 samples)");
    // At 10.001 s it has left.
    assertThat(c.observe(10_001, true, cpu(0)).reasons().get(0))
        .isEqualTo(
            "cpu-bound: CPU 0 % < 75 % (0/1 cores ≥ 90 %); iowait 0 % over 10 s (3 samples)");
  }

  @Test
  void aHeldLabelWhoseSignalsVanishSaysSo() {
    BottleneckClassifier c = new BottleneckClassifier(Duration.ofSeconds(10));
    c.observe(1000, true, cpu(97));
    Figures nothingButRam =
        new Figures(
            null,
            new MemoryFigures(null, 100L, 50L, null, null, null, null),
            null,
            null,
            List.of(),
            new GpuRollup(null, null, null, null),
            PressureRates.NONE);
    Bottleneck b = c.observe(12_000, true, nothingButRam);
    assertThat(b.label()).isEqualTo("cpu-bound");
    assertThat(b.reasons())
        .containsExactly(
            "cpu-bound: its signals are absent; RAM available 50 % over 10 s (1 sample)",
            "balanced pending for 0 s of 10 s");
  }

  @Test
  void aZeroWindowFollowsEverySample() {
    BottleneckClassifier c = new BottleneckClassifier(Duration.ZERO);
    assertThat(c.observe(1000, true, cpu(97)).label()).isEqualTo("cpu-bound");
    assertThat(c.observe(2000, true, cpu(2)).label()).isEqualTo("idle");
    assertThat(c.observe(3000, true, cpu(97)).label()).isEqualTo("cpu-bound");
  }
}
