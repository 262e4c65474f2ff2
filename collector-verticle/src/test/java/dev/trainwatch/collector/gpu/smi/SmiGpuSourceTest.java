package dev.trainwatch.collector.gpu.smi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trainwatch.bus.raw.GpuProcess;
import dev.trainwatch.bus.raw.GpuRaw;
import dev.trainwatch.collector.gpu.GpuConfig;
import dev.trainwatch.collector.gpu.GpuMetrics;
import dev.trainwatch.collector.gpu.GpuUnavailableException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The fallback end to end, running a stand-in nvidia-smi that replays the H100 capture. */
class SmiGpuSourceTest {
  static final String H100 = "linux-x86_64__nvidia-h100-80gb-hbm3__590.48.01.txt";
  private static final long SELF = ProcessHandle.current().pid();

  static SmiGpuSource open(Path exe) throws GpuUnavailableException {
    return SmiGpuSource.open(new GpuConfig(true, null, exe.toString(), 5), GpuMetrics.none());
  }

  static String h100Csv(SmiQuery query) {
    return Captures.project(H100, "load", query) + "\n";
  }

  @Test
  void readsGpusAndProcessesThroughTheExecutable() throws Exception {
    String help = Captures.help(H100);
    SmiQuery query = SmiQuery.choose(SmiQuery.validNames(help));
    // the capture's three processes plus this JVM, so the /proc join has a real process to find
    String apps =
        Captures.projectApps(H100, "load")
            + SELF
            + ", GPU-00000000-0000-0000-0000-000000000000, 100, java\n"
            + "777, GPU-ffffffff-0000-0000-0000-000000000000, 1, on-an-unknown-gpu\n";
    Path exe = FakeSmi.create(help, h100Csv(query), apps);
    try (SmiGpuSource source = open(exe)) {
      assertThat(source.provider()).isEqualTo("nvidia-smi");
      assertThat(source.reason()).isEqualTo("nvidia-smi 590.48.01 at " + exe + ", 1 GPU");
      assertThat(source.query()).isEqualTo(query.toString());

      List<GpuRaw> gpus = source.sampleGpus();
      assertThat(gpus).hasSize(1);
      GpuRaw g = gpus.get(0);
      assertThat(g.utilizationPercent()).isEqualTo(100.0);
      assertThat(g.memoryUsedBytes()).isEqualTo(19818L * 1_048_576);
      assertThat(g.powerW()).isEqualTo(631.95);
      assertThat(g.fanPercent()).isNull();

      List<GpuProcess> ps = source.sampleProcesses();
      assertThat(ps).extracting(GpuProcess::pid).containsExactly(11327L, 11328L, 11345L, SELF);
      assertThat(ps)
          .allSatisfy(
              p -> {
                assertThat(p.gpuIndex()).isZero();
                assertThat(p.type()).isEqualTo("compute");
              });
      assertThat(ps.get(2).usedMemoryBytes()).isEqualTo(15690L * 1_048_576);
      GpuProcess self = ps.get(3);
      assertThat(self.user()).isEqualTo(System.getProperty("user.name"));
      // /proc's full command line wins over nvidia-smi's process name
      assertThat(self.command()).contains("java").isNotEqualTo("java");
    }
  }

  @Test
  void anOldDriverThatRejectsAFieldIsAskedAgainWithTheOldName() throws Exception {
    SmiQuery fallback = SmiQuery.choose(Set.of()).without("clocks_event_reasons.active");
    Path exe = FakeSmi.create(null, h100Csv(fallback), "", "old-driver", "");
    try (SmiGpuSource source = open(exe)) {
      assertThat(source.query())
          .contains("clocks_throttle_reasons.active")
          .doesNotContain("clocks_event_reasons");
      assertThat(source.sampleGpus().get(0).clockEventReasons()).isEmpty();
    }
  }

  @Test
  void aDriverThatCannotAnswerIsUnavailableWithItsMessage() throws Exception {
    Path exe =
        FakeSmi.create(
            null,
            "",
            "",
            "broken",
            "NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver. Make sure that the latest "
                + "NVIDIA driver is installed and running.\n\n");
    assertThatThrownBy(() -> open(exe))
        .isInstanceOf(GpuUnavailableException.class)
        .hasMessage(
            "nvidia-smi: NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver. "
                + "Make sure that the latest NVIDIA driver is installed and running. (exit 9)");
  }

  @Test
  void noGpusIsUnavailable() throws Exception {
    Path exe = FakeSmi.create(Captures.help(H100), "No devices were found\n", "");
    assertThatThrownBy(() -> open(exe))
        .hasMessage("nvidia-smi: no GPUs found (No devices were found)");
  }

  @Test
  void missingExecutable() {
    assertThatThrownBy(
            () ->
                SmiGpuSource.open(
                    new GpuConfig(true, null, "/nonexistent/nvidia-smi", 5), GpuMetrics.none()))
        .hasMessage("nvidia-smi: /nonexistent/nvidia-smi not found or not executable");
    assertThatThrownBy(
            () ->
                SmiGpuSource.open(
                    new GpuConfig(true, null, "nvidia-smi-not-installed-here", 5),
                    GpuMetrics.none()))
        .hasMessage("nvidia-smi: not found on PATH");
  }

  @Test
  void aFailingSampleIsEmptyNotAnException() throws Exception {
    String help = Captures.help(H100);
    Path exe = FakeSmi.create(help, h100Csv(SmiQuery.choose(SmiQuery.validNames(help))), "");
    try (SmiGpuSource source = open(exe)) {
      Files.writeString(exe.resolveSibling("broken"), "Unable to determine the device handle\n");
      assertThat(source.sampleGpus()).isEmpty();
      assertThat(source.sampleGpus()).isEmpty();
    }
  }

  @Test
  void executablesResolveLikeAShell() throws Exception {
    String help = Captures.help(H100);
    Path exe = FakeSmi.create(help, "", "");
    assertThat(Executables.find("nvidia-smi", "/nonexistent:" + exe.getParent())).isEqualTo(exe);
    assertThat(Executables.find("nvidia-smi", "/nonexistent")).isNull();
    assertThat(Executables.find(exe.toString(), null)).isEqualTo(exe);
  }
}
