package dev.trainwatch.collector.gpu.smi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainwatch.bus.raw.GpuRaw;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every "no value" token nvidia-smi prints reads as absent; numbers keep their value, with or
 * without units.
 */
class SmiCsvTokensTest {
  private static final SmiQuery ALL = SmiQuery.choose(Set.of());

  @ParameterizedTest
  @ValueSource(
      strings = {
        "[N/A]",
        "[Not Supported]",
        "N/A",
        "[Requested functionality has been deprecated]",
        "[Unknown Error]",
        "[Insufficient Permissions]",
        "[Function Not Found]",
        "",
        "  "
      })
  void absentTokens(String token) {
    assertThat(SmiCells.absent(token)).isTrue();
    assertThat(SmiCells.number(token)).isNull();
    assertThat(SmiCells.mibToBytes(token)).isNull();
    assertThat(SmiCells.hexMask(token)).isNull();
    assertThat(SmiCells.enabled(token)).isNull();
  }

  @Test
  void numbersWithAndWithoutUnits() {
    assertThat(SmiCells.number("631.95")).isEqualTo(631.95);
    assertThat(SmiCells.number(" 631.95 W")).isEqualTo(631.95);
    assertThat(SmiCells.number("100 %")).isEqualTo(100.0);
    assertThat(SmiCells.mibToBytes("19818 MiB")).isEqualTo(19818L * 1_048_576);
    assertThat(SmiCells.number("P0")).isNull();
    assertThat(SmiCells.hexMask("0x00000000000001FF")).isEqualTo(0x1FFL);
    assertThat(SmiCells.hexMask("0xFFFFFFFFFFFFFFFF")).isEqualTo(-1L);
    assertThat(SmiCells.enabled("Enabled")).isTrue();
    assertThat(SmiCells.enabled("Disabled")).isFalse();
  }

  @Test
  void notSupportedCellsOfAnOldDriverAreAbsent() {
    // cells as a GT 710 on 450.57 (systeminformation#367) and a GTX 770 (Megaminer#235) printed
    // them
    String line =
        "0, GPU-22b2c6ac-2d49-4863-197c-9c469071178a, GeForce GT 710, 00000000:04:00.0, 450.57, [N/A], "
            + "[Not Supported], 871, 981, 45, [N/A], [Not Supported], [N/A], [Not Supported], N/A, "
            + "[Requested functionality has been deprecated], [Unknown Error], 0x0000000000000000, [N/A], [N/A]";
    SmiCsv.Gpus parsed = SmiCsv.parseGpus(ALL, line);
    assertThat(parsed.rejectedLines()).isZero();
    assertThat(parsed.driverVersion()).isEqualTo("450.57");
    GpuRaw g = parsed.gpus().get(0);
    assertThat(g.index()).isZero();
    assertThat(g.uuid()).isEqualTo("GPU-22b2c6ac-2d49-4863-197c-9c469071178a");
    assertThat(g.name()).isEqualTo("GeForce GT 710");
    assertThat(g.pciBusId()).isEqualTo("00000000:04:00.0");
    assertThat(g.memoryUsedBytes()).isEqualTo(871L * 1_048_576);
    assertThat(g.memoryTotalBytes()).isEqualTo(981L * 1_048_576);
    assertThat(g.temperatureC()).isEqualTo(45.0);
    assertThat(g.clockEventReasons()).isEmpty();
    assertThat(
            Arrays.asList(
                g.utilizationPercent(),
                g.memoryUtilizationPercent(),
                g.powerW(),
                g.powerLimitW(),
                g.fanPercent(),
                g.smClockMhz(),
                g.memClockMhz(),
                g.encoderPercent(),
                g.decoderPercent()))
        .containsOnlyNulls();
    assertThat(g.eccUncorrectedTotal()).isNull();
    assertThat(g.migEnabled()).isNull();
    assertThat(g.toJson().fieldNames())
        .containsExactlyInAnyOrder(
            "index",
            "uuid",
            "name",
            "pci_bus_id",
            "memory_used_bytes",
            "memory_total_bytes",
            "temperature_c",
            "clock_event_reasons");
  }

  @Test
  void severalGpusAndLinesThatDoNotFit() {
    String out =
        """
        0, GPU-a, NVIDIA H100 80GB HBM3, 00000000:18:00.0, 590.48.01, 100, 11, 19818, 81559, 59, 631.95, 700.00, [N/A], 1980, 2619, 0, 0, 0x0000000000000004, 0, Disabled
        WARNING: infoROM is corrupted at gpu 0000:2A:00.0
        1, GPU-b, NVIDIA H100 80GB HBM3, 00000000:2A:00.0, 590.48.01, [N/A], [N/A], 59, 81559, 42, 71.15, 700.00, [N/A], 345, 2619, [N/A], [N/A], 0x0000000000000001, 0, Enabled
        [N/A], GPU-c, NVIDIA H100 80GB HBM3, 00000000:3A:00.0, 590.48.01, 0, 0, 0, 81559, 40, 70.00, 700.00, [N/A], 345, 2619, 0, 0, 0x0, 0, Disabled
        """;
    SmiCsv.Gpus parsed = SmiCsv.parseGpus(ALL, out);
    assertThat(parsed.rejectedLines()).isEqualTo(2);
    assertThat(parsed.gpus()).extracting(GpuRaw::index).containsExactly(0, 1);
    assertThat(parsed.gpus().get(0).clockEventReasons()).containsExactly("sw_power_cap");
    assertThat(parsed.gpus().get(1).utilizationPercent()).isNull();
    assertThat(parsed.gpus().get(1).migEnabled()).isTrue();
    assertThat(parsed.gpus().get(1).clockEventReasons()).containsExactly("gpu_idle");
  }

  @Test
  void processesWithUnavailableMemoryAndCommasInNames() {
    String out =
        """
        4242, GPU-a, [N/A], python train.py --lr=0.1,0.2
        17, GPU-b, 1024, C:\\Windows\\explorer.exe
        not-a-pid, GPU-a, 5, x
        """;
    assertThat(SmiCsv.parseProcesses(out))
        .containsExactly(
            new SmiCsv.Process(4242, "GPU-a", null, "python train.py --lr=0.1,0.2"),
            new SmiCsv.Process(17, "GPU-b", 1024L * 1_048_576, "C:\\Windows\\explorer.exe"));
  }

  @Test
  void emptyOutputIsNoGpus() {
    assertThat(SmiCsv.parseGpus(ALL, "").gpus()).isEmpty();
    assertThat(SmiCsv.parseGpus(ALL, null).gpus()).isEmpty();
    assertThat(SmiCsv.parseProcesses("")).isEqualTo(List.of());
  }
}
