package dev.trainwatch.rates.calc;

import static dev.trainwatch.rates.Raw.disk;
import static org.assertj.core.api.Assertions.assertThat;

import dev.trainwatch.bus.derived.DiskFigures;
import dev.trainwatch.bus.derived.DiskRates;
import dev.trainwatch.bus.raw.DiskRaw;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class DiskCalcTest {
  private static final long TWO_32 = 1L << 32;
  private static final DiskRaw SDA = disk("sda", 1_000_000, 2_000_000, 100, 200, 5_000);
  private static final DiskRaw NVME = disk("nvme0n1", 0, 0, 0, 0, 0);

  record Row(
      String name, Double read, Double write, Double readIops, Double writeIops, Double util) {}

  record Want(
      List<Row> rows, Double readSum, Double writeSum, long clamped, long resets, long wraps) {}

  static Stream<Arguments> cases() {
    // sda over 2 s: +4 MiB read → 2,097,152 B/s; +1 MB written → 500,000 B/s; +300 reads → 150/s;
    // +50 writes → 25/s; +1,500 busy ms → 75 %. nvme0n1: +8 MB written → 4 MB/s, +1,000 writes →
    // 500/s,
    // +2,000 busy ms → 100 %.
    DiskRaw sda2 = disk("sda", 5_194_304, 3_000_000, 400, 250, 6_500);
    DiskRaw nvme2 = disk("nvme0n1", 0, 8_000_000, 0, 1_000, 2_000);
    return Stream.of(
        Arguments.of(
            "normal interval",
            List.of(SDA, NVME),
            List.of(sda2, nvme2),
            2000L,
            new Want(
                List.of(
                    new Row("sda", 2_097_152.0, 500_000.0, 150.0, 25.0, 75.0),
                    new Row("nvme0n1", 0.0, 4_000_000.0, 0.0, 500.0, 100.0)),
                2_097_152.0,
                4_500_000.0,
                0,
                0,
                0)),
        // 2.5 s: 4,194,304 / 2.5 = 1,677,721.6 B/s; 1,500 / 2,500 ms = 60 %.
        Arguments.of(
            "irregular interval",
            List.of(SDA),
            List.of(sda2),
            2500L,
            new Want(
                List.of(new Row("sda", 1_677_721.6, 400_000.0, 120.0, 20.0, 60.0)),
                1_677_721.6,
                400_000.0,
                0,
                0,
                0)),
        // Devices keep their identity, not their position.
        Arguments.of(
            "reordered disks",
            List.of(NVME, SDA),
            List.of(sda2, nvme2),
            2000L,
            new Want(
                List.of(
                    new Row("sda", 2_097_152.0, 500_000.0, 150.0, 25.0, 75.0),
                    new Row("nvme0n1", 0.0, 4_000_000.0, 0.0, 500.0, 100.0)),
                2_097_152.0,
                4_500_000.0,
                0,
                0,
                0)),
        // 2,300 busy ms in 2,000 ms is 115 %: clamped to 100 and counted.
        Arguments.of(
            "busy time above the interval is clamped",
            List.of(NVME),
            List.of(disk("nvme0n1", 0, 0, 0, 0, 2_300)),
            2000L,
            new Want(List.of(new Row("nvme0n1", 0.0, 0.0, 0.0, 0.0, 100.0)), 0.0, 0.0, 1, 0, 0)),
        // busy_time_ms is 32-bit in diskstats: 2^32 − 500 → 1,000 is +1,500 ms → 75 %.
        Arguments.of(
            "32-bit wrap of busy time",
            List.of(disk("sda", 0, 0, 0, 0, TWO_32 - 500)),
            List.of(disk("sda", 0, 0, 0, 0, 1_000)),
            2000L,
            new Want(List.of(new Row("sda", 0.0, 0.0, 0.0, 0.0, 75.0)), 0.0, 0.0, 0, 0, 1)),
        // read bytes fall from 10 GB to 5: a reset, so no read rate; the other counters still give
        // theirs.
        Arguments.of(
            "implausible decrease is a reset",
            List.of(disk("sda", 10_000_000_000L, 0, 0, 0, 0)),
            List.of(disk("sda", 5, 0, 0, 0, 0)),
            2000L,
            new Want(List.of(new Row("sda", null, 0.0, 0.0, 0.0, 0.0)), null, 0.0, 0, 1, 0)),
        Arguments.of(
            "disk appears: no rate for its first interval",
            List.of(SDA),
            List.of(sda2, nvme2),
            2000L,
            new Want(
                List.of(
                    new Row("sda", 2_097_152.0, 500_000.0, 150.0, 25.0, 75.0),
                    new Row("nvme0n1", null, null, null, null, null)),
                2_097_152.0,
                500_000.0,
                0,
                0,
                0)),
        Arguments.of(
            "disk vanishes: no entry, no negative rate",
            List.of(SDA, NVME),
            List.of(sda2),
            2000L,
            new Want(
                List.of(new Row("sda", 2_097_152.0, 500_000.0, 150.0, 25.0, 75.0)),
                2_097_152.0,
                500_000.0,
                0,
                0,
                0)),
        Arguments.of(
            "same name, another disk (serial changed)",
            List.of(new DiskRaw("sda", "S1", 0L, 0L, 0L, 0L, 0L)),
            List.of(new DiskRaw("sda", "S2", 10L, 10L, 1L, 1L, 10L)),
            2000L,
            new Want(List.of(new Row("sda", null, null, null, null, null)), null, null, 0, 0, 0)),
        Arguments.of(
            "missing fields stay absent",
            List.of(new DiskRaw("sda", null, 0L, null, 0L, 0L, null)),
            List.of(new DiskRaw("sda", null, 2000L, 2000L, 10L, null, 500L)),
            2000L,
            new Want(
                List.of(new Row("sda", 1000.0, null, 5.0, null, null)), 1000.0, null, 0, 0, 0)),
        Arguments.of(
            "no reference sample: names only",
            null,
            List.of(sda2),
            0L,
            new Want(List.of(new Row("sda", null, null, null, null, null)), null, null, 0, 0, 0)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void ratesPerDiskAndSummed(
      String name, List<DiskRaw> prev, List<DiskRaw> cur, long dtMs, Want want) {
    RateStats stats = new RateStats();
    DiskFigures f = DiskCalc.compute(prev, cur, dtMs, stats);

    assertThat(f.disks())
        .extracting(DiskRates::name)
        .containsExactlyElementsOf(want.rows().stream().map(Row::name).toList());
    for (int i = 0; i < want.rows().size(); i++) {
      Row r = want.rows().get(i);
      DiskRates d = f.disks().get(i);
      Expect.close(r.name() + " read", d.readRate(), r.read());
      Expect.close(r.name() + " write", d.writeRate(), r.write());
      Expect.close(r.name() + " read iops", d.readIops(), r.readIops());
      Expect.close(r.name() + " write iops", d.writeIops(), r.writeIops());
      Expect.close(r.name() + " util", d.utilization(), r.util());
    }
    Expect.close("read sum", f.readRate(), want.readSum());
    Expect.close("write sum", f.writeRate(), want.writeSum());
    assertThat(stats.clampedCount()).isEqualTo(want.clamped());
    assertThat(stats.resetCount()).isEqualTo(want.resets());
    assertThat(stats.wrap32Count() + stats.wrap64Count()).isEqualTo(want.wraps());
  }

  @Test
  void noDisksMeansNoDiskSection() {
    assertThat(DiskCalc.compute(List.of(SDA), List.of(), 1000, new RateStats())).isNull();
  }
}
