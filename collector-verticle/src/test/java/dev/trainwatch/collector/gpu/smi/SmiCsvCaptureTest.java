package dev.trainwatch.collector.gpu.smi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainwatch.bus.raw.GpuRaw;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The parser against every real capture, idle and load. Expected values are written out from the
 * captures' own lines (e.g. H100 load: "100 %, 11 %, 19818 MiB, 81559 MiB, 59, 631.95 W, 700.00 W,
 * [N/A], 1980 MHz, 2619 MHz").
 */
class SmiCsvCaptureTest {
  private static final long MIB = 1_048_576L;
  private static final String UUID = "GPU-00000000-0000-0000-0000-000000000000";

  record Expected(
      String name,
      String busId,
      String driver,
      Double util,
      Double memUtil,
      long usedMib,
      long totalMib,
      double temp,
      double powerW,
      double limitW,
      Double fan,
      double sm,
      double mem,
      double enc,
      double dec,
      List<String> reasons,
      Long ecc,
      Boolean mig) {}

  static Stream<Arguments> captures() {
    String rtx2080 = "linux-x86_64__nvidia-geforce-rtx-2080-super__595.71.05.txt";
    String rtx4080 = "linux-x86_64__nvidia-geforce-rtx-4080-super__595.71.05.txt";
    String h100 = "linux-x86_64__nvidia-h100-80gb-hbm3__590.48.01.txt";
    String l40s = "linux-x86_64__nvidia-l40s__595.80.txt";
    return Stream.of(
        Arguments.of(
            rtx2080,
            "idle",
            new Expected(
                "NVIDIA GeForce RTX 2080 SUPER",
                "00000000:0C:00.0",
                "595.71.05",
                0.0,
                9.0,
                214,
                8192,
                40,
                39.32,
                250.0,
                38.0,
                765,
                810,
                0,
                0,
                List.of("sw_power_cap"),
                null,
                null)),
        Arguments.of(
            rtx2080,
            "load",
            new Expected(
                "NVIDIA GeForce RTX 2080 SUPER",
                "00000000:0C:00.0",
                "595.71.05",
                8.0,
                3.0,
                819,
                8192,
                45,
                111.50,
                250.0,
                38.0,
                2055,
                7500,
                100,
                0,
                List.of(),
                null,
                null)),
        // zero-RPM fan at idle reads 0 %: a real zero, not absent
        Arguments.of(
            rtx4080,
            "idle",
            new Expected(
                "NVIDIA GeForce RTX 4080 SUPER",
                "00000000:01:00.0",
                "595.71.05",
                0.0,
                23.0,
                596,
                16376,
                43,
                26.20,
                320.0,
                0.0,
                210,
                405,
                0,
                0,
                List.of("gpu_idle"),
                null,
                null)),
        Arguments.of(
            rtx4080,
            "load",
            new Expected(
                "NVIDIA GeForce RTX 4080 SUPER",
                "00000000:01:00.0",
                "595.71.05",
                7.0,
                2.0,
                1474,
                16376,
                46,
                84.24,
                320.0,
                0.0,
                2805,
                11251,
                72,
                0,
                List.of(),
                null,
                null)),
        Arguments.of(
            h100,
            "idle",
            new Expected(
                "NVIDIA H100 80GB HBM3",
                "00000000:00:09.0",
                "590.48.01",
                0.0,
                0.0,
                0,
                81559,
                41,
                69.85,
                700.0,
                null,
                345,
                2619,
                0,
                0,
                List.of("gpu_idle"),
                0L,
                false)),
        Arguments.of(
            h100,
            "load",
            new Expected(
                "NVIDIA H100 80GB HBM3",
                "00000000:00:09.0",
                "590.48.01",
                100.0,
                11.0,
                19818,
                81559,
                59,
                631.95,
                700.0,
                null,
                1980,
                2619,
                0,
                0,
                List.of(),
                0L,
                false)),
        // the L40S "idle" capture really shows 100 % utilization at P0
        Arguments.of(
            l40s,
            "idle",
            new Expected(
                "NVIDIA L40S",
                "00000000:01:00.0",
                "595.80",
                100.0,
                9.0,
                0,
                46068,
                63,
                144.97,
                350.0,
                null,
                2520,
                9001,
                0,
                0,
                List.of(),
                0L,
                null)),
        Arguments.of(
            l40s,
            "load",
            new Expected(
                "NVIDIA L40S",
                "00000000:01:00.0",
                "595.80",
                9.0,
                2.0,
                1235,
                46068,
                54,
                110.23,
                350.0,
                null,
                2520,
                9001,
                60,
                0,
                List.of(),
                0L,
                null)));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("captures")
  void parsesTheCapturedRow(String file, String phase, Expected e) {
    SmiQuery query = SmiQuery.choose(SmiQuery.validNames(Captures.help(file)));
    SmiCsv.Gpus parsed = SmiCsv.parseGpus(query, Captures.project(file, phase, query) + "\n");

    assertThat(parsed.rejectedLines()).isZero();
    assertThat(parsed.driverVersion()).isEqualTo(e.driver());
    assertThat(parsed.gpus()).hasSize(1);
    GpuRaw g = parsed.gpus().get(0);
    assertThat(g.index()).isZero();
    assertThat(g.uuid()).isEqualTo(UUID);
    assertThat(g.name()).isEqualTo(e.name());
    assertThat(g.pciBusId()).isEqualTo(e.busId());
    assertThat(g.utilizationPercent()).isEqualTo(e.util());
    assertThat(g.memoryUtilizationPercent()).isEqualTo(e.memUtil());
    assertThat(g.memoryUsedBytes()).isEqualTo(e.usedMib() * MIB);
    assertThat(g.memoryTotalBytes()).isEqualTo(e.totalMib() * MIB);
    assertThat(g.temperatureC()).isEqualTo(e.temp());
    assertThat(g.powerW()).isEqualTo(e.powerW());
    assertThat(g.powerLimitW()).isEqualTo(e.limitW());
    assertThat(g.fanPercent()).isEqualTo(e.fan());
    assertThat(g.smClockMhz()).isEqualTo(e.sm());
    assertThat(g.memClockMhz()).isEqualTo(e.mem());
    assertThat(g.encoderPercent()).isEqualTo(e.enc());
    assertThat(g.decoderPercent()).isEqualTo(e.dec());
    assertThat(g.clockEventReasons()).isEqualTo(e.reasons());
    assertThat(g.eccUncorrectedTotal()).isEqualTo(e.ecc());
    assertThat(g.migEnabled()).isEqualTo(e.mig());
    // nvidia-smi has no counters for these: absent, never 0
    assertThat(g.energyMjTotal()).isNull();
    assertThat(g.pcieRxBytesPerS()).isNull();
    assertThat(g.pcieTxBytesPerS()).isNull();
    assertThat(g.xidEvents()).isNull();
    assertThat(GpuRaw.fromJson(g.toJson(), "gpus[0]")).isEqualTo(g);
  }

  static Stream<Arguments> apps() {
    return Stream.of(
        Arguments.of(
            "linux-x86_64__nvidia-geforce-rtx-2080-super__595.71.05.txt",
            "load",
            List.of(
                new SmiCsv.Process(5268, UUID, 370 * MIB, "ffmpeg"),
                new SmiCsv.Process(5267, UUID, 230 * MIB, "ffmpeg"))),
        Arguments.of(
            "linux-x86_64__nvidia-geforce-rtx-4080-super__595.71.05.txt",
            "idle",
            List.of(new SmiCsv.Process(2165, UUID, 25 * MIB, "/usr/bin/kwin_wayland"))),
        Arguments.of(
            "linux-x86_64__nvidia-geforce-rtx-4080-super__595.71.05.txt",
            "load",
            List.of(
                new SmiCsv.Process(2165, UUID, 25 * MIB, "/usr/bin/kwin_wayland"),
                new SmiCsv.Process(5022, UUID, 503 * MIB, "ffmpeg"),
                new SmiCsv.Process(5021, UUID, 360 * MIB, "ffmpeg"))),
        Arguments.of("linux-x86_64__nvidia-h100-80gb-hbm3__590.48.01.txt", "idle", List.of()),
        Arguments.of(
            "linux-x86_64__nvidia-h100-80gb-hbm3__590.48.01.txt",
            "load",
            List.of(
                new SmiCsv.Process(11327, UUID, 2566 * MIB, "/root/tools/memhog"),
                new SmiCsv.Process(11328, UUID, 1542 * MIB, "/root/tools/memhog"),
                new SmiCsv.Process(11345, UUID, 15690 * MIB, "./gpu_burn"))),
        Arguments.of(
            "linux-x86_64__nvidia-l40s__595.80.txt",
            "load",
            List.of(
                new SmiCsv.Process(20037, UUID, 538 * MIB, "ffmpeg"),
                new SmiCsv.Process(20038, UUID, 681 * MIB, "ffmpeg"))));
  }

  @ParameterizedTest(name = "{0} {1} processes")
  @MethodSource("apps")
  void parsesTheCapturedProcesses(String file, String phase, List<SmiCsv.Process> expected) {
    assertThat(SmiCsv.parseProcesses(Captures.projectApps(file, phase))).isEqualTo(expected);
  }
}
