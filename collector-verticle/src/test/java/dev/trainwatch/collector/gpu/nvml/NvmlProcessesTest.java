package dev.trainwatch.collector.gpu.nvml;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainwatch.bus.raw.GpuProcess;
import dev.trainwatch.collector.gpu.proc.CgroupContainerId;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Process lists through the real binding: every entry layout, buffer growth, and the /proc join.
 */
class NvmlProcessesTest {
  private static final long SELF = ProcessHandle.current().pid();

  private static List<GpuProcess> sample(Path lib) throws Exception {
    try (NvmlGpuSource source = NvmlGpuSourceTest.open(lib, 0)) {
      return source.sampleProcesses();
    }
  }

  /** What the two-gpus scenario lists, whatever layout the driver writes it in. */
  private static void assertScenarioProcesses(List<GpuProcess> ps) throws Exception {
    assertThat(ps).hasSize(3);
    GpuProcess self = ps.get(0);
    assertThat(self.pid()).isEqualTo(SELF);
    assertThat(self.gpuIndex()).isZero();
    // in both lists: one entry, the larger figure
    assertThat(self.type()).isEqualTo("compute+graphics");
    assertThat(self.usedMemoryBytes()).isEqualTo(2_690_646_016L);
    assertThat(self.user()).isEqualTo(System.getProperty("user.name"));
    assertThat(self.command()).contains("java");
    assertThat(self.container())
        .isEqualTo(CgroupContainerId.parse(Files.readString(Path.of("/proc/self/cgroup"))));

    GpuProcess ghost = ps.get(1);
    assertThat(ghost.pid()).isEqualTo(4_194_303L);
    assertThat(ghost.type()).isEqualTo("compute");
    // NVML_VALUE_NOT_AVAILABLE is absent, not 2^64-1 or -1
    assertThat(ghost.usedMemoryBytes()).isNull();
    if (!Files.exists(Path.of("/proc/4194303"))) {
      assertThat(ghost.user()).isNull();
      assertThat(ghost.container()).isNull();
      // not in our /proc: the driver's name for it
      assertThat(ghost.command()).isEqualTo("fake-process-4194303");
    }

    GpuProcess other = ps.get(2);
    assertThat(other.pid()).isEqualTo(4_194_301L);
    assertThat(other.gpuIndex()).isEqualTo(1);
    assertThat(other.usedMemoryBytes()).isEqualTo(1_617_952_768L);
    assertThat(GpuProcess.fromJson(other.toJson(), "p")).isEqualTo(other);
  }

  @ParameterizedTest(name = "_v3 writing {0}-byte entries")
  @CsvSource({"16", "24", "32"})
  void decodesWhateverStrideTheDriverWrites(int stride) throws Exception {
    Path lib =
        FakeNvml.scenario(
            "stride" + stride,
            FakeNvml.Variant.FULL,
            FakeNvml.resource("two-gpus.scenario") + "process_entry_size " + stride + "\n");
    try (NvmlGpuSource source = NvmlGpuSourceTest.open(lib, 0)) {
      assertScenarioProcesses(source.sampleProcesses());
      ProcessReader reader = source.processReader();
      assertThat(reader.symbol(ProcessReader.Kind.COMPUTE))
          .isEqualTo("nvmlDeviceGetComputeRunningProcesses_v3");
      assertThat(reader.stride(ProcessReader.Kind.COMPUTE)).isEqualTo(stride);
    }
  }

  @Test
  void legacyDriverUsesTheUnsuffixedCallAndSixteenByteEntries() throws Exception {
    Path lib =
        FakeNvml.scenario(
            "legacy-procs", FakeNvml.Variant.LEGACY, FakeNvml.resource("two-gpus.scenario"));
    try (NvmlGpuSource source = NvmlGpuSourceTest.open(lib, 0)) {
      assertScenarioProcesses(source.sampleProcesses());
      assertThat(source.processReader().symbol(ProcessReader.Kind.COMPUTE))
          .isEqualTo("nvmlDeviceGetComputeRunningProcesses");
      assertThat(source.processReader().stride(ProcessReader.Kind.COMPUTE)).isEqualTo(16);
    }
  }

  @Test
  void retriesWhenTheListGrewBetweenCalls() throws Exception {
    Path lib =
        FakeNvml.scenario(
            "grew",
            FakeNvml.Variant.FULL,
            FakeNvml.resource("two-gpus.scenario") + "insufficient_size_once 1\n");
    FakeNvml.Control ctl = FakeNvml.control(lib);
    assertScenarioProcesses(sample(lib));
    // GPU 0: INSUFFICIENT_SIZE, then the retry; GPU 1: one call
    assertThat(ctl.fake_nvml_calls("nvmlDeviceGetComputeRunningProcesses_v3")).isEqualTo(3);
  }

  @Test
  void growsTheBufferForMoreProcessesThanItHolds() throws Exception {
    StringBuilder s = new StringBuilder("count 1\n");
    for (int i = 0; i < 100; i++) {
      s.append("proc 0 compute ")
          .append(200_000 + i)
          .append(' ')
          .append((i + 1) * 1_048_576L)
          .append('\n');
    }
    Path lib = FakeNvml.scenario("many", FakeNvml.Variant.FULL, s.toString());
    List<GpuProcess> ps = sample(lib);
    assertThat(ps).hasSize(100);
    assertThat(ps.get(99).pid()).isEqualTo(200_099L);
    assertThat(ps.get(99).usedMemoryBytes()).isEqualTo(100 * 1_048_576L);
  }

  @Test
  void noProcessesIsAnEmptyList() throws Exception {
    Path lib = FakeNvml.scenario("idle", FakeNvml.Variant.FULL, "count 2\n");
    assertThat(sample(lib)).isEmpty();
  }

  @Test
  void aGpuWhoseListIsDeniedIsLeftOutAndTheOthersRemain() throws Exception {
    Path lib =
        FakeNvml.scenario(
            "denied-procs",
            FakeNvml.Variant.FULL,
            FakeNvml.resource("two-gpus.scenario")
                + "fail nvmlDeviceGetComputeRunningProcesses_v3 4 0\nfail nvmlDeviceGetGraphicsRunningProcesses_v3 4 0\n");
    assertThat(sample(lib)).extracting(GpuProcess::pid).containsExactly(4_194_301L);
  }
}
