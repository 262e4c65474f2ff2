package dev.trainwatch.rates.calc;

import static dev.trainwatch.rates.Raw.nic;
import static org.assertj.core.api.Assertions.assertThat;

import dev.trainwatch.bus.derived.NetworkFigures;
import dev.trainwatch.bus.derived.NicRates;
import dev.trainwatch.bus.raw.NicRaw;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class NicCalcTest {
  private static final long TWO_32 = 1L << 32;

  record Row(String name, Double upload, Double download, Double errors) {}

  record Want(List<Row> rows, Double uploadSum, Double downloadSum, long resets, long wraps) {}

  static Stream<Arguments> cases() {
    NicRaw eth0 = nic("eth0", 1_000, 2_000, 0L, 0L);
    NicRaw ib0 = nic("ib0", 0, 0, 5L, 5L);
    // Over 0.5 s: eth0 +500,000 rx → 1,000,000 B/s down, +250,000 tx → 500,000 B/s up, +3 errors →
    // 6/s.
    // ib0 +1 GB both ways → 2e9 B/s, no new errors.
    NicRaw eth0b = nic("eth0", 501_000, 252_000, 2L, 1L);
    NicRaw ib0b = nic("ib0", 1_000_000_000, 1_000_000_000, 5L, 5L);
    return Stream.of(
        Arguments.of(
            "normal interval",
            List.of(eth0, ib0),
            List.of(eth0b, ib0b),
            0.5,
            new Want(
                List.of(
                    new Row("eth0", 500_000.0, 1_000_000.0, 6.0), new Row("ib0", 2e9, 2e9, 0.0)),
                2_000_500_000.0,
                2_001_000_000.0,
                0,
                0)),
        // 32-bit NIC counters wrap every 4 GiB: 2^32 − 1,000 → 9,000 is +10,000 bytes in 2 s.
        Arguments.of(
            "32-bit wrap of rx bytes",
            List.of(nic("eth0", TWO_32 - 1_000, 0, null, null)),
            List.of(nic("eth0", 9_000, 0, null, null)),
            2.0,
            new Want(List.of(new Row("eth0", 0.0, 5_000.0, null)), 0.0, 5_000.0, 0, 1)),
        // The driver counts only rx errors: the figure is theirs alone.
        Arguments.of(
            "one error direction unknown",
            List.of(nic("eth0", 0, 0, 10L, null)),
            List.of(nic("eth0", 0, 0, 14L, null)),
            2.0,
            new Want(List.of(new Row("eth0", 0.0, 0.0, 2.0)), 0.0, 0.0, 0, 0)),
        // tx errors reset: half a count would under-report, so the error rate is absent.
        Arguments.of(
            "error counter reset",
            List.of(nic("eth0", 0, 0, 10L, 900L)),
            List.of(nic("eth0", 0, 0, 14L, 3L)),
            2.0,
            new Want(List.of(new Row("eth0", 0.0, 0.0, null)), 0.0, 0.0, 1, 0)),
        Arguments.of(
            "interface appears and another vanishes",
            List.of(eth0),
            List.of(ib0b),
            1.0,
            new Want(List.of(new Row("ib0", null, null, null)), null, null, 0, 0)),
        Arguments.of(
            "same name, other hardware (MAC changed)",
            List.of(new NicRaw("eth0", "aa", 0L, 0L, null, null, null, null)),
            List.of(new NicRaw("eth0", "bb", 10L, 10L, null, null, null, null)),
            1.0,
            new Want(List.of(new Row("eth0", null, null, null)), null, null, 0, 0)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void ratesPerInterfaceAndSummed(
      String name, List<NicRaw> prev, List<NicRaw> cur, double dtS, Want want) {
    RateStats stats = new RateStats();
    NetworkFigures f = NicCalc.compute(prev, cur, dtS, stats);

    assertThat(f.interfaces())
        .extracting(NicRates::name)
        .containsExactlyElementsOf(want.rows().stream().map(Row::name).toList());
    for (int i = 0; i < want.rows().size(); i++) {
      Row r = want.rows().get(i);
      NicRates n = f.interfaces().get(i);
      Expect.close(r.name() + " upload", n.uploadRate(), r.upload());
      Expect.close(r.name() + " download", n.downloadRate(), r.download());
      Expect.close(r.name() + " errors", n.errorRate(), r.errors());
    }
    Expect.close("upload sum", f.uploadRate(), want.uploadSum());
    Expect.close("download sum", f.downloadRate(), want.downloadSum());
    assertThat(stats.resetCount()).isEqualTo(want.resets());
    assertThat(stats.wrap32Count()).isEqualTo(want.wraps());
  }
}
