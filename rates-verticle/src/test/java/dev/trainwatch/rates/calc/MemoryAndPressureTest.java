package dev.trainwatch.rates.calc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.trainwatch.bus.derived.MemoryFigures;
import dev.trainwatch.bus.raw.MemoryRaw;
import dev.trainwatch.bus.raw.PressureRaw;
import org.junit.jupiter.api.Test;

class MemoryAndPressureTest {

  @Test
  void memoryGaugesPassThroughAndSwapBecomesRates() {
    MemoryRaw prev =
        new MemoryRaw(64L << 30, 10L << 30, 50L << 30, 8L << 30, 1L << 30, 1_000L, 5_000L);
    MemoryRaw cur =
        new MemoryRaw(64L << 30, 9L << 30, 51L << 30, 8L << 30, 2L << 30, 3_001_000L, 5_000L);
    RateStats stats = new RateStats();
    MemoryFigures m = MemoryCalc.compute(prev, cur, 1.5, stats);
    assertThat(m.ramTotal()).isEqualTo(64L << 30);
    assertThat(m.ramAvailable()).isEqualTo(9L << 30);
    assertThat(m.ramUsed()).isEqualTo(51L << 30);
    assertThat(m.swapTotal()).isEqualTo(8L << 30);
    assertThat(m.swapUsed()).isEqualTo(2L << 30);
    // 3,000,000 B swapped in over 1.5 s.
    assertThat(m.swapInRate()).isCloseTo(2_000_000.0, within(1e-9));
    assertThat(m.swapOutRate()).isCloseTo(0.0, within(1e-9));
  }

  @Test
  void swapRatesAbsentWithoutReferenceOrCounters() {
    MemoryRaw cur = new MemoryRaw(64L << 30, 9L << 30, null, null, null, null, null);
    MemoryFigures first = MemoryCalc.compute(null, cur, 0, new RateStats());
    assertThat(first.swapInRate()).isNull();
    assertThat(first.ramUsed()).isNull();
    assertThat(first.ramAvailable()).isEqualTo(9L << 30);
    assertThat(MemoryCalc.compute(cur, cur, 1, new RateStats()).swapInRate()).isNull();
  }

  @Test
  void pressureSharesAreStallMicrosecondsOverWallTime() {
    PressureRaw prev = new PressureRaw(0L, 1_000_000L, 0L, 50L, null);
    // Over 2 s = 2,000,000 µs: cpu 500,000 µs → 25 %, io some 300,000 → 15 %, io full 2,000,000 →
    // 100 %,
    // memory some 4,000,050 − 50 = 4,000,000 → 200 %, clamped to 100 and counted.
    PressureRaw cur = new PressureRaw(500_000L, 1_300_000L, 2_000_000L, 4_000_050L, 7L);
    RateStats stats = new RateStats();
    PressureRates p = PressureCalc.compute(prev, cur, 2000, stats);
    assertThat(p.cpuSome()).isCloseTo(25.0, within(1e-9));
    assertThat(p.ioSome()).isCloseTo(15.0, within(1e-9));
    assertThat(p.ioFull()).isCloseTo(100.0, within(1e-9));
    assertThat(p.memorySome()).isCloseTo(100.0, within(1e-9));
    assertThat(p.memoryFull()).isNull();
    assertThat(stats.clampedCount()).isEqualTo(1);
    assertThat(PressureCalc.compute(null, cur, 2000, stats)).isEqualTo(PressureRates.NONE);
  }
}
