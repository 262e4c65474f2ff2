package dev.trainwatch.rates.calc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CountersTest {
  private static final long TWO_32 = 1L << 32;

  /** 2^64 − x as an unsigned bit pattern is simply −x. */
  private static long twoTo64Minus(long x) {
    return -x;
  }

  enum Kind {
    NORMAL,
    WRAP32,
    WRAP64,
    RESET
  }

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of("monotone", 100L, 250L, 150.0, Kind.NORMAL),
        Arguments.of("unchanged", 7L, 7L, 0.0, Kind.NORMAL),
        Arguments.of("32-bit wrap (diskstats io_ticks)", TWO_32 - 1000, 500L, 1500.0, Kind.WRAP32),
        Arguments.of("32-bit wrap from the very top", TWO_32 - 1, 0L, 1.0, Kind.WRAP32),
        Arguments.of(
            "32-bit wrap just under 10 % of the range",
            TWO_32 - 1000, 429_495_728L, 429_496_728.0, Kind.WRAP32),
        Arguments.of(
            "32-bit 'wrap' of exactly 10 % is a reset",
            TWO_32 - 1000, 429_495_729L, Double.NaN, Kind.RESET),
        Arguments.of("small decrease: reset, not a wrap", 1000L, 10L, Double.NaN, Kind.RESET),
        Arguments.of(
            "32-bit counter reset to 0 from mid-range", 2_000_000_000L, 0L, Double.NaN, Kind.RESET),
        Arguments.of("64-bit wrap", twoTo64Minus(1000), 500L, 1500.0, Kind.WRAP64),
        Arguments.of(
            "64-bit counter past 2^63 still increasing",
            Long.MIN_VALUE,
            Long.MIN_VALUE + 16,
            16.0,
            Kind.NORMAL),
        Arguments.of(
            "64-bit counter reset (driver reload)", 5_000_000_000L, 100L, Double.NaN, Kind.RESET),
        Arguments.of(
            "64-bit drop from 2^63 is no wrap", Long.MIN_VALUE, 5L, Double.NaN, Kind.RESET));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void deltaFollowsNetdatasWrapRule(String name, long prev, long cur, double expected, Kind kind) {
    RateStats stats = new RateStats();
    double d = Counters.delta(prev, cur, stats);
    if (Double.isNaN(expected)) {
      assertThat(Counters.has(d)).isFalse();
    } else {
      assertThat(d).isCloseTo(expected, within(1e-9));
    }
    assertThat(stats.wrap32Count()).isEqualTo(kind == Kind.WRAP32 ? 1 : 0);
    assertThat(stats.wrap64Count()).isEqualTo(kind == Kind.WRAP64 ? 1 : 0);
    assertThat(stats.resetCount()).isEqualTo(kind == Kind.RESET ? 1 : 0);
    assertThat(stats.clampedCount()).isZero();
  }

  static Stream<Arguments> unsigned() {
    return Stream.of(
        Arguments.of(0L, 0.0),
        Arguments.of(Long.MAX_VALUE, 9.223372036854775807e18),
        Arguments.of(Long.MIN_VALUE, 9.223372036854775808e18),
        Arguments.of(-1L, 1.8446744073709551615e19));
  }

  @ParameterizedTest
  @MethodSource("unsigned")
  void toDoubleReadsTheBitPatternAsUnsigned(long bits, double expected) {
    assertThat(Counters.toDouble(bits)).isCloseTo(expected, within(expected * 1e-15));
  }

  @ParameterizedTest
  @MethodSource("cases")
  void absentSideMeansNoDelta(String name, long prev, long cur, double expected, Kind kind) {
    RateStats stats = new RateStats();
    assertThat(Counters.has(Counters.delta((Long) null, (Long) cur, stats))).isFalse();
    assertThat(Counters.has(Counters.delta((Long) prev, (Long) null, stats))).isFalse();
    assertThat(stats.resetCount()).isZero();
  }
}
